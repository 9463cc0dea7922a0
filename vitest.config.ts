import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two small cores: integration tests start servers and child processes, so cap parallelism.
    maxWorkers: 2,
    reporters: ['default'],
    // Processes the tests spawn (`node bin/topic-digest.js …`) run src/ through tsx, so they test
    // the code in the tree rather than a dist/ built earlier (see bin/topic-digest.js).
    env: { TOPIC_DIGEST_FROM_SOURCE: '1' },
  },
});
