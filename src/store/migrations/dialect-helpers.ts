// The dialect helpers live in src/store/dialect.ts. This re-export keeps migrations written
// against the old path compiling; new code imports '../dialect.js'.
export { isPostgres, withIdColumn } from '../dialect.js';
