#!/usr/bin/env node
// The CLI is TypeScript; tsx compiles it on load so `npx topic-digest` works straight after `npm install`.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// React's development build renders emails about twice as slowly; opt in to it explicitly.
process.env.NODE_ENV ??= 'production';

// The project's own tsconfig (JSX settings), wherever the command is run from.
register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const { runCli } = await import('../src/cli/index.ts');
process.exitCode = await runCli(process.argv);
