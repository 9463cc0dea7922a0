import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/errors.js';
import { createEditionRenderer } from '../../../src/render/edition-renderer.js';
import { createWorkerEditionRenderer, type ClosableEditionRenderer } from '../../../src/render/worker-renderer.js';
import { makeArticle, makeEdition, makeLargeEdition, makeSection } from '../../helpers/edition-fixtures.js';

// Rendering in a worker thread must give what rendering in-process gives, report failures as the
// same AppErrors, and survive a worker that dies.

const options = { senderName: 'Topic Digest', senderAddress: '1 Quay Street', publicUrl: 'https://news.example' };

describe('createWorkerEditionRenderer', () => {
  let renderer: ClosableEditionRenderer;
  afterEach(async () => {
    await renderer.close();
  });

  it('renders the same editions as the in-process renderer, several at once, and counts them', async () => {
    renderer = createWorkerEditionRenderer(options);
    const editions = [makeEdition([makeSection('World', [makeArticle({ title: 'Ünïcode & <tags>' })])]), makeLargeEdition(3, 4, 300), makeLargeEdition(30, 10, 1500)];
    const inProcess = createEditionRenderer(options);
    const [inWorker, expected] = await Promise.all([Promise.all(editions.map((e) => renderer.render(e))), Promise.all(editions.map((e) => inProcess.render(e)))]);
    expect(inWorker).toEqual(expected);
    expect(renderer.renderCount).toBe(3);
  });

  it('reports a bad edition as RENDER_FAILED with its hint, and keeps rendering', async () => {
    renderer = createWorkerEditionRenderer(options);
    const bad = renderer.render(makeEdition([makeSection('World', [makeArticle()])], { localDate: '2026-13-45' }));
    await expect(bad).rejects.toSatisfy((e) => isAppError(e, 'RENDER_FAILED') && /bad local date/.test(e.message) && /YYYY-MM-DD/.test(e.hint ?? ''));
    await expect(renderer.render(makeEdition([makeSection('Tech', [makeArticle()])]))).resolves.toMatchObject({ subject: expect.any(String) });
    expect(renderer.renderCount).toBe(1);
  });

  it('starts a new worker after the old one is gone', async () => {
    renderer = createWorkerEditionRenderer(options);
    await renderer.render(makeEdition([makeSection('World', [makeArticle()])]));
    await renderer.close();
    const again = await renderer.render(makeEdition([makeSection('Sport', [makeArticle()])]));
    expect(again.html).toContain('Sport');
  });
});

describe('createLeanEditionRenderer', () => {
  it('renders a small day in-process and moves the rest of a large day to the worker, same output', async () => {
    const { createLeanEditionRenderer } = await import('../../../src/render/worker-renderer.js');
    const lean = createLeanEditionRenderer(options, 2);
    try {
      const editions = ['A', 'B', 'C', 'D'].map((t) => makeEdition([makeSection(t, [makeArticle()])]));
      const inProcess = createEditionRenderer(options);
      const out = [];
      for (const e of editions) out.push(await lean.render(e));
      for (const [i, e] of editions.entries()) expect(out[i]).toEqual(await inProcess.render(e));
      expect(lean.renderCount).toBe(4);
    } finally {
      await lean.close();
    }
  });

  it('renders in-process when the worker dies under an edition, and still reports bad editions', async () => {
    const { createLeanEditionRenderer } = await import('../../../src/render/worker-renderer.js');
    const worker = createWorkerEditionRenderer(options);
    const lean = createLeanEditionRenderer(options, 0, worker);
    try {
      const edition = makeEdition([makeSection('Science', [makeArticle()])]);
      const pending = lean.render(edition);
      await worker.close(); // the worker is gone before it answers
      expect(await pending).toEqual(await createEditionRenderer(options).render(edition));
      const bad = lean.render(makeEdition([makeSection('World', [makeArticle()])], { localDate: 'never' }));
      await expect(bad).rejects.toSatisfy((e) => isAppError(e, 'RENDER_FAILED') && /bad local date/.test(e.message));
    } finally {
      await lean.close();
    }
  });
});
