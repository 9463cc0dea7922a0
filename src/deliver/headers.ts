import { randomUUID } from 'node:crypto';
import type { ListHeaders } from './mailer.js';

/**
 * Header building in one place, so that no reader-supplied text can smuggle a CR/LF into a header
 * and every newsletter message carries the same RFC 2369/2919/8058 set.
 */

/** Strips CR, LF and other control characters; collapses runs of white space. */
export function headerSafe(value: string): string {
  return value.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').replace(/\s{2,}/g, ' ').trim();
}

/** The domain part of an address such as `Name <user@example.com>`, lower-cased. */
export function domainOf(address: string): string {
  const m = /@([^>\s]+)>?\s*$/.exec(address);
  return (m?.[1] ?? 'localhost').toLowerCase();
}

/** A unique Message-ID on our own domain. */
export function newMessageId(fromAddress: string): string {
  return `<${randomUUID()}@${domainOf(fromAddress)}>`;
}

/** The List-* headers for a newsletter message. */
export function listHeaders(list: ListHeaders): Record<string, string> {
  const unsubscribe = [`<${list.unsubscribeUrl}>`];
  if (list.unsubscribeMailto) unsubscribe.push(`<${list.unsubscribeMailto}>`);
  const headers: Record<string, string> = {
    'List-Unsubscribe': unsubscribe.join(', '),
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'List-Id': headerSafe(list.id),
  };
  if (list.archiveUrl) headers['List-Archive'] = `<${list.archiveUrl}>`;
  if (list.helpUrl) headers['List-Help'] = `<${list.helpUrl}>`;
  return headers;
}

/** The List-Id value for a sender: `Name <list.domain>` (RFC 2919). */
export function defaultListId(senderName: string, fromAddress: string): string {
  return `${headerSafe(senderName).replace(/[<>"]/g, '')} <digest.${domainOf(fromAddress)}>`;
}
