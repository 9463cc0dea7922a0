import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two small cores: integration tests start servers and child processes, so cap parallelism.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
