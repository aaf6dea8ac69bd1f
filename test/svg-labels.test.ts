/** Chart row labels are shortened without losing the variant: `int8-weight` and `int8-dynamic` stay apart. */
import { describe, expect, it } from 'vitest';
import { fitLabel, MAX_LABEL_CHARS } from '../src/kernel/render/svg-scale.ts';

describe('fitLabel', () => {
  it('keeps short labels whole', () => {
    expect(fitLabel('mnist-cnn:fp32@ort-web/wasm/browser')).toBe('mnist-cnn:fp32@ort-web/wasm/browser');
  });

  it('drops the model prefix of a long target id and keeps the variant whole', () => {
    const a = fitLabel('mnist-student-distilled:int8-weight@ort-web/webgpu-jsep/browser');
    const b = fitLabel('mnist-student-distilled:int8-dynamic@ort-web/webgpu-jsep/browser');
    expect(a).toBe('int8-weight@ort-web/webgpu-jsep/browser');
    expect(b).toBe('int8-dynamic@ort-web/webgpu-jsep/browser');
    expect(a).not.toBe(b);
  });

  it('cuts an id that is still too long at its end, after the variant', () => {
    const long = fitLabel('m:int8-dynamic-per-channel-symmetric@ort-web/webgpu-jsep/browser');
    expect(long.length).toBe(MAX_LABEL_CHARS);
    expect(long.startsWith('int8-dynamic-per-channel-symmetric@')).toBe(true);
    expect(long.endsWith('…')).toBe(true);
  });

  it('gives other labels a middle ellipsis', () => {
    const s = fitLabel('x'.repeat(30) + 'y'.repeat(30));
    expect(s).toMatch(/^x+…y+$/);
    expect(s.length).toBe(MAX_LABEL_CHARS);
  });
});
