import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import type { App } from '../../../src/main.js';
import { importTopicFile } from '../../../src/topics/topic-file.js';
import { appPerTest } from '../../helpers/app-per-test.js';
import { testDialects } from '../../helpers/dialects.js';

let app: App;
let dir: string;

describe.each(testDialects())('importTopicFile on %s', (dialect) => {
  appPerTest(dialect, (a, d) => {
    app = a;
    dir = d;
  });

  it('adds new topics at the end and updates existing ones in place', async () => {
    const path = join(dir, 'topics.json');
    writeFileSync(path, JSON.stringify({ topics: [{ slug: 'space', name: 'Space', keywords: ['NASA'] }, { slug: 'world', name: 'World news' }] }));
    const before = await app.store.topics.list();
    expect(await importTopicFile(app.store, path, new Date())).toEqual({ added: 1, updated: 1 });
    const after = await app.store.topics.list();
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1)).toMatchObject({ slug: 'space', keywords: ['NASA'] });
    expect(after.find((t) => t.slug === 'world')).toMatchObject({ name: 'World news', position: 0, keywords: [] });
  });

  it('changes nothing when any item is bad', async () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify([{ slug: 'space', name: 'Space' }, { slug: 'Bad Slug', name: 'x' }]));
    const err = await importTopicFile(app.store, path, new Date()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).details).toEqual(['item index 1: slug: must be kebab-case, e.g. "us-politics"']);
    expect((await app.store.topics.slugs()).has('space')).toBe(false);
  });

  it('reports a missing file as unreadable', async () => {
    const err = await importTopicFile(app.store, join(dir, 'nope.json'), new Date()).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('INPUT_UNREADABLE');
  });
});
