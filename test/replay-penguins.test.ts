/**
 * `parity replay` on a log captured from the bundled penguins model (test/fixtures/replay/
 * penguins-log.ts: real runtimes behind infer-parity/capture) with four client slices: it flags
 * exactly the three bad ones, each with the right cause and an actionable diagnosis, and leaves
 * the healthy one alone. Also: time windows, label coverage, and bad input.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReplayReport } from '../src/tools/replay/types.ts';
import { buildPenguinsLog, PENGUINS } from './fixtures/replay/penguins-log.ts';
import { parity } from './helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'parity-replay-'));
const model = join(PENGUINS, 'parity-model.json');
const train = join(PENGUINS, 'train.csv');
let log = '';
let labels = '';

beforeAll(async () => {
  const built = await buildPenguinsLog();
  expect(built.counts).toEqual({ 'web-chrome': 86, 'android-webview': 86, 'ios-safari': 86, 'partner-api': 86 });
  log = join(dir, 'log.jsonl');
  labels = join(dir, 'labels.csv');
  writeFileSync(log, built.log);
  writeFileSync(labels, built.labelsCsv);
}, 120_000);

const read = (out: string): ReplayReport => JSON.parse(readFileSync(join(out, 'replay.json'), 'utf8')) as ReplayReport;

describe('parity replay on four penguins clients', () => {
  it('flags the swapped, zero-output and unit-changed clients with the right cause, and passes the healthy one', () => {
    const out = join(dir, 'by-client');
    const r = parity(['replay', '--log', log, '--model', model, '--reference', train, '--labels', labels, '--by', 'client', '--out', out]);
    expect(r.code, r.stderr + r.stdout).toBe(1);
    const rep = read(out);
    const slice = (c: string) => rep.slices.find((s) => s.key === `client=${c}`)!;
    expect(rep.slices.map((s) => [s.key, s.status])).toEqual([
      ['client=web-chrome', 'ok'],
      ['client=android-webview', 'gap'],
      ['client=ios-safari', 'gap'],
      ['client=partner-api', 'gap'],
    ]);
    // healthy: served on onnxruntime-web, no cause at all
    expect(slice('web-chrome').causes).toEqual([]);
    expect(slice('web-chrome').metrics.flipRate).toBe(0);
    expect(slice('web-chrome').metrics.modelMaxAbs).toBeLessThan(1e-5);
    // swapped columns: feature skew, diagnosed as a swap of the two bill features
    const swapped = slice('android-webview');
    expect(swapped.causes.map((c) => c.kind)).toEqual(['feature-skew']);
    expect(swapped.causes[0]!.diagnoses!.map((d) => d.kind)).toContain('columns-swapped');
    expect(swapped.causes[0]!.message).toMatch(/bill_length_mm.*bill_depth_mm.*fix the feature order/);
    expect(swapped.metrics.skewFlipRate).toBeGreaterThan(0.2);
    expect(swapped.metrics.modelFlipRate).toBe(0);
    // zeros: model-or-backend, the symptom named
    const zeros = slice('ios-safari');
    expect(zeros.causes.map((c) => c.kind)).toEqual(['model-or-backend']);
    expect(zeros.causes[0]!.message).toMatch(/returned all zeros for 100% of requests on backend 'tfjs\/webgl'/);
    expect(zeros.metrics.skewAlarms).toBe(0);
    // units: input drift on bill_length_mm with the mm→cm hint; served accuracy collapses
    const units = slice('partner-api');
    expect(units.causes.map((c) => c.kind)).toEqual(['input-drift']);
    expect(units.causes[0]!.features!.map((f) => f.name)).toEqual(['bill_length_mm']);
    expect(units.causes[0]!.message).toMatch(/mm→cm/);
    expect(units.causes[0]!.features![0]!.medianRatio).toBeCloseTo(0.1, 1);
    expect(units.metrics.accuracy).toBeLessThan(0.8);
    // labels: coverage per slice, the sparse partner slice named
    expect(slice('web-chrome').metrics.labelCoverage).toBeGreaterThan(0.85);
    expect(slice('web-chrome').metrics.accuracy).toBeGreaterThan(0.95);
    expect(units.metrics.labelCoverage).toBeLessThan(0.2);
    expect(rep.warnings.join('\n')).toMatch(/sparse labels in 1 slice\(s\): client=partner-api/);
    expect(r.stdout).toContain('GAP client=ios-safari');
    const md = readFileSync(join(out, 'replay.md'), 'utf8');
    expect(md).toContain('| client=web-chrome | ok | 86 |');
    expect(readFileSync(join(out, 'replay.html'), 'utf8')).toContain('<tr class="gap">');
  }, 120_000);

  it('slices by time window as well, with a chart over time', () => {
    const out = join(dir, 'by-time');
    const r = parity(['replay', '--log', log, '--model', model, '--by', 'client,time:1d', '--out', out]);
    expect(r.code, r.stderr).toBe(1);
    const rep = read(out);
    expect(rep.window).toBe('1d');
    expect(rep.slices).toHaveLength(8);
    expect(rep.slices[0]!.tags.time).toBe('2026-11-30T00:00Z');
    expect(
      rep.slices
        .filter((s) => s.status === 'gap')
        .map((s) => s.tags.client)
        .sort(),
    ).toEqual(['android-webview', 'android-webview', 'ios-safari', 'ios-safari']);
    const html = readFileSync(join(out, 'replay.html'), 'utf8');
    expect(html).toContain('decision flip rate per 1d window');
    expect(html).toMatch(/<polyline/);
  }, 120_000);

  it('names bad lines by number, keeps the rest, and exits 2', () => {
    const good = readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .filter((l) => l.includes('"web-chrome"'))
      .slice(0, 30);
    const wrong = JSON.parse(good[1]!) as { features: number[]; id: string };
    wrong.features = wrong.features.slice(0, 7);
    wrong.id = 'short';
    const lines = [
      good[0]!,
      '{"id": "broken", ',
      JSON.stringify({ id: 'no-out', time: '2026-11-30T00:00:00Z', env: { client: 'x' } }),
      JSON.stringify(wrong),
      ...good.slice(2),
    ];
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, lines.join('\n') + '\n');
    const out = join(dir, 'bad');
    const r = parity(['replay', '--log', bad, '--model', model, '--out', out]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toMatch(/line 2: not valid JSON/);
    expect(r.stdout).toMatch(/line 3: record 'no-out' has no outputs/);
    expect(r.stdout).toMatch(/line 4: record 'short': features have 7 values; the model input '\w+' takes 10/);
    const rep = read(out);
    expect(rep.log).toMatchObject({ lines: 32, records: 30 });
    expect(rep.slices[0]!.n).toBe(30);
    const unknown = parity(['replay', '--log', bad, '--model', model, '--by', 'clinet']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no record has the env tag 'clinet' \(did you mean 'client'\?\); tags in this log: 'app', 'backend', 'client'/);
  }, 120_000);
});
