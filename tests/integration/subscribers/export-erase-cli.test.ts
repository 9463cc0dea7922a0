import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/subscribers/csv.js';
import { cliPerTest } from '../../helpers/cli-per-test.js';
import { findInSqliteFile } from '../../helpers/scan-sqlite.js';
import { fixtureSubscriber as sub, writeSubscribersCsv } from '../../helpers/subscriber-fixtures.js';

const t = cliPerTest('subscribers');
const cli = t.run;

describe('subscribers export and erase', () => {
  it('exports consent evidence naming the import file and the CLI command', async () => {
    const file = writeSubscribersCsv(t.dir, [sub({ email: 'a@example.com', frequency: 'weekly', weekday: 'mon' })], { name: 'october-list.csv', columns: ['email', 'topics', 'frequency', 'weekday'] });
    expect((await cli('import', file)).code).toBe(0);
    expect((await cli('add', 'b@example.com', '--topics', 'world', '--pending')).code).toBe(0);

    const all = JSON.parse((await cli('export')).out.join('\n'));
    expect(all.map((e: { profile: { email: string } }) => e.profile.email)).toEqual(['a@example.com', 'b@example.com']);
    expect(all[0].consent).toEqual([expect.objectContaining({ action: 'import', source: 'import:october-list.csv', at: expect.any(String) })]);
    expect(all[0].choices).toEqual({ frequency: 'weekly', weekday: 'monday', sendTime: null });
    expect(all[1].consent).toEqual([expect.objectContaining({ action: 'add', source: 'cli:subscribers add' })]);

    const pending = JSON.parse((await cli('export', '--json', '--status', 'pending')).out.join('\n'));
    expect(pending).toHaveLength(1);
    const one = JSON.parse((await cli('export', 'a@EXAMPLE.com')).out.join('\n'));
    expect(one[0].profile.email).toBe('a@example.com');

    const csv = await cli('export', '--csv');
    const [header, ...rows] = parseCsv(csv.out.join('\n') + '\n');
    expect(header!.fields).toContain('consent');
    expect(rows).toHaveLength(2);
    expect(JSON.parse(rows[0]!.fields[header!.fields.indexOf('consent')]!)[0]).toMatchObject({ source: 'import:october-list.csv' });

    const missing = await cli('export', 'nobody@example.com');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/no subscriber/);
  });

  it('erases a reader so that no table holds the address', async () => {
    expect((await cli('add', 'gone@example.com', '--topics', 'world', '--name', 'Gone Person')).code).toBe(0);
    expect((await cli('add', 'stays@example.com', '--topics', 'world')).code).toBe(0);
    const r = await cli('erase', 'gone@Example.COM');
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^erased gone@example\.com/);
    expect(findInSqliteFile(join(t.dir, 'cli.db'), 'gone@example.com')).toEqual([]);
    expect(findInSqliteFile(join(t.dir, 'cli.db'), 'Gone Person')).toEqual([]);
    expect(findInSqliteFile(join(t.dir, 'cli.db'), 'stays@example.com')).not.toEqual([]);
    const list = JSON.parse((await cli('list', '--json')).out.join('\n'));
    expect(list.map((s: { email: string }) => s.email)).toEqual(['stays@example.com']);
    expect((await cli('erase', 'gone@example.com')).code).toBe(1);
    expect((await cli('add', 'gone@example.com', '--topics', 'world')).code).toBe(0);
  });
});
