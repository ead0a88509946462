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
    // Files run side by side (each opens databases of its own); e2e files wait on the browser much of the time.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'api',
          include: ['test/api/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
    ],
  },
})
