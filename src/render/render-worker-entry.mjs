// Worker threads do not inherit the parent's TypeScript loader: register tsx here, then load the worker.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// The project's own tsconfig (its JSX settings), whatever folder the process was started from.
register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });
await import('./render-worker.ts');
