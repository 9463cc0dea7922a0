import { describe, expect, it } from 'vitest';
import { parseWebhookUrl } from '../../../src/deliver/webhook-admin.js';
import { isAppError } from '../../../src/errors.js';

/** The one URL rule the CLI and the console share for webhook endpoints. */
describe('parseWebhookUrl', () => {
  it('accepts absolute http and https URLs, trimmed and normalised', () => {
    expect(parseWebhookUrl('  https://Hooks.Example/topic-digest?x=1 ')).toBe('https://hooks.example/topic-digest?x=1');
    expect(parseWebhookUrl('http://127.0.0.1:8080/h')).toBe('http://127.0.0.1:8080/h');
  });

  it.each([
    ['javascript:alert(1)', /http or https, not javascript:/],
    ['data:text/html,<script>', /http or https, not data:/],
    ['file:///etc/passwd', /http or https, not file:/],
    ['ftp://files.example/x', /http or https, not ftp:/],
    ['/relative/path', /is not a URL/],
    ['', /is not a URL/],
    [`https://hooks.example/${'a'.repeat(2001)}`, /longer than 2000/],
  ])('refuses %s with INPUT_INVALID', (raw, message) => {
    let caught: unknown;
    try {
      parseWebhookUrl(raw);
    } catch (err) {
      caught = err;
    }
    expect(isAppError(caught, 'INPUT_INVALID')).toBe(true);
    expect((caught as Error).message).toMatch(message);
  });
});
