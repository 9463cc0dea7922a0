import { AppError } from '../errors.js';

/** Limits for fetching a feed over HTTP. */
export interface FetchLimits {
  /** The fetch implementation; the global one unless a test passes its own. */
  fetch?: typeof fetch;
  /** Whole request, headers and body, in milliseconds. */
  timeoutMs?: number;
  /** Largest body accepted, in bytes; feeds are small and a huge answer is a misconfigured URL. */
  maxBytes?: number;
}

/** 15 s: a slow feed must not hold up the other sources for long. */
export const DEFAULT_FETCH_TIMEOUT_MS = 15_000;
/** 10 MiB. */
export const DEFAULT_FETCH_MAX_BYTES = 10 * 1024 * 1024;

/** What a fetch returns. */
export interface FetchedText {
  text: string;
  contentType: string | null;
}

function failed(url: string, message: string, cause?: unknown): AppError {
  return new AppError('FEED_FETCH_FAILED', `${url}: ${message}`, {
    cause,
    hint: 'check the URL in a browser or with curl; the other sources were still imported',
  });
}

function describeCause(cause: unknown, timeoutMs: number): string {
  if (cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError')) {
    return `timed out after ${Math.round(timeoutMs / 100) / 10} s`;
  }
  const inner = cause instanceof Error && cause.cause instanceof Error ? cause.cause.message : undefined;
  return `request failed (${inner ?? (cause instanceof Error ? cause.message : String(cause))})`;
}

/** GETs `url` as UTF-8 text within the time and size limits; any failure is FEED_FETCH_FAILED naming the URL. */
export async function fetchText(url: string, limits: FetchLimits = {}): Promise<FetchedText> {
  const timeoutMs = limits.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const maxBytes = limits.maxBytes ?? DEFAULT_FETCH_MAX_BYTES;
  const doFetch = limits.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'follow',
      headers: { accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, application/json;q=0.8, text/*;q=0.5', 'user-agent': 'topic-digest' },
    });
  } catch (cause) {
    throw failed(url, describeCause(cause, timeoutMs), cause);
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw failed(url, `the server answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
  }
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw failed(url, `the answer is ${declared} bytes, over the ${maxBytes}-byte limit`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    if (res.body) {
      // Count while reading: Content-Length may be absent or wrong.
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        size += chunk.byteLength;
        if (size > maxBytes) throw failed(url, `the answer is over the ${maxBytes}-byte limit`);
        chunks.push(chunk);
      }
    }
  } catch (cause) {
    if (cause instanceof AppError) throw cause;
    throw failed(url, describeCause(cause, timeoutMs), cause);
  }
  return { text: new TextDecoder('utf-8').decode(Buffer.concat(chunks)), contentType: res.headers.get('content-type') };
}
