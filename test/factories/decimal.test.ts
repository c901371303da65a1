import { describe, expect, test } from 'vitest';
import { decimal } from '../../src/factories/index.js';

describe('decimal', () => {
  test('formats at a scale, rounding half away from zero', () => {
    expect(decimal.toFixed('1.5', 0)).toBe('2');
    expect(decimal.toFixed('-1.5', 0)).toBe('-2');
    expect(decimal.toFixed('1.44999', 1)).toBe('1.4');
    expect(decimal.toFixed(0.1)).toBe('0.10000000');
    expect(decimal.toFixed(12n, 2)).toBe('12.00');
    expect(decimal.toFixed('1e-7')).toBe('0.00000010');
    expect(decimal.toFixed('2.5e3', 1)).toBe('2500.0');
    expect(decimal.toFixed('.5', 2)).toBe('0.50');
    expect(decimal.toFixed('-0.004', 2)).toBe('0.00');
  });

  test("units times a power of ten (the factories' common form) print as the general path prints them", () => {
    const general = (digits: string, exponent: number, scale: number) => {
      // the same value through the general path: a plain decimal, moved by hand
      const negative = digits.startsWith('-');
      const body = (negative ? digits.slice(1) : digits).padStart(exponent + 1, '0');
      const plain = exponent === 0 ? `${body}.0` : `${body.slice(0, -exponent)}.${body.slice(-exponent)}0`;
      return decimal.toFixed(`${negative ? '-' : ''}${plain}`, scale);
    };
    for (const digits of ['0', '7', '-7', '12345', '-12345', '000123', '999999999999999', '-0']) {
      for (const exponent of [0, 1, 2, 4, 8, 9]) {
        for (const scale of [0, 2, 4, 8]) {
          expect(decimal.toFixed(`${digits}e-${exponent}`, scale), `${digits}e-${exponent} at ${scale}`).toBe(
            general(digits, exponent, scale),
          );
        }
      }
    }
    expect(decimal.toFixed('4325012e-2')).toBe('43250.12000000');
    expect(decimal.toFixed('5e-9')).toBe('0.00000001');
    expect(decimal.toFixed('-5e-9')).toBe('-0.00000001');
    expect(decimal.toFixed('-4e-9')).toBe('0.00000000');
    expect(decimal.toFixed(0)).toBe('0.00000000');
    expect(decimal.toFixed(-0, 2)).toBe('0.00');
    expect(decimal.toFixed(-42, 0)).toBe('-42');
    expect(decimal.toFixed(2 ** 53, 1)).toBe('9007199254740992.0');
  });

  test('adds, subtracts and multiplies without float drift', () => {
    expect(decimal.add('0.1', '0.2')).toBe('0.30000000');
    expect(decimal.sub('0.3', '0.1', 2)).toBe('0.20');
    expect(decimal.mul('43250.12', '0.0123')).toBe('531.97647600');
    expect(decimal.mul('0.00000001', '0.5')).toBe('0.00000001');
    expect(decimal.mul('-2', '0.00000001', 8)).toBe('-0.00000002');
  });

  test('splits exactly', () => {
    const parts = decimal.split('1.00000000', 3);
    expect(parts).toEqual(['0.33333333', '0.33333333', '0.33333334']);
    expect(parts.reduce((sum, part) => decimal.add(sum, part), '0')).toBe('1.00000000');
    expect(() => decimal.split('1', 0)).toThrow(RangeError);
  });

  test('compares long and short values exactly', () => {
    expect(decimal.compare('1.10', '1.1')).toBe(0);
    expect(decimal.compare('12345678901234567.00000001', '12345678901234567')).toBe(1);
    expect(decimal.compare(-1, '0')).toBe(-1);
    expect(decimal.compare(2n, '1.99999999999999999999')).toBe(1);
  });

  test('recognises decimals and rejects garbage', () => {
    expect(decimal.isDecimal('1.5')).toBe(true);
    expect(decimal.isDecimal(' 1e5 ')).toBe(true);
    expect(decimal.isDecimal(3n)).toBe(true);
    expect(decimal.isDecimal(Number.NaN)).toBe(false);
    expect(decimal.isDecimal('abc')).toBe(false);
    expect(decimal.isDecimal('.')).toBe(false);
    expect(decimal.isDecimal(null)).toBe(false);
    expect(() => decimal.toFixed('abc')).toThrow(RangeError);
    expect(() => decimal.toFixed(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
