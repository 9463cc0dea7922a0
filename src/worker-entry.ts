/**
 * The entry module of a worker thread that sits next to `moduleUrl`. Compiled (dist/), the
 * caller is `.js` and so is the worker, which Node loads directly. From source (tsx), a `.mjs`
 * shim named `<name>-entry.mjs` registers tsx in the worker first, since worker threads do not
 * inherit the parent's loader. (dist/ has no `.mjs` shims and no tsx.)
 */
export function workerEntry(moduleUrl: string, name: string): URL {
  return new URL(moduleUrl.endsWith('.js') ? `./${name}.js` : `./${name}-entry.mjs`, moduleUrl);
}
