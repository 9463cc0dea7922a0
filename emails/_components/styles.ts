import type { CSSProperties } from 'react';

/**
 * One palette and type scale for every email. Web-safe font stacks only: Gmail and Outlook drop
 * web fonts, and an external stylesheet would need the network to look right.
 */

/** Serif stack for headlines (news feel); Georgia is on every desktop and phone client. */
export const serif = "Georgia, 'Times New Roman', Times, serif";
/** Sans stack for body and chrome. */
export const sans = "Helvetica, Arial, 'Segoe UI', sans-serif";

/** Brand colours, chosen to keep 4.5:1 contrast on white. */
export const colors = {
  ink: '#1a1a1a',
  muted: '#555555',
  faint: '#767676',
  rule: '#dddddd',
  accent: '#b3261e',
  link: '#1a1a1a',
  page: '#f4f4f1',
  paper: '#ffffff',
} as const;

/** The 600 px column that every client renders predictably. */
export const containerWidth = 600;
/** Inner width (container minus horizontal padding): the width attribute of full-bleed images. */
export const contentWidth = 552;

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
    fontSize: '28px',
    lineHeight: '34px',
    fontWeight: 'bold',
    margin: '24px 0 4px',
    color: colors.ink,
  },
  mastheadDate: { fontFamily: sans, fontSize: '13px', lineHeight: '18px', margin: '0 0 16px', color: colors.muted },
  rule: { borderColor: colors.rule, borderTopWidth: '1px', margin: '16px 0' },
  heavyRule: { borderColor: colors.ink, borderTopWidth: '2px', margin: '0 0 16px' },
  paragraph: { fontFamily: sans, fontSize: '16px', lineHeight: '24px', margin: '0 0 16px', color: colors.ink },
  small: { fontFamily: sans, fontSize: '12px', lineHeight: '18px', margin: '0 0 8px', color: colors.faint },
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
