/** The pure input side of `parity replay`: log lines, labels files, and `--by`. */
import { describe, expect, it } from 'vitest';
import { joinLabels, labelIndex, parseLabels } from '../src/tools/replay/labels.ts';
import { parseLog } from '../src/tools/replay/read-log.ts';
import { parseBy, sliceEntries, windowStart } from '../src/tools/replay/slice.ts';

const line = (o: object) => JSON.stringify({ time: '2026-11-30T08:10:00Z', env: { client: 'web' }, outputs: { probs: [0.1, 0.9] }, ...o });

describe('replay input', () => {
  it('keeps good lines and names every bad one by number', () => {
    const text = [
      line({ id: 'a' }),
      '',
      'nope',
      line({ id: 'b', outputs: { probs: ['x'] } }),
      line({ id: 'a' }),
      line({ id: 'c', features: 'abc' }),
      '[1,2]',
      line({ id: 'd', outputs: { probs: [null, 1] } }),
    ].join('\n');
    const log = parseLog(text);
    expect(log.lines).toBe(7);
    expect(log.entries.map((e) => e.id)).toEqual(['a', 'a', 'd']);
    expect(log.entries[2]!.outputs.probs![0]).toBeNaN();
    expect(log.problems.map((p) => [p.line, p.message])).toEqual([
      [3, expect.stringMatching(/^not valid JSON/)],
      [4, "record 'b': output 'probs' is not an array of numbers"],
      [5, "id 'a' repeats line 1; labels join on the first"],
      [6, "record 'c': features must be an array of numbers or an object of them"],
      [7, 'expected a JSON object with id, time, env and outputs'],
    ]);
  });

  it('reads labels from JSONL and CSV and joins them by id', () => {
    const j = parseLabels('{"id":"a","label":"Gentoo"}\n{"id":"b"}\n', 'labels.jsonl');
    expect([...j.labels]).toEqual([['a', 'Gentoo']]);
    expect(j.problems).toEqual([{ line: 2, message: 'labels.jsonl: expected {"id": ..., "label": ...}' }]);
    const c = parseLabels('id,label\na,1\nb,Adelie\n', 'labels.csv');
    expect([...c.labels]).toEqual([
      ['a', '1'],
      ['b', 'Adelie'],
    ]); // a mixed column stays text; labelIndex reads '1' as index 1
    expect(() => parseLabels('req,species\na,1\n', 'l.csv')).toThrow(/l\.csv: a labels CSV needs the columns 'id' and 'label'; it has 'req', 'species'/);
    const entries = parseLog([line({ id: 'a' }), line({ id: 'b', label: 'Chinstrap' }), line({ id: 'z' })].join('\n')).entries;
    expect(joinLabels(entries, c.labels)).toBe(2);
    expect(entries.map((e) => e.label)).toEqual(['1', 'Adelie', undefined]);
    expect(labelIndex('Adelie', ['Adelie', 'Chinstrap', 'Gentoo'], 3)).toBe(0);
    expect(labelIndex('2', undefined, 3)).toBe(2);
    expect(labelIndex(5, undefined, 3)).toBeUndefined();
  });

  it('slices by tags and time windows, and refuses unknown keys and windows', () => {
    const entries = parseLog(
      [line({ id: 'a' }), line({ id: 'b', time: '2026-11-30T09:59:59Z' }), line({ id: 'c', env: { client: 'ios', app: '1' } })].join('\n'),
    ).entries;
    expect(parseBy(undefined, entries)).toEqual({ keys: ['app', 'client'] });
    const spec = parseBy('client,time:1h', entries);
    expect(spec.window).toEqual({ ms: 3_600_000, text: '1h' });
    expect(sliceEntries(entries, spec).map((s) => [s.key, s.entries.length])).toEqual([
      ['client=web,time=2026-11-30T08:00Z', 1],
      ['client=ios,time=2026-11-30T08:00Z', 1],
      ['client=web,time=2026-11-30T09:00Z', 1],
    ]);
    expect(sliceEntries(entries, parseBy('app', entries)).map((s) => s.key)).toEqual(['app=<none>', 'app=1']);
    expect(() => parseBy('time:2w', entries)).toThrow(/time window is written time:N<unit>, unit m, h or d/);
    expect(() => parseBy('cliant', entries)).toThrow(/no record has the env tag 'cliant' \(did you mean 'client'\?\)/);
    expect(windowStart('2026-11-30T23:59:00Z', 86_400_000)).toBe('2026-11-30T00:00Z');
    expect(windowStart('yesterday', 3_600_000)).toBeUndefined();
  });
});
