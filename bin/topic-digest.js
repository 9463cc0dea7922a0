#!/usr/bin/env node
// The CLI is TypeScript; tsx compiles it on load so `npx topic-digest` works straight after `npm install`.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/index.ts');
process.exitCode = await runCli(process.argv);
