import type { CSSProperties } from 'react';

/**
 * One palette and type scale for every email. Web-safe font stacks only: Gmail and Outlook drop
 * web fonts, and an external stylesheet would need the network to look right.
 */

/** Serif stack for headlines (news feel); Georgia is on every desktop and phone client. */
export const serif = 'Georgia,Times,serif';
/** Sans stack for body and chrome. */
export const sans = 'Helvetica,Arial,sans-serif';

/** Light palette, chosen to keep 4.5:1 contrast on white. */
export const colors = {
  ink: '#1a1a1a',
  muted: '#555555',
  faint: '#6b6b6b',
  rule: '#dddddd',
  accent: '#b3261e',
  link: '#1a1a1a',
  page: '#f4f4f1',
  paper: '#ffffff',
} as const;

/** The default brand colour (BRAND_COLOR). */
export const defaultBrandColor = colors.accent;

/** The 600 px column that every client renders predictably. */
export const containerWidth = 600;
/** Inner width (container minus horizontal padding): the width attribute of full-bleed images. */
export const contentWidth = 552;

/**
 * Class names the dark-mode rules hook onto. Inline styles give the light look everywhere; in
 * clients that honour `prefers-color-scheme` (Apple Mail, iOS) or mark dark mode with
 * `[data-ogsc]`/`[data-ogsb]` (Outlook apps), these classes switch to the dark palette.
 */
export const cls = {
  page: 'td-page',
  paper: 'td-paper',
  ink: 'td-ink',
  muted: 'td-muted',
  accent: 'td-accent',
  rule: 'td-rule',
} as const;

let css: string | undefined;

/** The `<style>` block every email carries: dark mode, mobile padding, tap targets. Built once. */
export function emailCss(): string {
  return (css ??= buildEmailCss());
}

function buildEmailCss(): string {
  const dark = `.td-page,.td-page>table>tbody>tr>td{background-color:#121212 !important}.td-paper{background-color:#1e1e1e !important}.td-ink,.td-ink a{color:#ededed !important}.td-muted,.td-muted a{color:#c4c4c4 !important}.td-accent{color:#ff9d94 !important}.td-rule{border-color:#444444 !important}`;
  const outlook = dark
    .split('}')
    .filter(Boolean)
    .map((rule) => {
      const [selectors, body] = rule.split('{');
      const prefix = /background/.test(body ?? '') ? '[data-ogsb]' : '[data-ogsc]';
      return `${(selectors ?? '').split(',').map((sel) => `${prefix} ${sel}`).join(',')}{${body}}`;
    })
    .join('');
  return (
    ':root{color-scheme:light dark;supported-color-schemes:light dark}' +
    `@media (prefers-color-scheme: dark){${dark}}` +
    outlook +
    '@media only screen and (max-width:620px){.td-paper{padding-left:16px !important;padding-right:16px !important}.td-lead{font-size:24px !important;line-height:30px !important}}'
  );
}

/** Shared inline styles; react-email inlines them as `style` attributes. */
export const s = {
  body: { backgroundColor: colors.page, margin: 0, padding: '24px 0', fontFamily: sans, color: colors.ink },
  container: {
    backgroundColor: colors.paper,
    maxWidth: `${containerWidth}px`,
    width: '100%',
    margin: '0 auto',
    padding: '0 24px',
  },
  mastheadName: {
    fontFamily: serif,
    fontSize: '30px',
    lineHeight: '36px',
    fontWeight: 'bold',
    margin: '24px 0 4px',
  },
  mastheadDate: { fontFamily: sans, fontSize: '13px', lineHeight: '18px', margin: '0 0 16px', color: colors.muted },
  rule: { borderColor: colors.rule, borderTopWidth: '1px', margin: '16px 0' },
  heavyRule: { borderColor: colors.ink, borderTopWidth: '2px', margin: '0 0 16px' },
  paragraph: { fontFamily: sans, fontSize: '16px', lineHeight: '24px', margin: '0 0 16px', color: colors.ink },
  small: { fontFamily: sans, fontSize: '13px', lineHeight: '20px', margin: '0 0 8px', color: colors.faint },
  link: { color: colors.link, textDecoration: 'underline' },
  button: {
    backgroundColor: colors.accent,
    color: '#ffffff',
    fontFamily: sans,
    fontSize: '16px',
    fontWeight: 'bold',
    textDecoration: 'none',
    borderRadius: '4px',
    padding: '12px 20px',
    display: 'inline-block',
  },
} satisfies Record<string, CSSProperties>;
