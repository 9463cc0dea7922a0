import { localMoment } from '../plan/local-time.js';
import type { Store } from '../store/store.js';

/**
 * Why `send --only EMAIL` planned and sent nothing, in words a person acts on: unknown address,
 * not active, paused, following no topic, already sent today, skipped as late, or no new stories.
 */
export async function explainNothingSent(
  store: Pick<Store, 'subscribers' | 'deliveries'>,
  email: string,
  now: Date,
  defaultTimezone: string,
): Promise<string> {
  const reader = await store.subscribers.findByEmail(email);
  if (!reader) return `${email} is not a subscriber (unknown address); add them with: topic-digest subscribers add ${email} --topics …`;
  if (reader.status !== 'active') return `${email} is ${reader.status}, so they get no digest`;
  if (reader.paused) return `${email} has paused their digest`;
  if (reader.topics.length === 0) return `${email} is not following any topic; add some with: topic-digest subscribers add ${email} --topics …`;
  const localDate = localMoment(now, reader.timezone ?? defaultTimezone).date;
  const [row] = await store.deliveries.list({ email, localDate, limit: 1 });
  if (!row) return `${email} got nothing for ${localDate}`;
  switch (row.status) {
    case 'sent':
      return `${email} was already sent the digest for ${localDate}`;
    case 'sending':
      return `${email}'s digest for ${localDate} is uncertain (a run died mid-send); see: topic-digest deliveries retry --uncertain --only ${email}`;
    case 'failed':
      return `${email}'s digest for ${localDate} failed: ${row.error ?? 'unknown error'}`;
    case 'planned':
      return `${email}'s digest for ${localDate} is planned but was not sent in this run (SMTP trouble?); run send again`;
    case 'skipped':
      if (row.reason === 'late') return `${email}'s digest for ${localDate} was skipped as late (past DIGEST_CATCHUP_HOURS); send without --respect-schedule sends it`;
      if (row.reason === 'empty') return `no new stories for ${email}'s topics (${reader.topics.join(', ')}) since their last digest`;
      return `${email}'s digest for ${localDate} was skipped (${row.reason ?? 'no reason recorded'})`;
  }
}
