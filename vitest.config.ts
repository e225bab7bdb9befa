import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    // tfjs keeps global state (backend, tensor registry): one file per worker process, in order.
    pool: 'forks',
    fileParallelism: true,
  },
});
