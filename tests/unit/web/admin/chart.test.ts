import { describe, expect, it } from 'vitest';
import { barChartSvg } from '../../../../src/web/admin/chart.js';

describe('barChartSvg', () => {
  it('draws one bar per day, the tallest full height, with an accessible name and totals', () => {
    const svg = barChartSvg([{ label: 'a', value: 0 }, { label: 'b', value: 5 }, { label: 'c', value: 10 }], 'Sends');
    expect(svg.match(/<rect /g)).toHaveLength(3);
    expect(svg).toContain('role="img"');
    expect(svg).toContain('<title id="chart-title">Sends</title>');
    expect(svg).toContain('15 in all from a to c; highest day 10.');
    const heights = [...svg.matchAll(/height="(\d+)"/g)].map((m) => Number(m[1]));
    expect(heights).toEqual([0, 65, 130]);
  });

  it('escapes labels and copes with no data', () => {
    const svg = barChartSvg([{ label: '<b>&', value: 0 }], '"x"');
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;b&gt;&amp;');
    expect(barChartSvg([], 'Empty')).toContain('0 in all');
  });
});
