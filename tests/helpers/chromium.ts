/** Debian's Chromium, which playwright-core drives; nothing downloads a browser. */
export const CHROMIUM = '/usr/bin/chromium';

/** Flags for a quiet headless run in CI containers (see /work/shared/GUIDE.md). */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
