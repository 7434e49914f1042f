import { defineProject } from 'vitest/config';

// The page's pure model (layout, causality, replay, exports) in Node; the page itself is tested in Chromium (tests/).
export default defineProject({ test: { name: 'dashboard', include: ['test/**/*.test.ts'], testTimeout: 30_000 } });
