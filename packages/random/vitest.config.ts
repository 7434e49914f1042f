import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'random', include: ['test/**/*.test.ts'], testTimeout: 30_000 } });
