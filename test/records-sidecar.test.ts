/**
 * Records that scale: raw outputs in one binary sidecar per target beside records.jsonl (or not
 * kept), read back exactly; a missing or truncated sidecar costs only that record's outputs, named
 * with the sidecar, the target and the output.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, truncateSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../src/kernel/core/record.ts';
import { encodeTensor } from '../src/kernel/core/tensor-codec.ts';
import type { KeepOutputs } from '../src/kernel/render/records-sidecar.ts';
import { createRecordsWriter, readRecords } from '../src/node/run/records-writer.ts';

const record = (variant: string, seed: number): RunRecord => ({
  schemaVersion: 1,
  target: { id: `m:${variant}@ort-node/cpu`, model: 'm', variant, backend: 'ort-node/cpu', environment: 'node' },
  status: 'ok',
  facts: {},
  startedAt: new Date(0).toISOString(),
  outputs: {
    probs: [0, 1, 2].map((s) =>
      encodeTensor({ dtype: 'float32', dims: [1, 5, 7], data: Float32Array.from({ length: 35 }, (_, i) => Math.sin(seed + s * 35 + i)) }),
    ),
    ids: [0, 1, 2].map((s) => encodeTensor({ dtype: 'int64', dims: [2], data: BigInt64Array.from([BigInt(s), BigInt(seed)]) })),
  },
});
const records = [record('fp32', 1), record('fp16', 2), record('int8-weight', 3)];

function write(keepOutputs: KeepOutputs): string {
  const dir = mkdtempSync(join(tmpdir(), `parity-sidecar-${keepOutputs}-`));
  const w = createRecordsWriter(join(dir, 'records.jsonl'), { keepOutputs, isReference: (r) => r.target.variant === 'fp32' });
  for (const r of records) w.write(r);
  w.close();
  return dir;
}

describe('records with output sidecars', () => {
  it('all: one binary sidecar per target, referenced by offset, read back exactly', () => {
    const dir = write('all');
    const files = readdirSync(join(dir, 'outputs')).sort();
    expect(files).toEqual(['001-m_fp32_ort-node_cpu.bin', '002-m_fp16_ort-node_cpu.bin', '003-m_int8-weight_ort-node_cpu.bin']);
    expect(statSync(join(dir, 'outputs', files[0]!)).size).toBe(3 * 35 * 4 + 3 * 2 * 8);
    const text = readFileSync(join(dir, 'records.jsonl'), 'utf8');
    expect(text).not.toMatch(/"b64"/);
    expect(text).toMatch(/"at":\[140,140\]/);
    const back = readRecords(join(dir, 'records.jsonl'));
    expect(back.skipped).toEqual([]);
    expect(back.records.map((r) => r.outputs)).toEqual(records.map((r) => r.outputs));
  });

  it('reference: only the references keep outputs; inline: the old layout', () => {
    const ref = readRecords(join(write('reference'), 'records.jsonl')).records;
    expect(ref[0]!.outputs).toEqual(records[0]!.outputs);
    expect(ref.slice(1).map((r) => [r.outputs, (r as { outputsKept?: boolean }).outputsKept])).toEqual([
      [undefined, false],
      [undefined, false],
    ]);
    const inline = write('inline');
    expect(readFileSync(join(inline, 'records.jsonl'), 'utf8')).toMatch(/"b64"/);
    expect(readRecords(join(inline, 'records.jsonl')).records.map((r) => r.outputs)).toEqual(records.map((r) => r.outputs));
  });

  it('release: written records hold handles that read their outputs back from disk, kept or not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parity-sidecar-release-'));
    const copies = records.map((r) => ({ ...r, outputs: Object.fromEntries(Object.entries(r.outputs!).map(([k, v]) => [k, v.map((e) => ({ ...e }))])) }));
    const w = createRecordsWriter(join(dir, 'records.jsonl'), { keepOutputs: 'reference', isReference: (r) => r.target.variant === 'fp32', release: true });
    for (const r of copies) w.write(r);
    w.close();
    expect(Object.getOwnPropertyDescriptor(copies[1]!.outputs.probs![0], 'b64')?.get).toBeTypeOf('function');
    expect(JSON.parse(JSON.stringify(copies.map((r) => r.outputs)))).toEqual(records.map((r) => r.outputs));
    expect(readdirSync(join(dir, 'outputs'))).toEqual(['001-m_fp32_ort-node_cpu.bin']);
  });

  it('a truncated or missing sidecar loses only that record’s outputs, named with file, target and output', () => {
    const dir = write('all');
    truncateSync(join(dir, 'outputs', '002-m_fp16_ort-node_cpu.bin'), 100);
    rmSync(join(dir, 'outputs', '003-m_int8-weight_ort-node_cpu.bin'));
    const back = readRecords(join(dir, 'records.jsonl'));
    expect(back.records).toHaveLength(3);
    expect(back.records[0]!.outputs).toEqual(records[0]!.outputs);
    expect(back.records[1]!.outputs).toBeUndefined();
    expect(back.records[1]!.startedAt).toBe(records[1]!.startedAt);
    expect(back.skipped.map((s) => [s.line, s.reason])).toEqual([
      [
        2,
        expect.stringMatching(
          /^sidecar outputs\/002-m_fp16_ort-node_cpu\.bin is truncated: target m:fp16@ort-node\/cpu, output 'probs' sample 0 needs 140 bytes at offset 0, found 100$/,
        ),
      ],
      [
        3,
        expect.stringMatching(/^sidecar outputs\/003-m_int8-weight_ort-node_cpu\.bin is missing: target m:int8-weight@ort-node\/cpu, output 'probs' sample 0/),
      ],
    ]);
  });
});
