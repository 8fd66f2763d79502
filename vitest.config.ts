import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['services/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Generous: the end-to-end tests wait for real projections on a 2-core machine that may be busy;
    // each of their waits is bounded on its own and says what it waited for.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
