import { describe, expect, it } from 'vitest';
import {
  renderAlreadySubscribedEmail,
  renderConfirmEmail,
  renderWelcomeEmail,
} from '../../../src/render/transactional.js';

const sender = { senderName: 'Daily <Digest> & Co', senderAddress: '1 News Street, Example City' };
const hostileName = '<b>Ana</b> & "O\'Neil"';

describe('renderConfirmEmail', () => {
  it('links to the confirm URL in HTML and text, escaping & only in the HTML', async () => {
    const confirmUrl = 'https://news.example/confirm/abc?x=1&y=2';
    const m = await renderConfirmEmail({ ...sender, name: 'Ana', confirmUrl, topicNames: ['China', 'Taiwan'], expiresHours: 48, digestName: 'daily digest' });
    expect(m.html).toContain('href="https://news.example/confirm/abc?x=1&amp;y=2"');
    expect(m.text).toContain(confirmUrl);
    expect(m.text).toContain('about China and Taiwan');
    expect(m.text).toContain('expires in 48 hours');
    expect(m.html).toContain('Confirm your subscription');
    expect(m.subject).toBe('Confirm your subscription to Daily <Digest> & Co');
  });

  it('escapes a hostile reader name in the HTML and keeps it raw in the text', async () => {
    const m = await renderConfirmEmail({ ...sender, name: hostileName, confirmUrl: 'https://x.example/c', topicNames: [], expiresHours: 1, digestName: 'daily digest' });
    expect(m.html).not.toContain('<b>Ana</b>');
    expect(m.html).toContain('&lt;b&gt;Ana&lt;/b&gt;');
    expect(m.html).toContain('Daily &lt;Digest&gt; &amp; Co');
    expect(m.text).toContain(`Hello ${hostileName},`);
    expect(m.text).not.toMatch(/&(amp|lt|gt|quot|#39|#x27);/);
  });

  it('greets without a name when there is none', async () => {
    const m = await renderConfirmEmail({ ...sender, name: null, confirmUrl: 'https://x.example/c', topicNames: [], expiresHours: 1, digestName: 'daily digest' });
    expect(m.text.startsWith('Hello,\n')).toBe(true);
    expect(m.text).not.toContain(' about ');
  });
});

describe('renderWelcomeEmail', () => {
  it('carries topics, when the first digest comes, the archive, add-to-contacts and both personal links', async () => {
    const m = await renderWelcomeEmail({
      ...sender,
      name: 'Ana',
      topicNames: ['China', 'Taiwan', 'Climate'],
      firstDigest: 'tomorrow at 06:30 Asia/Singapore',
      sendTime: '06:30',
      timezone: 'Asia/Singapore',
      digestName: 'weekday digest',
      cadence: 'each weekday morning',
      archiveUrl: 'https://news.example/archive',
      fromAddress: 'brief@news.example',
      preferencesUrl: 'https://news.example/preferences/p1',
      unsubscribeUrl: 'https://news.example/unsubscribe/u1',
    });
    for (const part of [m.html.replace(/<!-- -->/g, ''), m.text]) {
      expect(part).toContain('https://news.example/preferences/p1');
      expect(part).toContain('https://news.example/unsubscribe/u1');
      expect(part).toContain('tomorrow at 06:30 Asia/Singapore');
      expect(part).toContain('https://news.example/archive');
      expect(part).toContain('add brief@news.example to your contacts');
    }
    expect(m.text).toContain('about China, Taiwan and Climate');
    expect(m.subject).not.toMatch(/[\r\n]/);
  });
});

describe('renderAlreadySubscribedEmail', () => {
  it('links to the preferences page and escapes the name', async () => {
    const m = await renderAlreadySubscribedEmail({ ...sender, name: hostileName, preferencesUrl: 'https://news.example/preferences/p1' });
    expect(m.html).toContain('href="https://news.example/preferences/p1"');
    expect(m.text).toContain('Manage your topics: https://news.example/preferences/p1');
    expect(m.html).not.toContain('<b>Ana</b>');
    expect(m.subject).toBe("You're already subscribed to Daily <Digest> & Co");
  });
});
