import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    // Generous bounds: the node tests start real worker threads, which take seconds to start on
    // a loaded 2-core machine. A test that waits for something waits for it, not for a clock.
    testTimeout: 60_000,
    hookTimeout: 90_000,
  },
});
