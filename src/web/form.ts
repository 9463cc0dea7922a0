/**
 * Reading url-encoded form bodies. A field may arrive once, several times or not at all, and
 * a hostile client may send anything, so every reader here returns plain strings only.
 */

/** A parsed form body as @fastify/formbody produces it. */
export type FormBody = Record<string, unknown>;

/** The body as a form, or an empty one when the request carried no form. */
export function asForm(body: unknown): FormBody {
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as FormBody) : {};
}

/** The field's single value; the first one when repeated; '' when missing. */
export function field(form: FormBody, name: string): string {
  const v = form[name];
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return '';
}

/** Every string value of a repeatable field (checkbox groups). */
export function fieldList(form: FormBody, name: string): string[] {
  const v = form[name];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}
