// ESLint flat config: the recommended JavaScript and typescript-eslint rules over everything we
// write. No type-aware rules: they need the whole program loaded and would double CI time on two
// cores; `npm run typecheck` already covers types.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.react-email/', 'coverage/', 'data/', 'outbox/', 'previews/', 'test-output/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_`-prefixed names are deliberately unused (placeholders in destructuring and callbacks).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    // Command files are imported on every run, `--help` included: services and heavy packages are
    // loaded inside actions with lazyModule() (src/cli/lazy.ts, docs/architecture.md). Types are fine.
    files: ['src/cli/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['react', 'react-dom', '@react-email/*', 'fastify', '@fastify/*', 'nodemailer', 'imapflow', 'kysely', 'better-sqlite3', 'pg', 'pino', 'pino-pretty', 'cli-progress', 'feedsmith', 'handlebars', 'zod', 'prom-client'],
              allowTypeImports: true,
              message: 'load it inside the action with lazyModule() (src/cli/lazy.ts) so --help stays fast',
            },
            {
              // Small pure helpers are fine; the rest of these folders is not.
              group: ['../main.js', '../config.js', '../app-store.js', '../logger.js', '../web/*', '../deliver/*', '../render/*', '../store/*', '../schedule/*', '../pipeline/*', '../ingest/*', '../seed/*', '../topics/*', '../preview/preview-digest.js', '!../ingest/article-key.js', '!../ingest/dates.js', '!../pipeline/summary-line.js', '!../pipeline/explain-nothing.js'],
              allowTypeImports: true,
              message: 'load it inside the action with lazyModule() (src/cli/lazy.ts) so --help stays fast',
            },
          ],
        },
      ],
    },
  },
  {
    // Barrels load every component, Prism's tables and Tailwind in each render thread (about 26 MB
    // and 0.4 s of CPU, docs/benchmarks.md); `react-email` is also the dev-only preview toolchain.
    files: ['emails/**/*.{ts,tsx}', 'src/**/*.{ts,tsx}'],
    ignores: ['src/cli/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@react-email/components', message: "import the component's own package, e.g. '@react-email/text'" },
            { name: 'react-email', message: "a dev dependency (the preview toolchain): import the component's own package, e.g. '@react-email/text'" },
          ],
        },
      ],
    },
  },
  {
    // Migrations run against whatever schema version the database is at, so they take Kysely<any>,
    // as Kysely's documentation does.
    files: ['src/store/migrations/**/*.ts', 'src/store/database.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Tests reach into internals and build deliberately malformed values.
    files: ['tests/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Pages' own browser scripts.
    files: ['templates/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
