import { defineProject } from 'vitest/config';

// Unit tests on the pure cores, integration tests with the real proxy and real node processes.
export default defineProject({ test: { name: 'coordinator', include: ['test/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 30_000 } });
