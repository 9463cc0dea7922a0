import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT, packagePath } from '../../src/paths.js';

describe('packagePath', () => {
  it('finds the package root from src/, where templates, email images and samples live', () => {
    expect(JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).name).toBe('topic-digest');
    for (const shipped of [packagePath('templates', 'digest.txt.hbs'), packagePath('templates', 'pages'), packagePath('emails', 'static'), packagePath('samples', 'articles.json')]) {
      expect(existsSync(shipped), shipped).toBe(true);
    }
  });
});
