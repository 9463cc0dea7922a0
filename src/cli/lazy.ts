/**
 * The rule that keeps `topic-digest --help` fast: a command file's top level imports only what
 * defining the command needs (commander, types, errors, small parsers), and declares each module
 * its actions need with {@link lazyModule}. The module is imported the first time an action asks
 * for it, so listing or parsing commands never loads React, Fastify, nodemailer or the store.
 *
 * ```ts
 * const loadTopicFile = lazyModule(() => import('../topics/topic-file.js'));
 * // … inside .action(async (file) => { … }):
 * const { importTopicFile } = await loadTopicFile();
 * ```
 *
 * tests/integration/cli/lazy-commands.test.ts fails when a command file imports one of the heavy
 * packages at its top level.
 */
export function lazyModule<M>(load: () => Promise<M>): () => Promise<M> {
  let loaded: Promise<M> | undefined;
  return () => (loaded ??= load());
}
