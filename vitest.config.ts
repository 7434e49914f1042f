import { defineConfig } from 'vitest/config';

// Two test files at a time, whatever the cores: the integration tests mostly wait (real timeouts,
// lessons' and workloads' time limits), so on a 2-core machine two of them take 598 s where one
// at a time took 1,014 s, and every test already passes beside a CPU hog.
export default defineConfig({ test: { projects: ['packages/*', 'tests'], maxWorkers: 2 } });
