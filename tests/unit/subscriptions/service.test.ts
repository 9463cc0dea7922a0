import { beforeEach, describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../../../src/deliver/mailer.js';
import { silentLogger } from '../../../src/logger.js';
import { LinkBuilder } from '../../../src/security/subscriber-links.js';
import { CONSENT_WORDING } from '../../../src/subscriptions/consent.js';
import type { SignupValues } from '../../../src/subscriptions/form-checks.js';
import { createSubscriptionService, type SubscriptionService } from '../../../src/subscriptions/service.js';
import { tempDir, testConfig } from '../../helpers/env.js';
import { storePerTest } from '../../helpers/store-per-test.js';

/**
 * The subscription service over a real SQLite store: each operation's rule, checked once here
 * rather than through every door (pages, console, API, CLI) that calls it.
 */

const NOW = new Date('2026-03-02T09:00:00.000Z');
const origin = { source: 'test', ip: '203.0.113.9', userAgent: 'vitest' };
const form = (over: Partial<SignupValues> = {}): SignupValues => ({ email: 'ann@example.com', name: 'Ann', topics: ['world'], timezone: 'UTC', frequency: '', weekday: '', sendTime: '', ...over });

const db = storePerTest('sqlite');
let svc: SubscriptionService;
let mail: Array<{ kind: string; message: Pick<OutgoingMessage, 'to' | 'subject' | 'text'> }>;
let events: Array<{ type: string; data: Record<string, unknown> }>;
let links: LinkBuilder;

beforeEach(async () => {
  const config = testConfig(tempDir().dir, { PUBLIC_URL: 'https://digest.example' });
  links = new LinkBuilder(config.web.publicUrl, config.secretKey!);
  mail = [];
  events = [];
  await db.store().topics.upsert([{ slug: 'world', name: 'World' }, { slug: 'tech', name: 'Tech' }], NOW.toISOString());
  svc = createSubscriptionService({
    store: db.store(),
    config,
    links,
    secretKey: config.secretKey!,
    logger: silentLogger,
    events: { emit: async (type, data) => void events.push({ type, data }) },
    enqueue: async (kind, message) => void mail.push({ kind, message }),
    now: () => NOW,
  });
});

const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);
const consentOf = async (id: number) => (await db.store().consent.listFor(id)).map((c) => [c.action, c.source]);

describe('signup', () => {
  it('stores a new reader as pending, evidences the consent wording and mails the double opt-in', async () => {
    expect(await svc.signup(form({ name: 'Ann\nLee' }), origin)).toEqual({ ok: true, email: 'ann@example.com', outcome: 'confirmation-sent' });
    const s = (await svc.findByAddress('ann@example.com'))!;
    expect(s).toMatchObject({ status: 'pending', name: 'Ann Lee', topics: ['world'] });
    expect(mail.map((m) => m.kind)).toEqual(['confirmation']);
    expect(events.map((e) => e.type)).toEqual(['subscriber.created']);
    const [consent] = await db.store().consent.listFor(s.id);
    expect(consent).toMatchObject({ action: 'signup', source: 'test', ip: '203.0.113.0/24', wording: CONSENT_WORDING.text });
  });

  it('refuses a bad form with the visitor\'s messages and stores nothing', async () => {
    const r = await svc.signup(form({ email: 'nobody', topics: [], name: 'Eve\u0000' }), origin);
    expect(r).toMatchObject({ ok: false, errors: { email: expect.stringMatching(/valid email/), topics: 'Choose at least one topic.', name: expect.stringMatching(/cannot use/) } });
    expect(await db.store().subscribers.count()).toBe(0);
  });

  it('stores and mails nothing when the caller\'s gate says the address had enough mail', async () => {
    expect(await svc.signup(form(), origin, () => false)).toMatchObject({ ok: true, outcome: 'too-many-mails' });
    expect(await db.store().subscribers.count()).toBe(0);
    expect(mail).toEqual([]);
  });

  it('never changes an active reader: same topics get "already subscribed", new ones a follow confirmation', async () => {
    await svc.add({ email: 'ann@example.com', topics: ['world'], name: 'Ann' }, { status: 'active' });
    expect(await svc.signup(form({ name: 'Intruder' }), origin)).toMatchObject({ outcome: 'already-subscribed' });
    expect(await svc.signup(form({ topics: ['world', 'tech'] }), origin)).toMatchObject({ outcome: 'follow-confirmation-sent' });
    expect(await svc.findByAddress('ann@example.com')).toMatchObject({ status: 'active', name: 'Ann', topics: ['world'] });
    expect(mail.map((m) => m.kind)).toEqual(['already-subscribed', 'follow-confirmation']);
  });
});

