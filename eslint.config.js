// ESLint (flat config). `npm run lint` runs it over the whole tree; `npx eslint --fix` fixes what it can.
// Decision 0024 says what runs in `npm test` and why.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores([
    '**/dist/**',
    'data/**',
    'test-results/**',
    'bench/results/**',
    'server/db/migrations/**', // drizzle-kit output
    '.scratch/**',
  ]),
  {
    // An eslint-disable that suppresses nothing is an error; that each one gives a reason
    // (`-- why`) is checked by server/test/lint-habits.test.ts (ESLint has no core rule for it).
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  // Not the type-aware presets (recommendedTypeChecked): measured on this tree they take ~80 s
  // on two cores against ~17 s without, and report ~1,400 findings, mostly no-unsafe-* on
  // `any` from drizzle rows and JSON bodies. `npm run typecheck` already runs tsc.
  tseslint.configs.recommended,
  {
    rules: {
      // `_name` marks a parameter or binding kept on purpose (a callback's position, or
      // `const { a: _a, ...rest } = x` to drop a key).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      // v7's recommended set: the classic two plus the React Compiler's checks. Most of the
      // compiler's checks (purity, refs, immutability, static-components, use-memo …) catch real
      // bugs with or without the compiler, so they stay on.
      ...reactHooks.configs.recommended.rules,
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      // Off: the console does not build with the React Compiler, and its pages set a default
      // selection (first branch, newest version …) or reset a form from data that arrives
      // later, in effects. Rewriting those is a behaviour change, not a lint fix; the rule
      // flags 13 of them.
      'react-hooks/set-state-in-effect': 'off',
    },
  },
  // Last: turns off the stylistic rules that would fight Prettier.
  prettier,
);
