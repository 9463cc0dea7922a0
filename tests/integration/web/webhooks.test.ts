import { createHmac, createSign, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { snsStringToSign, type SnsMessage } from '../../../src/feedback/webhooks/ses.js';
import type { App } from '../../../src/main.js';
import { buildServer } from '../../../src/web/server.js';
import { digestApp } from '../../helpers/digest-app.js';
import { sentDigests, type SentWorld } from '../../helpers/feedback-world.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/feedback/webhooks/${name}`, import.meta.url), 'utf8');
const SNS_CERT = fixture('sns-test-cert.pem');
const SNS_KEY = fixture('sns-test-key.pem');
const SENDGRID_KEY = fixture('sendgrid-test-key.pem');
const CERT_URL = 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem';
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:ses-feedback';

const ENV = {
  SES_TOPIC_ARNS: TOPIC,
  POSTMARK_WEBHOOK_USER: 'pm-user',
  POSTMARK_WEBHOOK_PASSWORD: 'pm-password-123',
  MAILGUN_WEBHOOK_SIGNING_KEY: 'key-mailgun-signing-0123456789',
  SENDGRID_WEBHOOK_PUBLIC_KEY: fixture('sendgrid-test-public-key.b64'),
};

let app: App;
let server: FastifyInstance;
let world: SentWorld;
let fetched: string[];
let base: string;

async function start(env: Record<string, string>) {
  app = await digestApp(env);
  fetched = [];
  server = await buildServer(app, {
    // Only the internet is replaced: the "SNS" host serves our local test certificate.
    webhooks: {
      fetchText: async (url) => {
        fetched.push(url);
        if (url === CERT_URL) return SNS_CERT;
        if (url.startsWith('https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription')) return '<ConfirmSubscriptionResponse/>';
        throw new Error(`unexpected fetch ${url}`);
      },
    },
  });
  world = await sentDigests(app.store, 'gone@example.com', 1);
  // A real listening server: providers reach it over HTTP, so the test does too.
  base = await server.listen({ port: 0, host: '127.0.0.1' });
}
afterEach(async () => {
  await server.close();
  await app.close();
});

async function post(url: string, payload: string, headers: Record<string, string> = {}) {
  const r = await fetch(base + url, { method: 'POST', body: payload, headers: { 'content-type': 'application/json', ...headers } });
  const body = await r.text();
  return { statusCode: r.status, body, json: () => JSON.parse(body) as unknown };
}
const events = async () => Number((await app.store.db.selectFrom('feedback_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
const status = async () => (await app.store.subscribers.findById(world.subscriberId))?.status;

function sns(fields: Partial<SnsMessage> & Pick<SnsMessage, 'Type' | 'Message'>): SnsMessage {
  const m: SnsMessage = { MessageId: randomUUID(), TopicArn: TOPIC, Timestamp: '2026-01-10T07:05:00.000Z', SignatureVersion: '2', Signature: '', SigningCertURL: CERT_URL, ...fields };
  m.Signature = createSign('RSA-SHA256').update(snsStringToSign(m)).sign(SNS_KEY, 'base64');
  return m;
}

function sesBounce(messageId: string) {
  return JSON.stringify({
    notificationType: 'Bounce',
    bounce: { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [{ emailAddress: 'gone@example.com', action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }], timestamp: '2026-01-10T07:00:05.000Z', feedbackId: 'fb-1' },
    mail: { timestamp: '2026-01-10T07:00:00.000Z', messageId: '0100018c-ses-id', source: 'digest@news.example.com', destination: ['gone@example.com'], commonHeaders: { messageId } },
  });
}

describe('webhooks are off until configured', () => {
  beforeEach(() => start({}));
  it.each(['/webhooks/ses', '/webhooks/postmark', '/webhooks/mailgun', '/webhooks/sendgrid'])('%s answers 404', async (url) => {
    expect((await post(url, '{}')).statusCode).toBe(404);
    expect(await events()).toBe(0);
  });
});

describe('POST /webhooks/ses (SNS)', () => {
  beforeEach(() => start(ENV));

  it('records a correctly signed SES bounce once; SNS retries change nothing', async () => {
    const m = sns({ Type: 'Notification', Message: sesBounce(world.messageIds[0]!) });
    const r = await post('/webhooks/ses', JSON.stringify(m), { 'content-type': 'text/plain; charset=UTF-8' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ recorded: 1, duplicates: 0 });
    expect(await status()).toBe('bounced');
    expect((await post('/webhooks/ses', JSON.stringify(m))).json()).toEqual({ recorded: 0, duplicates: 1 });
    // The certificate was fetched once and cached.
    await post('/webhooks/ses', JSON.stringify(sns({ Type: 'Notification', Message: sesBounce('<x@y>') })));
    expect(fetched.filter((u) => u === CERT_URL)).toHaveLength(1);
  });

  it('refuses a tampered message with 401 and stores nothing', async () => {
    const m = sns({ Type: 'Notification', Message: sesBounce(world.messageIds[0]!) });
    const tampered = { ...m, Message: m.Message.replace('gone@example.com', 'victim@example.com') };
    expect((await post('/webhooks/ses', JSON.stringify(tampered))).statusCode).toBe(401);
    expect(await events()).toBe(0);
    expect(await status()).toBe('active');
  });

  it('never fetches a certificate from a host that is not SNS, and refuses unknown topics', async () => {
    for (const url of ['https://evil.example.com/cert.pem', 'http://sns.eu-west-1.amazonaws.com/c.pem', 'https://sns.eu-west-1.amazonaws.com.evil.example/c.pem']) {
      const m = sns({ Type: 'Notification', Message: sesBounce(world.messageIds[0]!), SigningCertURL: url });
      expect((await post('/webhooks/ses', JSON.stringify(m))).statusCode).toBe(401);
    }
    expect(fetched).toEqual([]);
    const other = sns({ Type: 'Notification', Message: sesBounce(world.messageIds[0]!), TopicArn: 'arn:aws:sns:eu-west-1:999:other' });
    expect((await post('/webhooks/ses', JSON.stringify(other))).statusCode).toBe(403);
    expect(await events()).toBe(0);
  });

  it('confirms a signed SubscriptionConfirmation by fetching its SubscribeURL', async () => {
    const subscribe = `https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(TOPIC)}&Token=tok`;
    const m = sns({ Type: 'SubscriptionConfirmation', Message: 'You have chosen to subscribe', SubscribeURL: subscribe, Token: 'tok' });
    const r = await post('/webhooks/ses', JSON.stringify(m));
    expect(r.statusCode, r.body).toBe(200);
    expect(fetched).toContain(subscribe);
  });

  it('a complaint unsubscribes the reader', async () => {
    const message = JSON.stringify({ notificationType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: 'gone@example.com' }], complaintFeedbackType: 'abuse', feedbackId: 'c1' }, mail: { commonHeaders: { messageId: world.messageIds[0] } } });
    expect((await post('/webhooks/ses', JSON.stringify(sns({ Type: 'Notification', Message: message })))).statusCode).toBe(200);
    expect(await status()).toBe('unsubscribed');
  });
});

describe('POST /webhooks/postmark (basic auth)', () => {
  beforeEach(() => start(ENV));
  const auth = (user: string, pass: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` });
  const bounce = JSON.stringify({ RecordType: 'Bounce', ID: 4323372036854775, Type: 'HardBounce', TypeCode: 1, Email: 'gone@example.com', BouncedAt: '2026-01-10T07:01:00Z', Description: 'The server was unable to deliver your message', Details: 'smtp;550 5.1.1 user unknown', MessageID: '883953f4-6105-42a2-a16a-77a8eac79483' });

  it('records a bounce with the right credentials, once', async () => {
    const r = await post('/webhooks/postmark', bounce, auth('pm-user', 'pm-password-123'));
    expect(r.statusCode, r.body).toBe(200);
    expect(await status()).toBe('bounced');
    expect((await post('/webhooks/postmark', bounce, auth('pm-user', 'pm-password-123'))).json()).toEqual({ recorded: 0, duplicates: 1 });
  });

  it('refuses wrong or missing credentials with 401 and stores nothing', async () => {
    expect((await post('/webhooks/postmark', bounce, auth('pm-user', 'wrong'))).statusCode).toBe(401);
    expect((await post('/webhooks/postmark', bounce)).statusCode).toBe(401);
    expect(await events()).toBe(0);
  });

  it('a SpamComplaint unsubscribes', async () => {
    const complaint = JSON.stringify({ RecordType: 'SpamComplaint', ID: 42, Type: 'SpamComplaint', TypeCode: 512, Email: 'gone@example.com', BouncedAt: '2026-01-10T09:00:00Z' });
    expect((await post('/webhooks/postmark', complaint, auth('pm-user', 'pm-password-123'))).statusCode).toBe(200);
    expect(await status()).toBe('unsubscribed');
  });
});

describe('POST /webhooks/mailgun (HMAC signature)', () => {
  beforeEach(() => start(ENV));
  function signed(key: string, eventData: object) {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const token = randomUUID().replace(/-/g, '');
    return JSON.stringify({ signature: { timestamp, token, signature: createHmac('sha256', key).update(timestamp + token).digest('hex') }, 'event-data': eventData });
  }
  const failed = () => ({ id: 'G9Bn5sl1TC6nu79C8C0bwg', event: 'failed', severity: 'permanent', timestamp: 1768028460.0, recipient: 'gone@example.com', 'delivery-status': { code: 550, message: '5.1.1 The email account does not exist', 'enhanced-code': '5.1.1' }, message: { headers: { 'message-id': world.messageIds[0]!.slice(1, -1) } } });

  it('records a correctly signed permanent failure, matched by Message-ID', async () => {
    const r = await post('/webhooks/mailgun', signed(ENV.MAILGUN_WEBHOOK_SIGNING_KEY, failed()));
    expect(r.statusCode, r.body).toBe(200);
    expect(await status()).toBe('bounced');
    const row = await app.store.db.selectFrom('feedback_events').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ source: 'mailgun', kind: 'hard', delivery_id: world.deliveryIds[0] });
  });

  it('refuses a body signed with another key with 401 and stores nothing', async () => {
    expect((await post('/webhooks/mailgun', signed('another-key', failed()))).statusCode).toBe(401);
    expect((await post('/webhooks/mailgun', '{"event-data":{}}')).statusCode).toBe(401);
    expect(await events()).toBe(0);
  });
});

describe('POST /webhooks/sendgrid (signed event webhook, ECDSA)', () => {
  beforeEach(() => start(ENV));
  function signedBatch(body: string) {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createSign('sha256').update(timestamp + body).sign(SENDGRID_KEY, 'base64');
    return { 'x-twilio-email-event-webhook-signature': signature, 'x-twilio-email-event-webhook-timestamp': timestamp };
  }
  const batch = () =>
    JSON.stringify([
      { email: 'gone@example.com', timestamp: 1768028460, 'smtp-id': world.messageIds[0], event: 'delivered', sg_event_id: 'ev-delivered-1', sg_message_id: 'sg1' },
      { email: 'gone@example.com', timestamp: 1768028470, 'smtp-id': world.messageIds[0], event: 'spamreport', sg_event_id: 'ev-spam-1', sg_message_id: 'sg1' },
    ]);

  it('records a correctly signed batch once', async () => {
    const body = batch();
    const r = await post('/webhooks/sendgrid', body, signedBatch(body));
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ recorded: 2, duplicates: 0 });
    expect(await status()).toBe('unsubscribed');
    expect((await post('/webhooks/sendgrid', body, signedBatch(body))).json()).toEqual({ recorded: 0, duplicates: 2 });
  });

  it('refuses a body changed after signing with 401 and stores nothing', async () => {
    const body = batch();
    const headers = signedBatch(body);
    expect((await post('/webhooks/sendgrid', body.replace('spamreport', 'delivered'), headers)).statusCode).toBe(401);
    expect((await post('/webhooks/sendgrid', body)).statusCode).toBe(401);
    expect(await events()).toBe(0);
  });
});
