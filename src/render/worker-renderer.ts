import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../errors.js';
import type { EditionContent, RenderedEdition } from '../model/edition.js';
import type { EditionRenderer, EditionRendererOptions } from './edition-renderer.js';
import type { RenderReply, RenderRequest } from './render-worker.js';
import { workerClient } from '../worker-client.js';
import { workerEntry } from '../worker-entry.js';

/**
 * Renders editions in a worker thread with a bounded heap. Rendering a million-reader day
 * produced hundreds of MB of short-lived React garbage that V8 collected lazily in the main heap
 * (543 MB peak RSS at 200k readers over a 37 MB live heap); in a worker it stays within the
 * worker's limits, so the user never has to pass --max-old-space-size.
 */

/**
 * Heap limits of the render worker. Its live heap is React and the templates (about 25 MB) plus
 * one edition (under the 100 KB size budget); render garbage dies young. 96/16 MB let the worker
 * alone hold about 100 MB of RSS on a large day; a worker that still runs out restarts and that
 * edition renders in-process.
 */
export const RENDER_WORKER_LIMITS = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 };

/** The render worker's entry module: see {@link workerEntry}. */
export function renderWorkerEntry(moduleUrl: string = import.meta.url): URL {
  return workerEntry(moduleUrl, 'render-worker');
}

/** Failures of the worker itself (out of memory, crashed, could not start), not of an edition. */
const workerFailures = new WeakSet<object>();

function workerFailure(message: string, cause?: Error): AppError {
  const err = new AppError('RENDER_FAILED', message, { ...(cause ? { cause } : {}), hint: 'an edition too large to render? check DIGEST_MAX_PER_TOPIC' });
  workerFailures.add(err);
  return err;
}

/**
 * The edition as the worker needs it. No template shows a story's body, and copying the bodies
 * to the worker (kilobytes per story, ~17 stories an edition) cost the sending thread for nothing.
 */
function withoutBodies(content: EditionContent): EditionContent {
  return { ...content, sections: content.sections.map((section) => ({ ...section, articles: section.articles.map((a) => (a.body ? { ...a, body: '' } : a)) })) };
}

/** An {@link EditionRenderer} that must be closed to end its worker. */
export interface ClosableEditionRenderer extends EditionRenderer {
  close(): Promise<void>;
}

/** Creates a renderer whose work runs in a worker thread, started on first use and restarted after a crash. */
export function createWorkerEditionRenderer(options: EditionRendererOptions): ClosableEditionRenderer {
  let renderCount = 0;
  const worker = workerClient<Omit<RenderRequest, 'id'>, RenderedEdition, undefined>(
    () => new Worker(renderWorkerEntry(), { workerData: options, resourceLimits: RENDER_WORKER_LIMITS, env: process.env }),
    {
      reply(message) {
        const reply = message as RenderReply;
        if ('ok' in reply) return reply;
        return { id: reply.id, error: new AppError((reply.error.code as ErrorCode | undefined) ?? 'RENDER_FAILED', reply.error.message, reply.error.hint ? { hint: reply.error.hint } : {}) };
      },
      // A worker that runs out of its heap or crashes fails what it held; the next render starts a new one.
      lost: (_tag, cause) => ({ error: cause ? workerFailure(`the render worker failed: ${cause.message}`, cause) : workerFailure('the render worker stopped before finishing') }),
    },
  );
  return {
    async render(content: EditionContent): Promise<RenderedEdition> {
      const r = await worker.call({ content: withoutBodies(content) }, undefined);
      renderCount++;
      return r;
    },
    get renderCount() {
      return renderCount;
    },
    close: () => worker.close(),
  };
}

/**
 * Editions rendered in-process before rendering moves to the worker. In production, none: the
 * main thread then never loads React and the templates (about 20 MB of RSS and 0.2 s of CPU since
 * the templates import single components, not a barrel), and a large day's render garbage
 * never lands in its heap. Elsewhere (tests, development) a small day renders in-process, because
 * a worker costs a second or two to start.
 */
const inProcessByDefault = () => (process.env.NODE_ENV === 'production' ? 0 : 24);

/**
 * The renderer the app uses: the first `inProcessRenders` editions render in-process, the rest in
 * a bounded worker, where a large day's garbage cannot swell the heap. The in-process renderer
 * (React and the templates) is loaded only when first needed.
 */
export function createLeanEditionRenderer(
  options: EditionRendererOptions,
  inProcessRenders = inProcessByDefault(),
  worker: ClosableEditionRenderer = createWorkerEditionRenderer(options),
): ClosableEditionRenderer {
  let local: EditionRenderer | undefined;
  let loading: Promise<EditionRenderer> | undefined;
  const inProcess = (content: EditionContent) =>
    (loading ??= import('./edition-renderer.js').then((m) => (local = m.createEditionRenderer(options)))).then((r) => r.render(content));
  let started = 0;
  return {
    // A worker that cannot run (no heap for it, a loader missing) must not stop the day: that
    // edition renders in-process instead; an edition's own error is reported as it is.
    render: (content) =>
      started++ < inProcessRenders ? inProcess(content) : worker.render(content).catch((err: unknown) => (err instanceof Object && workerFailures.has(err) ? inProcess(content) : Promise.reject(err))),
    get renderCount() {
      return (local?.renderCount ?? 0) + worker.renderCount;
    },
    close: () => worker.close(),
  };
}
