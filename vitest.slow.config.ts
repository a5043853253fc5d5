// The slow tier: a real systemd in containers, PID 1 in a PID namespace, and the
// Dockerfile built and run with podman. Needs root and the Debian packages that
// .ci/run installs.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/slow/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts', 'test/slow/helpers/setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
