import { describe, expect, it } from 'vitest';
import { fmtBytes } from '../src/kernel/core/format-bytes.ts';
import { DASH, fmtCosine, fmtCount, fmtDb, fmtMs, fmtNum, fmtPct, fmtPoints } from '../src/kernel/render/format.ts';

describe('report/format', () => {
  it('fmtNum uses significant digits and exponents for tiny errors', () => {
    expect(fmtNum(0)).toBe('0');
    expect(fmtNum(2.4e-7)).toBe('2.4e-7');
    expect(fmtNum(0.021345)).toBe('0.0213');
    expect(fmtNum(1.5)).toBe('1.5');
    expect(fmtNum(12345.6)).toBe('12346');
    expect(fmtNum(3e7)).toBe('3e7');
    expect(fmtNum(-0.5)).toBe('-0.5');
    expect(fmtNum(0.999, 6)).toBe('0.999');
  });

  it('prints missing and non-finite values the same everywhere', () => {
    for (const f of [fmtNum, fmtMs, fmtPct, fmtBytes, fmtCosine, fmtCount]) {
      expect(f(undefined)).toBe(DASH);
      expect(f(null)).toBe(DASH);
      expect(f(NaN)).toBe('NaN');
      expect(f(Infinity)).toBe('∞');
      expect(f(-Infinity)).toBe('-∞');
    }
    expect(fmtDb(Infinity)).toBe('∞ dB');
    expect(fmtDb(42.123)).toBe('42.1 dB');
  });

  it('fmtMs keeps fixed decimals by magnitude', () => {
    expect(fmtMs(0.4211)).toBe('0.421');
    expect(fmtMs(1.234)).toBe('1.23');
    expect(fmtMs(21.74)).toBe('21.7');
    expect(fmtMs(868.4)).toBe('868');
  });

  it('fmtPct never rounds a non-100% value up to 100%', () => {
    expect(fmtPct(0.982)).toBe('98.2%');
    expect(fmtPct(1)).toBe('100.0%');
    expect(fmtPct(0.9999)).toBe('99.99%');
    expect(fmtPct(0.00001)).not.toBe('0.0%');
    expect(fmtPct(0)).toBe('0.0%');
  });

  it('fmtPoints shows signed percentage points and the CI', () => {
    expect(fmtPoints(-0.004)).toBe('-0.40 pt');
    expect(fmtPoints(0.0123, { lo: 0.001, hi: 0.02 })).toBe('+1.23 pt [+0.10, +2.00]');
    expect(fmtPoints(0)).toBe('+0.00 pt');
    expect(fmtPoints(-0.00001)).toBe('0.00 pt');
  });

  it('fmtBytes uses binary units', () => {
    expect(fmtBytes(512)).toBe('512 B');
    expect(fmtBytes(1536)).toBe('1.50 KiB');
    expect(fmtBytes(1_734_512)).toBe('1.65 MiB');
  });

  it('fmtCosine shows how far from 1 a cosine is', () => {
    expect(fmtCosine(1)).toBe('1');
    expect(fmtCosine(0.99999987)).toBe('0.99999987');
    expect(fmtCosine(0.99731)).toBe('0.9973');
    expect(fmtCosine(0.5)).toBe('0.5000');
  });

  it('fmtCount groups thousands', () => {
    expect(fmtCount(1234567)).toBe('1,234,567');
  });
});
