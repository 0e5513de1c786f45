/**
 * Boots the target from a container image through Testcontainers, waits for it, and stops it.
 * (Placeholder until the container support lands: refuses with a clear line.)
 */
import { ConfigError, type ContainerConfig } from '../helpers/config.js';

export interface ContainerTarget {
  readonly baseUrl: string;
  stop(): Promise<void>;
}

export async function startContainerTarget(config: ContainerConfig, _reportDir: string): Promise<ContainerTarget> {
  throw new ConfigError(`--image ${config.image}: container targets are not supported yet`);
}
