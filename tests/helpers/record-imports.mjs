// Loaded with `node --import ./tests/helpers/record-imports.mjs …`: records the URL of every ES
// module the process resolves, one per line, in the file named by RECORD_IMPORTS_TO. Everything
// our code imports goes through here (CommonJS packages too, at their entry point).
import { register } from 'node:module';

register('./record-imports-hooks.mjs', import.meta.url, { data: { file: process.env.RECORD_IMPORTS_TO } });
