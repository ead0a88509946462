import { defineConfig } from 'vitest/config'

/**
 * Three projects in one run: `unit` (pure logic, no database: `npm run test:unit`), `api`
 * (app.request() against real databases in every mode) and `e2e` (Chromium against the real
 * server). scripts/test.mjs sets the modes; global-setup prepares one seeded database per mode.
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        test: {
          name: 'api',
          include: ['test/api/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          // One test file at a time: the embedded database (PGlite behind pglite-socket) mixes up the
          // extended-protocol messages of concurrent client connections, so files must not share it at once.
          fileParallelism: false,
        },
      },
    ],
  },
})
