import type { Migration, MigrationProvider } from 'kysely';
import * as m001 from './001-initial.js';
import * as m002 from './002-deliveries.js';
import * as m003 from './003-rate-limits.js';
import * as m004 from './004-delivery-claim-order.js';
import * as m005 from './005-derive-sent-articles.js';
import * as m006 from './006-leases-and-mail-queue.js';
import * as m007 from './007-mailbox-key-and-public-id.js';
import * as m008 from './008-sources-api-tokens.js';
import * as m011 from './011-article-byline.js';
import * as m010 from './010-reader-choices.js';
import * as m009 from './009-feedback.js';
import * as m013 from './013-admin-sessions.js';
import * as m014 from './014-webhooks-and-metrics.js';
import * as m015 from './015-hand-fixed-topics.js';
import * as m016 from './016-webhook-attempts.js';

/**
 * Every migration, in order. They are imported statically (not read from a folder) so they work
 * the same under tsx, vitest and a bundler. Add new ones at the end; never edit a shipped one.
 */
export const migrations: Record<string, Migration> = {
  '001-initial': m001,
  '002-deliveries': m002,
  '003-rate-limits': m003,
  '004-delivery-claim-order': m004,
  '005-derive-sent-articles': m005,
  '006-leases-and-mail-queue': m006,
  '007-mailbox-key-and-public-id': m007,
  '008-sources-api-tokens': m008,
  '011-article-byline': m011,
  '010-reader-choices': m010,
  '009-feedback': m009,
  '013-admin-sessions': m013,
  '014-webhooks-and-metrics': m014,
  '015-hand-fixed-topics': m015,
  '016-webhook-attempts': m016,
};

/** Hands Kysely's Migrator the list above. */
export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
