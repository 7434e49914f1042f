import { defineProject } from 'vitest/config';

// Checks on hand-made traces; lesson files; terminal rendering; every lesson run for real (real processes).
export default defineProject({ test: { name: 'lessons', include: ['test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 30_000 } });
