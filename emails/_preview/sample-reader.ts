import type { DigestBrand, DigestPersonal } from '../_components/DigestFooter.js';
import { defaultBrandColor } from '../_components/styles.js';

/**
 * A made-up reader and sender for the dev server (`npm run dev`) only: every personal value is
 * filled, so no `%%td:…%%` token ever shows in a preview. Production code never imports this.
 */

/** Where the preview pretends the site lives. */
export const PREVIEW_SITE = 'http://localhost:3000';

/** The sample reader's personal values. */
export const samplePersonal: DigestPersonal = {
  greeting: 'Hello Ana,',
  email: 'ana@example.com',
  unsubscribeUrl: `${PREVIEW_SITE}/unsubscribe/preview-token`,
  preferencesUrl: `${PREVIEW_SITE}/preferences/preview-token`,
  viewOnlineUrl: `${PREVIEW_SITE}/archive/preview-edition`,
};

/** The sample sender. */
export const sampleBrand: DigestBrand = {
  senderName: 'Topic Digest',
  senderAddress: '1 News Street, Example City',
  color: defaultBrandColor,
  logoUrl: null,
  subscribeUrl: `${PREVIEW_SITE}/`,
  privacyUrl: `${PREVIEW_SITE}/privacy`,
  repliesWelcome: true,
};
