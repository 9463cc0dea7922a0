/**
 * RFC 8058 one-click unsubscribe. Mailbox providers POST `List-Unsubscribe=One-Click` to the
 * List-Unsubscribe URL, as application/x-www-form-urlencoded or multipart/form-data, with no
 * cookies. We accept both encodings; multipart is parsed just far enough to find that one field.
 */

/** The field and value RFC 8058 §3.1 requires in the POST body. */
export const ONE_CLICK_FIELD = 'List-Unsubscribe';
export const ONE_CLICK_VALUE = 'One-Click';

/** Whether a parsed body is a one-click unsubscribe request. */
export function isOneClickBody(body: unknown): boolean {
  if (body === null || typeof body !== 'object') return false;
  const v = (body as Record<string, unknown>)[ONE_CLICK_FIELD];
  return v === ONE_CLICK_VALUE || (Array.isArray(v) && v.includes(ONE_CLICK_VALUE));
}

/**
 * Reads the simple text fields of a multipart/form-data body into a record. Files and anything
 * unusual are ignored; this exists only so one-click requests sent as multipart are understood.
 */
export function parseMultipartFields(body: string, contentType: string): Record<string, string> {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2];
  const fields: Record<string, string> = {};
  if (!marker) return fields;
  for (const part of body.split(`--${marker}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const head = part.slice(0, split);
    const name = /content-disposition:\s*form-data;[^\r\n]*?\bname="([^"]*)"/i.exec(head)?.[1];
    if (name === undefined || /filename=/i.test(head)) continue;
    fields[name] = part.slice(split + 4).replace(/\r\n$/, '');
  }
  return fields;
}
