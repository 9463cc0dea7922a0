import { describe, expect, it } from 'vitest';
import { lazyModule } from '../../../src/cli/lazy.js';

describe('lazyModule', () => {
  it('loads nothing until asked, then loads once however often it is asked', async () => {
    let loads = 0;
    const load = lazyModule(async () => ({ n: ++loads }));
    expect(loads).toBe(0);
    const [a, b] = await Promise.all([load(), load()]);
    expect(await load()).toBe(a);
    expect(b).toBe(a);
    expect(loads).toBe(1);
  });
});
