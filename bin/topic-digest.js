#!/usr/bin/env node
// The CLI is TypeScript; tsx compiles it on load so `npx topic-digest` works straight after `npm install`.
import { register } from 'tsx/esm/api';

// React's development build renders emails about twice as slowly; opt in to it explicitly.
process.env.NODE_ENV ??= 'production';

register();
const { runCli } = await import('../src/cli/index.ts');
process.exitCode = await runCli(process.argv);
