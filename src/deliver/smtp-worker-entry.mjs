// Worker threads do not inherit the parent's TypeScript loader: register tsx here, then load the worker.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });
await import('./smtp-worker.ts');
