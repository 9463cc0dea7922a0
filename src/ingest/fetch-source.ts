import { AppError } from '../errors.js';
import { decodeText } from './decode-text.js';

/** Limits and manners for fetching a feed over HTTP. */
export interface FetchLimits {
  /** The fetch implementation; the global one unless a test passes its own. */
  fetch?: typeof fetch;
  /** Whole request, headers and body, in milliseconds. */
  timeoutMs?: number;
  /** Largest body accepted, in bytes; feeds are small and a huge answer is a misconfigured URL. */
  maxBytes?: number;
  /** Names the product and its site, so a publisher knows who polls them. */
  userAgent?: string;
}

/** 15 s: a slow feed must not hold up the other sources for long. */
export const DEFAULT_FETCH_TIMEOUT_MS = 15_000;
/** 10 MiB. */
export const DEFAULT_FETCH_MAX_BYTES = 10 * 1024 * 1024;

/** The User-Agent every fetch sends: product, version and the operator's public site. */
export function userAgentFor(publicUrl: string | undefined): string {
  return `topic-digest/0.1 (+${publicUrl ?? 'https://github.com/topic-digest'})`;
}

/** Validators from a previous fetch, sent back so an unchanged feed costs a 304. */
export interface Validators {
  etag?: string | null;
  lastModified?: string | null;
}

/** What one fetch brought back. `notModified` means a 304: there is no body. */
export interface FetchResult {
  status: number;
  notModified: boolean;
  bytes: Uint8Array;
  contentType: string | null;
  etag: string | null;
  lastModified: string | null;
  /** From Cache-Control max-age, in ms: the server asks us not to come back sooner. */
  maxAgeMs: number | null;
}

/** What a text fetch returns. */
export interface FetchedText {
  text: string;
  contentType: string | null;
}

/** A FEED_FETCH_FAILED error, with the HTTP error status and Retry-After when the server answered with one (null when no full answer came). */
export class FetchFailure extends AppError {
  constructor(
    url: string,
    message: string,
    readonly status: number | null = null,
    readonly retryAfterMs: number | null = null,
    cause?: unknown,
  ) {
    super('FEED_FETCH_FAILED', `${url}: ${message}`, { cause, hint: 'check the URL in a browser or with curl; the other sources were still imported' });
  }
}

function describeCause(cause: unknown, timeoutMs: number): string {
  if (cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError')) {
    return `timed out after ${Math.round(timeoutMs / 100) / 10} s`;
  }
  const inner = cause instanceof Error && cause.cause instanceof Error ? cause.cause.message : undefined;
  return `request failed (${inner ?? (cause instanceof Error ? cause.message : String(cause))})`;
}

/** Retry-After as delay-seconds or an HTTP date, in ms from now; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

function parseMaxAge(cacheControl: string | null): number | null {
  const m = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?/i.exec(cacheControl ?? '');
  return m?.[1] ? Number(m[1]) * 1000 : null;
}

async function readCapped(res: Response, url: string, maxBytes: number, timeoutMs: number): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new FetchFailure(url, `the answer is ${declared} bytes, over the ${maxBytes}-byte limit`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    if (res.body) {
      // Count while reading: Content-Length may be absent, wrong, or describe the compressed body.
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        size += chunk.byteLength;
        if (size > maxBytes) throw new FetchFailure(url, `the answer is over the ${maxBytes}-byte limit`);
        chunks.push(chunk);
      }
    }
  } catch (cause) {
    if (cause instanceof AppError) throw cause;
    throw new FetchFailure(url, describeCause(cause, timeoutMs), null, null, cause);
  }
  return Buffer.concat(chunks);
}

/**
 * GETs `url` politely: conditional on the validators given, gzip/br accepted, within the time and
 * size limits. A 304 is a result, not an error; any other failure is a {@link FetchFailure}.
 */
export async function fetchFeed(url: string, validators: Validators = {}, limits: FetchLimits = {}): Promise<FetchResult> {
  const timeoutMs = limits.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const headers: Record<string, string> = {
    accept: 'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, application/json;q=0.8, text/*;q=0.5',
    'accept-encoding': 'gzip, br',
    'user-agent': limits.userAgent ?? userAgentFor(undefined),
  };
  if (validators.etag) headers['if-none-match'] = validators.etag;
  if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
  let res: Response;
  try {
    res = await (limits.fetch ?? fetch)(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow', headers });
  } catch (cause) {
    throw new FetchFailure(url, describeCause(cause, timeoutMs), null, null, cause);
  }
  const meta = {
    status: res.status,
    contentType: res.headers.get('content-type'),
    etag: res.headers.get('etag'),
    lastModified: res.headers.get('last-modified'),
    maxAgeMs: parseMaxAge(res.headers.get('cache-control')),
  };
  if (res.status === 304) {
    await res.body?.cancel().catch(() => undefined);
    return { ...meta, notModified: true, bytes: new Uint8Array() };
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    const retryAfter = parseRetryAfter(res.headers.get('retry-after'));
    throw new FetchFailure(url, `the server answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`, res.status, retryAfter);
  }
  return { ...meta, notModified: false, bytes: await readCapped(res, url, limits.maxBytes ?? DEFAULT_FETCH_MAX_BYTES, timeoutMs) };
}

/** GETs `url` and decodes it by its declared encoding; any failure is FEED_FETCH_FAILED naming the URL. */
export async function fetchText(url: string, limits: FetchLimits = {}): Promise<FetchedText> {
  const r = await fetchFeed(url, {}, limits);
  return { text: decodeText(r.bytes, r.contentType, url), contentType: r.contentType };
}
