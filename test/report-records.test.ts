import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRecords, recordLine } from '../src/kernel/render/records-jsonl.ts';
import { createRecordsWriter, readRecords } from '../src/node/run/records-writer.ts';
import { makeRecord } from './report-fixture.ts';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'parity-records-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('report/records', () => {
  it('writes one line per record, readable after each write', () => {
    const path = join(tmp(), 'nested', 'records.jsonl');
    const w = createRecordsWriter(path);
    w.write(makeRecord('a'));
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(2);
    w.write(makeRecord('b', { status: 'skipped', reason: 'no WebGPU\nadapter', outputs: undefined, timings: undefined }));
    w.close();
    w.close();
    expect(w.count).toBe(2);
    const { records, skipped } = readRecords(path);
    expect(skipped).toEqual([]);
    expect(records.map((r) => r.target.id)).toEqual(['a', 'b']);
    expect(records[1]!.reason).toBe('no WebGPU\nadapter');
    expect(() => w.write(makeRecord('c'))).toThrow(/closed/);
  });

  it('encodes non-finite numbers and revives them', () => {
    const line = recordLine(makeRecord('a', { facts: { score: Infinity, bad: NaN } }));
    expect(line).toContain('"score":"Infinity"');
    const back = parseRecords(line).records[0]!;
    expect(back.facts.score).toBe(Infinity);
    expect(Number.isNaN(back.facts.bad)).toBe(true);
  });

  it('skips a truncated last line and reports it', () => {
    const path = join(tmp(), 'records.jsonl');
    writeFileSync(path, recordLine(makeRecord('a')) + recordLine(makeRecord('b')) + recordLine(makeRecord('c')).slice(0, 40));
    const { records, skipped } = readRecords(path);
    expect(records).toHaveLength(2);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatchObject({ line: 3, reason: expect.stringMatching(/truncated/) });
  });

  it('reports lines that are JSON but not records', () => {
    const { records, skipped } = parseRecords(`${recordLine(makeRecord('a'))}{"hello":1}\n\n`);
    expect(records).toHaveLength(1);
    expect(skipped).toEqual([expect.objectContaining({ line: 2, reason: expect.stringMatching(/not a RunRecord/) })]);
  });

  it('appending after a crash terminates the partial line instead of corrupting the next record', () => {
    const path = join(tmp(), 'records.jsonl');
    writeFileSync(path, recordLine(makeRecord('a')));
    appendFileSync(path, '{"schemaVersion":1,"tar');
    const w = createRecordsWriter(path, { append: true, fsync: true });
    w.write(makeRecord('b'));
    w.close();
    const { records, skipped } = readRecords(path);
    expect(records.map((r) => r.target.id)).toEqual(['a', 'b']);
    expect(skipped.map((s) => s.line)).toEqual([2]);
  });

  it('truncates by default', () => {
    const path = join(tmp(), 'records.jsonl');
    writeFileSync(path, recordLine(makeRecord('old')));
    createRecordsWriter(path).close();
    expect(readFileSync(path, 'utf8')).toBe('');
  });

  it('keeps every record written before the process is killed', () => {
    const dir = tmp();
    const path = join(dir, 'records.jsonl');
    const script = join(dir, 'crash.mts');
    const writer = resolve('src/node/run/records-writer.ts');
    const fixture = resolve('test/report-fixture.ts');
    writeFileSync(
      script,
      [
        `import { createRecordsWriter } from ${JSON.stringify(writer)};`,
        `import { makeRecord } from ${JSON.stringify(fixture)};`,
        `const w = createRecordsWriter(${JSON.stringify(path)});`,
        `w.write(makeRecord('a')); w.write(makeRecord('b'));`,
        `process.kill(process.pid, 'SIGKILL');`,
      ].join('\n'),
    );
    const r = spawnSync(process.execPath, [resolve('bin/run-ts.js'), script], { encoding: 'utf8' });
    expect(r.signal).toBe('SIGKILL');
    expect(readRecords(path).records.map((x) => x.target.id)).toEqual(['a', 'b']);
  });

  it('throws a typed error for a missing file', () => {
    expect(() => readRecords(join(tmp(), 'nope.jsonl'))).toThrow(expect.objectContaining({ code: 'FILE_NOT_FOUND' }));
  });
});
