import { defineProject } from 'vitest/config';

// Multi-package integration tests: real processes, real sockets, the real proxy.
export default defineProject({ test: { name: 'integration', include: ['**/*.test.ts'], testTimeout: 60_000, hookTimeout: 30_000, maxConcurrency: 4, globalSetup: ['./support/global-setup.ts'] } });