describe('confirm', () => {
  it('activates once, lifts a suppression, welcomes once; the link then reads as active', async () => {
    await svc.signup(form(), origin);
    const s = (await svc.findByAddress('ann@example.com'))!;
    await db.store().suppressions.add(s.email, 'hard-bounce', null, NOW.toISOString());
    const token = tokenOf(links.confirmUrl(s, 48, NOW));
    expect(await svc.readConfirmLink(token)).toMatchObject({ kind: 'pending' });
    expect(await svc.confirm(token, origin)).toMatchObject({ kind: 'active', subscriber: { status: 'active' } });
    expect(await svc.confirm(token, origin)).toMatchObject({ kind: 'active' });
    expect(mail.map((m) => m.kind)).toEqual(['confirmation', 'welcome']);
    expect(await db.store().suppressions.suppressedAmong([s.email])).toEqual(new Set());
    expect(await consentOf(s.id)).toEqual([['signup', 'test'], ['confirm', 'test']]);
  });

  it('answers a forged link as invalid and resends only for a pending reader', async () => {
    expect(await svc.confirm('c.x.y.z', origin)).toEqual({ kind: 'invalid' });
    expect(await svc.resendConfirmation('c.x.y.z')).toBe(false);
    await svc.signup(form(), origin);
    const token = tokenOf(links.confirmUrl((await svc.findByAddress('ann@example.com'))!, 48, NOW));
    expect(await svc.resendConfirmation(token, () => false)).toBe(true);
    expect(await svc.resendConfirmation(token)).toBe(true);
    expect(mail.map((m) => m.kind)).toEqual(['confirmation', 'confirmation']);
  });
});

describe('changes', () => {
  let ann: Awaited<ReturnType<SubscriptionService['add']>>['subscriber'];
  beforeEach(async () => {
    ann = (await svc.add({ email: 'ann@example.com', topics: ['world'] }, { status: 'active', origin: { source: 'cli:subscribers add' } })).subscriber;
    events = [];
  });

  it('saves preferences through the same rules, refusing an empty topic list', async () => {
    const values = { topics: [] as string[], timezone: 'asia/tokyo', frequency: 'weekly', weekday: 'friday', sendTime: '07:30' };
    expect(await svc.changePreferences(ann, values, origin)).toEqual({ ok: false, errors: { topics: 'Choose at least one topic.' }, timezone: 'Asia/Tokyo' });
    const r = await svc.changePreferences(ann, { ...values, topics: ['tech', 'world'] }, origin);
    expect(r.ok).toBe(true);
    expect(await svc.findById(ann.id)).toMatchObject({ topics: ['world', 'tech'], timezone: 'Asia/Tokyo', frequency: 'weekly', weekday: 'friday', sendTime: '07:30' });
    expect(events.map((e) => e.type)).toEqual(['subscriber.updated']);
  });

  it('pauses, switches frequency and unsubscribes with a consent record each; bounced stays bounced', async () => {
    expect((await svc.setPaused(ann, true, origin)).paused).toBe(true);
    expect(await svc.switchFrequency(ann, 'weekly', origin)).toEqual({ frequency: 'weekly', weekday: 'monday', sendTime: null });
    expect(await svc.unsubscribe(ann, origin)).toBe(true);
    expect(await consentOf(ann.id)).toEqual([['add', 'cli:subscribers add'], ['change', 'test'], ['change', 'test'], ['unsubscribe', 'test']]);
    await db.store().subscribers.setStatus(ann.id, 'bounced', NOW.toISOString());
    expect(await svc.unsubscribe((await svc.findById(ann.id))!, origin)).toBe(false);
    expect((await svc.findById(ann.id))!.status).toBe('bounced');
  });

  it('applies an operator patch with one consent record and one event', async () => {
    const { subscriber, left } = await svc.update(ann, { name: 'Ann\r\nLee', paused: true }, { source: 'api' });
    expect(left).toBe(false);
    expect(subscriber).toMatchObject({ name: 'Ann Lee', paused: true, status: 'active' });
    expect(events.map((e) => e.type)).toEqual(['subscriber.updated']);
    expect((await consentOf(ann.id)).at(-1)).toEqual(['change', 'api']);
  });

  it('adds a Follow link\'s topics to the reader\'s own', async () => {
    await svc.signup(form({ topics: ['tech'] }), origin);
    const url = /https:\/\/digest\.example\/follow\/confirm\/\S+/.exec(mail.at(-1)!.message.text)![0];
    expect(await svc.follow(tokenOf(url), origin)).toMatchObject({ kind: 'ok', reader: { topics: ['world', 'tech'] } });
    expect(await svc.follow('f.bad', origin)).toEqual({ kind: 'invalid' });
  });

  it('erases: the reader is gone to every lookup and listeners are told', async () => {
    await svc.erase(ann, 'test');
    expect(await svc.findByAddress('ann@example.com')).toBeUndefined();
    expect(await svc.list()).toEqual([]);
    expect(events).toEqual([{ type: 'subscriber.unsubscribed', data: { id: ann.publicId, status: 'erased' } }]);
  });
});
