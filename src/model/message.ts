/**
 * Mail shapes more than one layer names: the store queues list headers with transactional mail,
 * and deliver writes them, so the type lives below both.
 */

/** List headers (RFC 2369 / 2919 / 8058) for newsletter mail. */
export interface ListHeaders {
  /** The https one-click unsubscribe URL. */
  unsubscribeUrl: string;
  /** A mailto: fallback, e.g. mailto:unsubscribe@example.com?subject=unsubscribe. */
  unsubscribeMailto?: string;
  /** The list identifier, e.g. `Topic Digest <digest.example.com>`. */
  id: string;
  archiveUrl?: string;
  helpUrl?: string;
}
