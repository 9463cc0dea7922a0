import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Sample news and the sample reader exist for the dev server only: nothing on the send path (src/,
 * emails/_templates, emails/_components) imports emails/_preview, and the templates take the
 * token protocol as props instead of importing it.
 */

const root = join(import.meta.dirname, '../../..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

describe('production render path', () => {
  const onPath = [...sources('src'), ...sources('emails/_templates'), ...sources('emails/_components')];

  it('covers the renderer and the templates', () => {
    expect(onPath).toContain(join('src', 'render', 'edition-renderer.ts'));
    expect(onPath).toContain(join('emails', '_templates', 'DigestTemplate.tsx'));
  });

  it('never imports the preview sample data', () => {
    for (const file of onPath) expect(readFileSync(join(root, file), 'utf8'), file).not.toMatch(/from '[^']*_preview\//);
  });

  it('keeps the token protocol out of the templates (they receive values as props)', () => {
    for (const file of [...sources('emails/_templates'), ...sources('emails/_components')]) {
      expect(readFileSync(join(root, file), 'utf8'), file).not.toMatch(/personal-tokens|%%td:/);
    }
  });
});
