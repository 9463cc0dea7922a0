/**
 * Personal-field tokens. A digest renders once for many readers with these placeholders in it,
 * then the send loop fills them per reader. `%%td:name%%` survives React's escaping unchanged in
 * both attributes and text (no `&`, `<`, `>` or quotes), and the renderer neutralises `%%` in
 * every piece of article text so no story can forge one.
 */

/** The names of every personal field. */
export const PERSONAL_FIELDS = [
  'unsubscribe_url',
  'preferences_url',
  'view_online_url',
  'greeting',
  'name',
  'email',
] as const;

/** A personal field name. */
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

/** The placeholder for a personal field, as it appears in rendered output. */
export function token(field: PersonalField): string {
  return `%%td:${field}%%`;
}

/** Matches any well-formed token; unknown names are matched too and left alone by the personaliser. */
export const TOKEN_PATTERN = /%%td:([a-z_]+)%%/g;

/** Ready-made placeholders for templates. */
export const tokens = {
  unsubscribeUrl: token('unsubscribe_url'),
  preferencesUrl: token('preferences_url'),
  viewOnlineUrl: token('view_online_url'),
  /** "Hello Ana," or "Hello," when the reader gave no name. */
  greeting: token('greeting'),
  name: token('name'),
  email: token('email'),
} as const;
