import { describe, expect, it } from 'vitest';
import { benchmarkChart, clip, escapeXml, logScale, logTicks } from '../../bench/lib/chart.mjs';
import { chartSvg, goalCount, mark, type Run, readmeSection, type Section } from '../../bench/report.mjs';

const goal = (label: string, ratio: number, target: number, met: boolean | null) => ({
  label,
  ratio,
  target,
  targetLabel: `≥ ${target}×`,
  met,
});

/** The elements of an SVG document, checked to open and close in order. */
function elements(svg: string): string[] {
  const stack: string[] = [];
  const names: string[] = [];
  for (const match of svg.matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>/g)) {
    const [, closing, name = '', selfClosing] = match;
    if (closing) expect(stack.pop()).toBe(name);
    else {
      names.push(name);
      if (!selfClosing) stack.push(name);
    }
  }
  expect(stack).toEqual([]);
  return names;
}

describe('bench chart', () => {
  it('escapes text for SVG and clips long labels', () => {
    expect(escapeXml(`a < b & "c" > 'd'`)).toBe('a &lt; b &amp; &quot;c&quot; &gt; &#39;d&#39;');
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(clip('abc', 4)).toBe('abc');
  });

  it('spans a log axis over every value with a margin, from round ticks', () => {
    expect(logTicks([1.4, 3, 65])).toEqual([1, 2, 5, 10, 20, 50, 100]);
    expect(logTicks([0.8, 1.5])).toEqual([0.5, 1, 2]);
    expect(logTicks([Number.NaN, -1])).toEqual([1, 10]);
  });

  it('maps values logarithmically, clamped to the axis', () => {
    const x = logScale([1, 10, 100], 0, 200);
    expect([x(1), x(10), x(100), x(1000), x(0.01)]).toEqual([0, 100, 200, 200, 0]);
  });

  it('draws one bar per measured goal, coloured by outcome, with a target mark each', () => {
    const svg = benchmarkChart({
      title: 'T <1>',
      subtitle: ['line one', 'line two'],
      goals: {
        title: 'Goals',
        goals: [goal('met one', 4, 3, true), goal('missed one', 1.2, 1.5, false), goal('absent', Number.NaN, 5, null)],
      },
    });
    const names = elements(svg);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('T &lt;1&gt;');
    expect(svg).toContain('4.0×, goal ≥ 3×: met');
    expect(svg).toContain('1.2×, goal ≥ 1.5×: MISSED');
    expect(svg).toContain('goal ≥ 5×: not measured');
    expect(svg.match(/fill="#2e7d32"/g)).toHaveLength(2); // the bar and its label
    expect(svg.match(/fill="#c62828"/g)).toHaveLength(2);
    expect(svg.match(/stroke="#111111" stroke-width="3"/g)).toHaveLength(2);
    expect(names.filter((n) => n === 'rect')).toHaveLength(3); // background and two bars
  });

  it('draws bars whose length grows with the value, and leaves out an empty panel', () => {
    const svg = benchmarkChart({
      title: 'T',
      bars: {
        title: 'Wall',
        unit: 's',
        rows: [
          { label: 'fast', value: 5 },
          { label: 'slow', value: 20 },
          { label: 'none', value: Number.NaN },
        ],
      },
      goals: { title: 'Goals', goals: [] },
    });
    elements(svg);
    const widths = [...svg.matchAll(/<rect [^>]*width="([\d.]+)" height="16"/g)].map((m) => Number(m[1]));
    expect(widths).toHaveLength(2);
    expect(widths[1]).toBeCloseTo((widths[0] ?? 0) * 4);
    expect(svg).toContain('20.0 s');
    expect(svg).toContain('not measured');
    expect(svg).not.toContain('Goals');
  });
});

const run: Run = {
  date: '2026-11-30T09:00:00.000Z',
  command: 'npm run bench',
  smoke: false,
  loadAverageBefore: 0.5,
  totalMs: 1000,
  machine: {
    host: { cpus: 2, cpuModel: 'CPU', memoryGiB: 8, os: 'Linux', node: 'v24' },
    server: { postgres: '17', timescaledb: '2.19.3', license: 'apache', pgvector: '0.8.0' },
    image: 'img',
  },
};

const sections: Section[] = [
  {
    id: 'headline',
    title: 'Headline',
    header: ['approach', 'wall'],
    rows: [['kit', '9 s']],
    goals: [
      {
        text: 'kit ≥ 3×',
        short: 'kit vs baseline',
        actual: '3.3×',
        met: true,
        ratio: 3.3,
        target: 3,
        direction: 'atLeast',
      },
      { text: 'setup ≤ 5×', actual: 'not measured', met: null, ratio: Number.NaN, target: 5, direction: 'atMost' },
    ],
    notes: ['a note'],
    chart: { title: 'Wall', unit: 's', rows: [{ label: 'kit', value: 9 }] },
  },
];

describe('bench report', () => {
  it('marks goals met, MISSED or not measured, and counts only measured ones', () => {
    expect([mark(true), mark(false), mark(null)]).toEqual(['met', '**MISSED**', 'not measured']);
    expect(goalCount([{ met: true }, { met: false }, { met: null }])).toBe(
      'Goals met: 1 of 2 (1 not measured in this run).',
    );
    expect(goalCount([{ met: true }])).toBe('Goals met: 1 of 1.');
  });

  it("puts the chart next to the tables in the README's Performance section", () => {
    const text = readmeSection(run, sections);
    expect(text).toContain(
      "![Benchmark goals as ratios, and the headline suite's wall times](bench/results/latest.svg)",
    );
    expect(text).toContain('Goals met: 1 of 1 (1 not measured in this run).');
    expect(text).toContain('| Headline | setup ≤ 5× | not measured | not measured |');
    expect(text.indexOf('latest.svg')).toBeLessThan(text.indexOf('### Headline'));
  });

  it("draws the run's chart from the headline's bars and every goal", () => {
    const svg = chartSvg(run, sections);
    expect(svg).toContain('1 of 1 goals met');
    expect(svg).toContain('kit vs baseline');
    expect(svg).toContain('3.3×, goal ≥ 3×: met');
    expect(svg).toContain('goal ≤ 5×: not measured');
    expect(svg).toContain('9.00 s');
  });
});
