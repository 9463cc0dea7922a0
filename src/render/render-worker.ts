import { parentPort, workerData } from 'node:worker_threads';
import { isAppError } from '../errors.js';
import type { EditionContent } from '../model/edition.js';
import { createEditionRenderer, type EditionRendererOptions } from './edition-renderer.js';

/**
 * The render worker's side: renders editions it is sent and posts them back. React's garbage
 * (several MB per edition) is collected in this thread's small, bounded heap, never the sender's.
 */

/** A request to the worker. */
export interface RenderRequest {
  id: number;
  content: EditionContent;
}

/** The worker's answer: the edition, or the error with what the user needs to read it. */
export type RenderReply =
  | { id: number; ok: import('../model/edition.js').RenderedEdition }
  | { id: number; error: { message: string; code?: string; hint?: string } };

const renderer = createEditionRenderer(workerData as EditionRendererOptions);
const port = parentPort!;

port.on('message', (req: RenderRequest) => {
  renderer.render(req.content).then(
    (ok) => port.postMessage({ id: req.id, ok } satisfies RenderReply),
    (err: unknown) => {
      const cause = isAppError(err) && err.cause instanceof Error ? `: ${err.cause.message}` : '';
      const error = isAppError(err) ? { message: err.message + cause, code: err.code, ...(err.hint ? { hint: err.hint } : {}) } : { message: String(err instanceof Error ? err.message : err) };
      port.postMessage({ id: req.id, error } satisfies RenderReply);
    },
  );
});
