import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    // tfjs keeps global state (backend, tensor registry): one file per worker process, in order.
    pool: 'forks',
    fileParallelism: true,
    // tfjs's one-time "install the Node backend" banner (we test the wasm and cpu backends on purpose).
    onConsoleLog: (log) => !log.includes('looks like you are running TensorFlow.js in Node.js'),
  },
});
