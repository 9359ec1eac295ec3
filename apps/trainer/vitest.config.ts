import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The CLI tests train real (tiny) models in child processes.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
