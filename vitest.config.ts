import { defineConfig } from 'vitest/config';

// Self-tests of the suite (npm test). The conformance specs in specs/ are run by the CLI, not here.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 60_000,
    reporters: ['default', ['junit', { outputFile: 'reports/self-test/junit.xml' }]],
  },
});
