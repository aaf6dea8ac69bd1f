import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress, isCi, recordLabel } from '../src/node/report/progress.ts';
import { makeRecord } from './report-fixture.ts';

function sink(isTTY: boolean): Writable & { isTTY: boolean; text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  });
  return Object.assign(w, { isTTY, columns: 100, text: () => chunks.join('') });
}

describe('report/progress', () => {
  it('prints numbered plain lines when not a TTY', () => {
    const s = sink(false);
    const p = createProgress({ total: 8, stream: s, ci: false });
    p.tick('mnist-cnn:fp32@tfjs/wasm ok 1.23 ms');
    p.tick(makeRecord('mnist-cnn:fp16@ort-node/cpu'));
    p.log('warning: something');
    p.done();
    expect(s.text()).toBe('[1/8] mnist-cnn:fp32@tfjs/wasm ok 1.23 ms\n[2/8] mnist-cnn:fp16@ort-node/cpu ok 1.27 ms\nwarning: something\n');
  });

  it('prints plain lines on a TTY under CI, and grows the total', () => {
    const s = sink(true);
    const p = createProgress({ stream: s, ci: true });
    p.addTotal(2);
    p.tick('a');
    p.tick('b');
    p.tick('c');
    p.done();
    expect(s.text()).toBe('[1/2] a\n[2/2] b\n[3/3] c\n');
  });

  it('draws a bar on an interactive terminal', () => {
    const s = sink(true);
    const p = createProgress({ total: 3, stream: s, ci: false });
    p.tick('first');
    p.log('a message');
    p.tick('second');
    p.done();
    p.done();
    const out = s.text();
    expect(out).toContain('\u001b['); // cursor control
    expect(out).not.toContain('[1/3]');
    expect(out).toContain('a message');
    expect(out).toMatch(/2\/3 second/);
  });

  it('labels records: ok with the median, skipped (reason in the summary) and error with reasons', () => {
    expect(recordLabel(makeRecord('t'))).toBe('t ok 1.27 ms');
    expect(recordLabel(makeRecord('t', { status: 'skipped', reason: 'no WebGPU' }))).toBe('t skipped (reason below)');
    expect(recordLabel(makeRecord('t', { status: 'error', errorCode: 'RUN_FAILED', reason: 'boom' }))).toBe('t error [RUN_FAILED]: boom');
    expect(recordLabel(makeRecord('t', { timings: undefined }))).toBe('t ok');
  });

  it('reads CI from the environment', () => {
    expect(isCi({ CI: 'true' })).toBe(true);
    expect(isCi({ CI: '1' })).toBe(true);
    expect(isCi({ CI: 'false' })).toBe(false);
    expect(isCi({})).toBe(false);
  });
});
