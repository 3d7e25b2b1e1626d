// ESLint flat config: typescript-eslint's type-aware recommended rules on all TypeScript, stricter in the
// application code, and a rule that keeps I/O libraries out of the pure domain and the source adapters.
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const TS = [
  'src/**/*.ts',
  'workers/**/*.ts',
  'config/**/*.ts',
  'test/**/*.ts',
  'scripts/**/*.ts',
  'bench/**/*.ts',
];
const APP = ['src/**/*.ts', 'workers/**/*.ts', 'config/**/*.ts'];

/** Libraries that do I/O: the domain and the adapters take data in and give data out, nothing else. */
const IO_MODULES = [
  'mongoose',
  'mongodb',
  'bullmq',
  'ioredis',
  'express',
  'pino',
  'fs',
  'node:fs',
  'http',
  'node:http',
  'https',
  'node:https',
];

export default defineConfig([
  {
    ignores: [
      'dist/',
      'node_modules/',
      'coverage/',
      '.tmp/',
      'scripts/**/*.mjs',
      'jest.config.js',
      'jest.*.config.js',
      'test/helpers/*.js',
      'test/fixtures/',
    ],
  },
  {
    files: TS,
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: APP,
    rules: {
      'no-console': 'error',
    },
  },
  {
    files: ['src/domain/**/*.ts', 'src/sources/**/*.ts', 'src/payloads/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: IO_MODULES.flatMap((m) => [m, `${m}/*`]),
              message:
                'src/domain, src/sources and src/payloads are pure: no I/O libraries here; do the I/O in use-cases, persistence or queue.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // expect(obj.method).toHaveBeenCalled() and supertest's `any` bodies are normal in tests.
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      // async callbacks without await (fake handlers, jest.fn(async () => x)) are fine in tests.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
]);
