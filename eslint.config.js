import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/dist-types/**', '**/node_modules/**', 'runs/**', '.scratch/**', '.artifacts/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.config.ts', '*.config.js', 'packages/*/bin/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['**/*.js'], extends: [tseslint.configs.disableTypeChecked] },
  {
    // Students' starter programs (Maelstrom's protocol): plain Node.js, no types.
    files: ['examples/**/*.mjs', 'tests/fixtures/**/*.mjs', 'packages/cli/exercises/**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly' } },
  },
  {
    // The browser dashboard bundles the checkers: no Node.js in them.
    files: ['packages/checkers/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^node:|^(fs|path|os|child_process|crypto|url|util|events|stream|net|http|perf_hooks)$', message: 'checkers run in the browser too: no Node.js modules' }] }],
      'no-restricted-globals': ['error', { name: 'process', message: 'checkers run in the browser too' }, { name: 'Buffer', message: 'checkers run in the browser too' }],
    },
  },
);
