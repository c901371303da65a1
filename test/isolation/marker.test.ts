import { describe, expect, it } from 'vitest';
import { MARKER_PREFIX, markerComment, parseMarker } from '../../src/isolation/marker.js';
import { cloneName, runPrefix, sharedPrefix, templateName } from '../../src/isolation/names.js';

describe('database markers', () => {
  it('round-trip, a clone naming its template and a template its migrations hash', () => {
    const clone = { kind: 'clone', runId: 'r1', createdAt: 1, template: 'tk_tpl_abc', kept: true } as const;
    expect(parseMarker(markerComment(clone))).toEqual(clone);
    const template = { kind: 'template', runId: 'r1', createdAt: 2, hash: 'abc' } as const;
    expect(parseMarker(markerComment(template))).toEqual(template);
  });

  it('read the clones of version 0.1, which kept their template in `hash`', () => {
    const old = `${MARKER_PREFIX}${JSON.stringify({ kind: 'clone', runId: 'r0', createdAt: 3, hash: 'tk_tpl_old' })}`;
    expect(parseMarker(old)).toEqual({ kind: 'clone', runId: 'r0', createdAt: 3, template: 'tk_tpl_old' });
  });

  it('are absent from other comments', () => {
    expect(parseMarker(null)).toBeUndefined();
    expect(parseMarker('made by hand')).toBeUndefined();
    expect(parseMarker(`${MARKER_PREFIX}{not json`)).toBeUndefined();
  });
});

describe('database names', () => {
  it('come from one place, lower case and within 63 bytes', () => {
    expect(templateName('0123456789abcdef0123456789abcdef')).toBe('tk_tpl_0123456789abcdef01234567');
    expect(runPrefix('RunA')).toBe('tk_runa_');
    expect(sharedPrefix('RunA')).toBe('tk_runa_shared_');
    expect(cloneName('RunA', 7)).toMatch(new RegExp(`^tk_runa_${process.pid}_\\d+_7$`));
    expect(cloneName('r'.repeat(80), 1)).toHaveLength(63);
  });
});
