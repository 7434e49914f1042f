import { defineProject } from 'vitest/config';

// Pure functions over traces, on hand-made traces: the lens, the words for a line, the causality checks, the clocks' checks against true time.
export default defineProject({ test: { name: 'checkers', include: ['test/**/*.test.ts'], testTimeout: 30_000 } });
