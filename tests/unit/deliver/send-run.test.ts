import { describe, expect, it, vi } from 'vitest';
import { RowFeed } from '../../../src/deliver/row-feed.js';
import { sendPlanned, PAUSED, type SendDeps, type SendOptions } from '../../../src/deliver/send-run.js';
import type { Mailer, OutgoingMessage } from '../../../src/deliver/mailer.js';
import { silentLogger } from '../../../src/logger.js';
import { LinkBuilder } from '../../../src/security/subscriber-links.js';
import type { DeliveryJob } from '../../../src/store/delivery-ledger.js';

// The send loop against an in-memory ledger that keeps the real claim rules (only a planned row
// this owner leased can be claimed; only the claimant records it), and a mailer that fails on cue.

type Status = 'planned' | 'sending' | 'sent' | 'failed';
interface Row { job: DeliveryJob; status: Status; owner: string | null; leased: boolean; error?: string }

function world(readers: number, failures: Array<Error | undefined> = [], opts: { markSentFails?: boolean } = {}) {
  const rows = new Map<number, Row>();
  for (let id = 1; id <= readers; id++) {
    rows.set(id, { job: { id, subscriberId: id, localDate: '2026-11-27', editionKey: 'ed', attempts: 0, email: `r${id}@example.com`, name: null, signingKey: 'k', publicId: `p${id}` }, status: 'planned', owner: null, leased: false });
  }
  const sent: OutgoingMessage[] = [];
  const events: string[] = [];
  let sends = 0;
  const ledger: SendDeps['ledger'] = {
    claimBatch: async (owner, limit) => {
      const free = [...rows.values()].filter((r) => r.status === 'planned' && !r.leased).slice(0, limit);
      for (const r of free) Object.assign(r, { owner, leased: true });
      return free.map((r) => ({ ...r.job }));
    },
    claim: async (id, owner) => {
      const r = rows.get(id)!;
      if (r.status !== 'planned' || r.owner !== owner) return false;
      r.status = 'sending';
      r.job.attempts++;
      events.push(`claim ${id}`);
      return true;
    },
    markSent: async (id, owner) => {
      if (opts.markSentFails) throw new Error('SQLITE_BUSY');
      const r = rows.get(id)!;
      if (r.status !== 'sending' || r.owner !== owner) return false;
      r.status = 'sent';
      events.push(`sent ${id}`);
      return true;
    },
    markFailed: async (id, error) => void Object.assign(rows.get(id)!, { status: 'failed', error }, events.push(`failed ${id}`)),
    release: async (id, error) => void Object.assign(rows.get(id)!, { status: 'planned', error }, events.push(`release ${id}`)),
    markUncertain: async (id, _owner, error) => (Object.assign(rows.get(id)!, { leased: false, error }), events.push(`uncertain ${id}`), true),
    renew: async () => 0,
    releaseUnstarted: async (_owner, ids) => void ids.forEach((id) => Object.assign(rows.get(id)!, { leased: false, owner: null })),
  };
  const mailer: Mailer = {
    kind: 'smtp',
    describe: () => 'test relay',
    close: async () => undefined,
    verify: async () => undefined,
    send: async (m) => {
      const failure = failures[sends++];
      if (failure) throw failure;
      sent.push(m);
      return { messageId: m.messageId!, accepted: [m.to.address], rejected: [], response: '250 ok' } as never;
    },
  };
  const bounces = new Map<number, number>();
  const deps: SendDeps = {
    ledger,
    editions: { get: async (key) => ({ key, localDate: '2026-11-27', topics: [], subject: 'S', html: '<p>h</p>', text: 't', articleIds: [] }) as never },
    subscribers: { recordHardBounce: async (id) => (bounces.set(id, (bounces.get(id) ?? 0) + 1), bounces.get(id)!), setStatus: async () => undefined },
    mailer,
    links: new LinkBuilder('https://digest.example', 's'.repeat(40)),
    compilePersonaliser: (parts) => () => ({ subject: parts.subject, html: parts.html, text: parts.text }),
    logger: silentLogger,
  };
  return { rows, sent, events, deps };
}

const options = (over: Partial<SendOptions> = {}): SendOptions => ({ owner: 'me', leaseSeconds: 60, concurrency: 1, bounceLimit: 1, listId: 'list.example', fromAddress: 'news@example.com', retryBaseMs: 1, ...over });
const smtpError = (responseCode: number, command = 'RCPT TO') => Object.assign(new Error(`${responseCode} refused`), { responseCode, command, code: 'EENVELOPE' });

