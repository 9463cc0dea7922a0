/** Debian's Chromium and the flags that make it start headless and offline (see /work/shared/GUIDE.md). */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless, sandbox-free, no network chatter of its own. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
