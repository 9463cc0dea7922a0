// The resolve hook behind record-imports.mjs (module hooks run on their own thread).
import { appendFileSync } from 'node:fs';

let file;

/** Receives the output file from register(). */
export function initialize(data) {
  file = data.file;
}

/** Lets Node (and tsx) resolve the specifier, then records where it went. */
export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  if (file) appendFileSync(file, result.url + '\n');
  return result;
}
