import { describe, expect, it } from 'vitest';
import { formatMs, formatRate, formatRatio, quantile, summarize } from '../../bench/lib/stats.mjs';

describe('bench statistics', () => {
  it('interpolates quantiles between the closest ranks, whatever the order of the samples', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([10, 20, 30, 40, 50], 0.5)).toBe(30);
    expect(quantile([10, 20, 30, 40, 50], 0.95)).toBeCloseTo(48);
    expect(quantile([7], 0.95)).toBe(7);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('summarises durations as p50, p95, min, max and the rounded samples', () => {
    const summary = summarize([3.2468, 1, 2]);
    expect(summary).toMatchObject({ n: 3, p50: 2, min: 1, max: 3.2468, samples: [3.247, 1, 2] });
    expect(summary.p95).toBeCloseTo(3.1221, 3);
  });

  it('formats durations, rates and ratios with a precision that suits their size', () => {
    expect([formatMs(0.613), formatMs(23.46), formatMs(171.2), formatMs(1830), formatMs(23_300)]).toEqual([
      '0.61 ms',
      '23.5 ms',
      '171 ms',
      '1.83 s',
      '23.3 s',
    ]);
    expect(formatMs(Number.NaN)).toBe('—');
    expect(formatRate(95_294.4)).toBe('95,294 rows/s');
    expect([formatRatio(2.54), formatRatio(65.4), formatRatio(Number.POSITIVE_INFINITY)]).toEqual(['2.5×', '65×', '—']);
  });
});
