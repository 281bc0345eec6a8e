import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'contract/selftest/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 600_000,
    // End-to-end files install real projects; two at a time fits a 2-core CI machine.
    pool: 'forks',
    maxWorkers: 2,
    // Long e2e files first, so the short ones fill the gaps.
    sequence: { shuffle: false },
  },
});
