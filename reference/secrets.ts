/**
 * Every secret the server saw or made: passwords in request bodies, tokens and codes it issued.
 * Nothing reads them but the self-test that checks none of them reaches a report unmasked.
 */
import { MIN_PASSWORD_LENGTH } from './validation.js';

export interface SecretsSeen {
  readonly passwords: string[];
  readonly tokens: string[];
  readonly otps: string[];
  /** Session tokens, API keys and session cookies handed out in extra fields (quirk session-extras). */
  readonly credentials: string[];
}

export class Secrets {
  private readonly passwords = new Set<string>();
  private readonly tokens = new Set<string>();
  private readonly otps = new Set<string>();
  private readonly credentials = new Set<string>();

  /** Members of a body named like a password; short ones are left out, they match text anywhere. */
  notePasswords(body: Readonly<Record<string, unknown>>): void {
    for (const [key, value] of Object.entries(body)) {
      if (/password/i.test(key) && typeof value === 'string' && value.length >= MIN_PASSWORD_LENGTH) this.passwords.add(value);
    }
  }

  noteToken(token: string): string {
    this.tokens.add(token);
    return token;
  }

  noteOtp(code: string): void {
    this.otps.add(code);
  }

  noteCredential(value: string): string {
    this.credentials.add(value);
    return value;
  }

  seen(): SecretsSeen {
    return { passwords: [...this.passwords], tokens: [...this.tokens], otps: [...this.otps], credentials: [...this.credentials] };
  }
}
