import type { App } from '../main.js';
import type { DigestRunSummary } from '../pipeline/digest-run.js';

/**
 * The first run on freshly seeded sample data sends every sample reader one digest at once,
 * whatever their local time, so `outbox/` shows one digest per sample reader right away instead
 * of whatever the clock happens to make due (at 15:00 UTC that was Tokyo's and Sydney's *next*
 * day, and nothing for the rest). From then on the ordinary rule applies: each reader's next
 * digest comes at DIGEST_SEND_TIME in their own timezone.
 */
export async function sendFirstRunDigests(app: Pick<App, 'runDigest' | 'logger' | 'mailer' | 'config'>, now: Date): Promise<DigestRunSummary> {
  const summary = await app.runDigest({ now, force: true });
  app.logger.info(
    `first run on sample data: sent each sample reader one sample digest now (sent=${summary.sent}) to ${app.mailer.describe()}; ` +
      `from now on each reader gets the next one at ${app.config.digest.sendTime} in their own timezone`,
  );
  return summary;
}
