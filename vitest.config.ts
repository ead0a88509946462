import { defineConfig } from 'vitest/config'

/**
 * One run for every suite: test/unit (pure logic), test/api (app.request() against real databases
 * in every mode) and test/e2e (Chromium against the real server). scripts/test.mjs sets the modes;
 * global-setup prepares one seeded database per mode.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // One test file at a time: the embedded database (PGlite behind pglite-socket) mixes up the
    // extended-protocol messages of concurrent client connections, so files must not share it at once.
    fileParallelism: false,
  },
})
