import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/paths.js';

/**
 * The layers of docs/architecture.md, checked on every import under src/ (static, re-export and
 * dynamic `import()`, as TypeScript's own pre-processor reads them):
 * model ← store ← plan/render/deliver ← pipeline ← cli/web.
 */

const SRC = join(PACKAGE_ROOT, 'src');

/** Each layer's folders, lowest first; a file may import only from its own layer or lower ones. */
const LAYERS: readonly (readonly string[])[] = [['model'], ['store'], ['plan', 'render', 'deliver'], ['pipeline'], ['cli', 'web']];
const layerOf = (folder: string): number => LAYERS.findIndex((l) => l.includes(folder));

/** Driver packages only the store may import: the database handle stays behind its repositories. */
const DATABASE_PACKAGES = /^(kysely|better-sqlite3|pg|pg-cursor)(\/|$)/;

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(path);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The top folder under src/ of a path ('' for files at src/ itself). */
function folderOf(file: string): string {
  const parts = relative(SRC, file).split('/');
  return parts.length > 1 ? parts[0]! : '';
}

/** Every import of one file: the specifier and, for a relative one, the file path it names. */
function importsOf(file: string, text: string): { spec: string; target?: string }[] {
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles.map(({ fileName: spec }) => (spec.startsWith('.') ? { spec, target: resolve(dirname(file), spec) } : { spec }));
}

/** Each import that runs against the rules, as "src/a/b.ts → spec (why)"; `read` gives a file's text. */
function layerViolations(files: string[], read: (file: string) => string = (f) => readFileSync(f, 'utf8')): string[] {
  const out: string[] = [];
  for (const file of files) {
    const text = read(file);
    const from = folderOf(file);
    const rel = relative(PACKAGE_ROOT, file);
    for (const { spec, target } of importsOf(file, text)) {
      if (!target) {
        if (DATABASE_PACKAGES.test(spec) && from !== 'store') out.push(`${rel} → ${spec} (only src/store touches the database)`);
        continue;
      }
      const inRepo = relative(PACKAGE_ROOT, target);
      if (/^bench\//.test(inRepo)) out.push(`${rel} → ${spec} (src never imports bench/)`);
      if (/^emails\/_preview\//.test(inRepo)) out.push(`${rel} → ${spec} (sample data stays out of src)`);
      if (!inRepo.startsWith('src/')) continue;
      const to = folderOf(target);
      const [a, b] = [layerOf(from), layerOf(to)];
      if (a >= 0 && b > a) out.push(`${rel} → ${spec} (${from} may not import ${to})`);
    }
    if (from !== 'store' && /\bstore\)?\.db\b/.test(text)) out.push(`${rel} reaches store.db (only src/store touches the database)`);
  }
  return out;
}

describe('layers', () => {
  it('no file under src/ imports against model ← store ← plan/render/deliver ← pipeline ← cli/web', () => {
    expect(layerViolations(tsFiles(SRC))).toEqual([]);
  });

  it('catches upward, bench, preview-sample and driver imports and a reach for store.db', () => {
    const fixtures: Record<string, string> = {
      'src/model/a.ts': "import type { Store } from '../store/store.js';",
      'src/store/b.ts': "export { x } from '../pipeline/digest-run.js';",
      'src/render/c.ts': "const m = await import('../web/server.js'); import '../../bench/run.js';",
      'src/pipeline/d.ts': "import { sql } from 'kysely'; await app.store.db.selectFrom('x');",
      'src/web/e.ts': "import { sampleReader } from '../../emails/_preview/sample.js'; import type { Store } from '../store/store.js';",
      'src/cli/f.ts': "import { runDigest } from '../pipeline/digest-run.js'; import { z } from 'zod';",
    };
    const files = Object.keys(fixtures).map((f) => join(PACKAGE_ROOT, f));
    expect(layerViolations(files, (f) => fixtures[relative(PACKAGE_ROOT, f)]!)).toEqual([
      'src/model/a.ts → ../store/store.js (model may not import store)',
      'src/store/b.ts → ../pipeline/digest-run.js (store may not import pipeline)',
      'src/render/c.ts → ../web/server.js (render may not import web)',
      'src/render/c.ts → ../../bench/run.js (src never imports bench/)',
      'src/pipeline/d.ts → kysely (only src/store touches the database)',
      'src/pipeline/d.ts reaches store.db (only src/store touches the database)',
      'src/web/e.ts → ../../emails/_preview/sample.js (sample data stays out of src)',
    ]);
  });
});
