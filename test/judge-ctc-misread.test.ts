/**
 * The ctc role's `misreadRate`: a sequence that changes only by one token at an edge (CTC edge
 * jitter — PP-OCRv4 rec's healthy int8 variants gain or lose an edge space) is not misread; one
 * that changes inside is. CER alone passed an int8-dynamic file that read 7 of 16 lines (CER 0.082
 * under the int8 limit 0.1); the misread gate (≤ 0.25 at int8) fails it.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ROLE_GATES } from '../src/kernel/judge/role-default-gates.ts';
import { interiorDistance, misreadRate, sequenceErrors } from '../src/kernel/judge/role-sequence.ts';

const SPACE = 99;
const word = (s: string) => [...s].map((c) => c.charCodeAt(0));

describe('ctc misreadRate', () => {
  it('forgives one token of jitter at each end, never inside', () => {
    const hello = word('hello world');
    expect(interiorDistance(hello, [SPACE, ...hello])).toBe(0);
    expect(interiorDistance(hello, [...hello, SPACE])).toBe(0);
    expect(interiorDistance([SPACE, ...hello], [...hello, SPACE])).toBe(0);
    expect(interiorDistance(hello, word('hellow orld'))).toBeGreaterThan(0);
    expect(interiorDistance(hello, word('helloworld'))).toBe(1);
    expect(interiorDistance(hello, [])).toBeGreaterThan(0);
  });

  it('fails 9 misread lines of 16 at int8 where CER alone passed, and passes edge-only changes', () => {
    const ref = Array.from({ length: 16 }, (_, i) => word(`line number ${i} of sixteen`));
    // 9 lines with one character changed inside: CER ≈ 9 / (16·23) ≈ 0.024, far under 0.1
    const broken = ref.map((s, i) => (i < 9 ? s.map((c, j) => (j === 3 ? c + 1 : c)) : s));
    expect(sequenceErrors(ref, broken).errorRate).toBeLessThan(0.1);
    expect(misreadRate(ref, broken)).toBeCloseTo(9 / 16, 9);
    // healthy: six lines gain an edge space, three lose an inner one
    const healthy = ref.map((s, i) => (i < 6 ? [SPACE, ...s] : i < 9 ? s.filter((_, j) => j !== 4) : s));
    expect(misreadRate(ref, healthy)).toBeCloseTo(3 / 16, 9);
    const gate = DEFAULT_ROLE_GATES.ctc.int8.find((g) => g.metric === 'misreadRate')!;
    expect(gate.threshold).toBe(0.25);
    expect(misreadRate(ref, broken)).toBeGreaterThan(gate.threshold);
    expect(misreadRate(ref, healthy)).toBeLessThan(gate.threshold);
  });
});
