import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // CI runs every package's tests at once on 2 cores: generous limits, never timing assertions.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
