import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // With TEST_DATABASE_URL every test file resets the same database, so files run one by one;
    // on SQLite each file has its own throwaway database and files run in parallel.
    fileParallelism: !process.env.TEST_DATABASE_URL,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
