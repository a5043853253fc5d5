import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The slow tier and the fault suite have their own configs (vitest.slow.config.ts, vitest.faults.config.ts).
    exclude: ['test/slow/**', 'test/faults/**', 'node_modules/**'],
    globalSetup: ['test/helpers/global-setup.ts'],
    // Every test drives real processes; waiting is on events with their own deadlines.
    testTimeout: 60_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