describe('sendPlanned', () => {
  it('sends every planned row once, claiming before and recording after each send', async () => {
    const w = world(3);
    const result = await sendPlanned(w.deps, options({ concurrency: 2 }));
    expect(result).toEqual({ sent: 3, failed: 0, bounced: 0, deferred: 0, uncertain: 0 });
    expect(w.sent.map((m) => m.to.address).sort()).toEqual(['r1@example.com', 'r2@example.com', 'r3@example.com']);
    for (const id of [1, 2, 3]) expect(w.events.indexOf(`claim ${id}`)).toBeLessThan(w.events.indexOf(`sent ${id}`));
  });

  it('retries a transient refusal in the run with a new claim, then sends it', async () => {
    const w = world(1, [smtpError(451)]);
    expect(await sendPlanned(w.deps, options())).toMatchObject({ sent: 1, deferred: 0 });
    expect(w.events).toEqual(['claim 1', 'release 1', 'claim 1', 'sent 1']);
    expect(w.rows.get(1)!.job.attempts).toBe(2);
  });

  it('fails a refused recipient, counts the bounce, and goes on with the others', async () => {
    const w = world(2, [smtpError(550)]);
    expect(await sendPlanned(w.deps, options())).toEqual({ sent: 1, failed: 1, bounced: 1, deferred: 0, uncertain: 0 });
    expect(w.rows.get(1)).toMatchObject({ status: 'failed' });
  });

  it('never resends a message the server took when recording it fails: the row stays sending and the pass stops', async () => {
    const w = world(3, [], { markSentFails: true });
    const result = await sendPlanned(w.deps, options());
    expect(w.sent).toHaveLength(1);
    expect(result).toMatchObject({ sent: 0, storeFailed: true, stoppedBecause: 'could not record delivery 1 as sent: SQLITE_BUSY' });
    expect(w.rows.get(1)!.status).toBe('sending');
    // The rows leased but never started go back to the pool at once.
    expect([2, 3].map((id) => w.rows.get(id)!.leased)).toEqual([false, false]);
  });

  it('stops before claiming when the pause switch is on', async () => {
    const w = world(2);
    const result = await sendPlanned(w.deps, options({ isPaused: async () => true }));
    expect(result).toMatchObject({ sent: 0, stoppedBecause: PAUSED });
    expect(w.events).toEqual([]);
  });

  describe('preparing ahead', () => {
    /** A world whose personaliser logs each preparation, and whose first send is held until `release`. */
    function held(readers: number) {
      const w = world(readers);
      w.deps.compilePersonaliser = (parts) => (values) => (w.events.push(`prepare ${values.email}`), { subject: parts.subject, html: parts.html, text: parts.text });
      const send = w.deps.mailer.send;
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      let first = true;
      w.deps.mailer = { ...w.deps.mailer, send: async (m) => (first && ((first = false), await released), send(m)) };
      return { ...w, release };
    }

    it('prepares the next message while one is in flight, and claims it only after that one is recorded', async () => {
      const w = held(3);
      const pass = sendPlanned(w.deps, options());
      await vi.waitFor(() => expect(w.events).toContain('prepare r2@example.com'));
      expect(w.events).toEqual(['prepare r1@example.com', 'claim 1', 'prepare r2@example.com']);
      w.release();
      expect(await pass).toMatchObject({ sent: 3 });
      expect(w.events.indexOf('claim 2')).toBeGreaterThan(w.events.indexOf('sent 1'));
      expect(w.events.indexOf('claim 3')).toBeGreaterThan(w.events.indexOf('sent 2'));
    });

    it('makes a message prepared ahead again when it waited too long for its claim, so its Date is when it goes out', async () => {
      const prepared = (w: ReturnType<typeof held>) => w.events.filter((e) => e === 'prepare r2@example.com').length;
      const stale = held(2);
      const pass = sendPlanned(stale.deps, options({ maxPreparedAgeMs: 20 }));
      await vi.waitFor(() => expect(stale.events).toContain('prepare r2@example.com'));
      await new Promise((r) => setTimeout(r, 40));
      stale.release();
      expect(await pass).toMatchObject({ sent: 2 });
      expect(prepared(stale)).toBe(2);
      const fresh = held(2);
      const pass2 = sendPlanned(fresh.deps, options());
      await vi.waitFor(() => expect(fresh.events).toContain('prepare r2@example.com'));
      fresh.release();
      expect(await pass2).toMatchObject({ sent: 2 });
      expect(prepared(fresh)).toBe(1);
    });

    it('gives back the job it prepared ahead when the pass stops before claiming it', async () => {
      const w = held(3);
      const abort = new AbortController();
      const pass = sendPlanned(w.deps, options({ signal: abort.signal }));
      await vi.waitFor(() => expect(w.events).toContain('prepare r2@example.com'));
      abort.abort();
      w.release();
      expect(await pass).toMatchObject({ sent: 1, stoppedBecause: 'interrupted' });
      expect(w.rows.get(1)!.status).toBe('sent');
      for (const id of [2, 3]) expect(w.rows.get(id)).toMatchObject({ status: 'planned', leased: false });
    });

    it('makes a preparation that failed ahead again at its attempt', async () => {
      const w = world(2);
      let failed = false;
      w.deps.compilePersonaliser = (parts) => (values) => {
        if (values.email === 'r2@example.com' && !failed) {
          failed = true;
          throw new Error('the SMTP thread stopped while signing');
        }
        return { subject: parts.subject, html: parts.html, text: parts.text };
      };
      expect(await sendPlanned(w.deps, options())).toMatchObject({ sent: 2, failed: 0 });
      expect(failed).toBe(true);
    });

    it('still refuses a message that cannot be built, before claiming it', async () => {
      const w = world(1);
      w.deps.compilePersonaliser = () => () => {
        throw new Error('a header that cannot be encoded');
      };
      await expect(sendPlanned(w.deps, options())).rejects.toThrow('a header that cannot be encoded');
      expect(w.rows.get(1)!.status).toBe('planned');
    });
  });

  describe('with a feed (rows still being planned)', () => {
    const addRow = (w: ReturnType<typeof world>, id: number) =>
      w.rows.set(id, { job: { id, subscriberId: id, localDate: '2026-11-27', editionKey: 'ed', attempts: 0, email: `r${id}@example.com`, name: null, signingKey: 'k', publicId: `p${id}` }, status: 'planned', owner: null, leased: false });

    it('waits for rows recorded later instead of ending, and ends once planning is done and nothing is left', async () => {
      const w = world(2);
      const feed = new RowFeed();
      let ended = false;
      const pass = sendPlanned(w.deps, options({ feed, concurrency: 2 })).finally(() => (ended = true));
      await vi.waitFor(() => expect(w.sent).toHaveLength(2));
      addRow(w, 3);
      feed.recorded();
      await vi.waitFor(() => expect(w.sent).toHaveLength(3));
      expect(ended).toBe(false);
      feed.finish();
      expect(await pass).toMatchObject({ sent: 3, failed: 0 });
      expect(w.sent.map((m) => m.to.address)).toEqual(['r1@example.com', 'r2@example.com', 'r3@example.com']);
    });

    it('asks the pause switch again before claiming rows recorded while it waited', async () => {
      const w = world(1);
      const feed = new RowFeed();
      let paused = false;
      const pass = sendPlanned(w.deps, options({ feed, isPaused: async () => paused }));
      await vi.waitFor(() => expect(w.sent).toHaveLength(1));
      paused = true;
      addRow(w, 2);
      feed.recorded();
      expect(await pass).toMatchObject({ sent: 1, stoppedBecause: PAUSED });
      expect(w.rows.get(2)!.status).toBe('planned');
    });

    it('stops when planning fails: claims nothing more and says why', async () => {
      const w = world(0);
      const feed = new RowFeed();
      const pass = sendPlanned(w.deps, options({ feed, batchSize: 10 }));
      feed.fail('planning failed: disk full');
      for (let id = 1; id <= 3; id++) addRow(w, id);
      expect(await pass).toMatchObject({ sent: 0, stoppedBecause: 'planning failed: disk full' });
      expect([...w.rows.values()].every((r) => r.status === 'planned' && !r.leased)).toBe(true);
    });

    it('wakes from waiting when interrupted', async () => {
      const w = world(0);
      const feed = new RowFeed();
      const abort = new AbortController();
      let claims = 0;
      const claimBatch = w.deps.ledger.claimBatch;
      w.deps.ledger.claimBatch = (...args) => (claims++, claimBatch(...args));
      const pass = sendPlanned(w.deps, options({ feed, signal: abort.signal }));
      await vi.waitFor(() => expect(claims).toBe(1));
      abort.abort();
      expect(await pass).toMatchObject({ sent: 0, stoppedBecause: 'interrupted' });
    });
  });
});
