import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { formatError } from '../../src/errors.js';

describe('ADMIN_EMAILS', () => {
  it('is empty by default: nobody may sign in by email', () => {
    expect(parseConfig({}).admin.emails).toEqual([]);
  });

  it('is a comma-separated list, trimmed and lower-cased, blanks ignored', () => {
    expect(parseConfig({ ADMIN_EMAILS: ' Editor@Example.com, ,chief@example.org ' }).admin.emails).toEqual(['editor@example.com', 'chief@example.org']);
  });

  it('refuses something that is not an address, naming the variable', () => {
    let message = '';
    try {
      parseConfig({ ADMIN_EMAILS: 'editor@example.com, not-an-address' });
    } catch (err) {
      message = formatError(err);
    }
    expect(message).toContain('ADMIN_EMAILS');
  });
});
