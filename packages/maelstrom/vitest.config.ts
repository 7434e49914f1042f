import { defineProject } from 'vitest/config';

// Pure cores of the Maelstrom host: workloads' generators, services, checkers, on hand-made histories.
export default defineProject({ test: { name: 'maelstrom', include: ['test/**/*.test.ts'], testTimeout: 30_000 } });
