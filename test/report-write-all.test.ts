import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseReportJson } from '../src/kernel/render/json.ts';
import { REPORT_FILES, writeReports } from '../src/node/report/write-all.ts';
import { makeReport } from './report-fixture.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('report/write-all', () => {
  it('writes every format into a new directory and returns the paths', () => {
    const root = mkdtempSync(join(tmpdir(), 'parity-out-'));
    dirs.push(root);
    const out = join(root, 'a', 'b');
    const summary = join(root, 'step-summary.md');
    writeFileSync(summary, '# earlier step\n');
    const report = makeReport();
    const paths = writeReports(report, out, { stepSummaryPath: summary, html: { extraSections: [{ title: 'Drift', html: '<p>none</p>' }] } });
    expect(paths).toEqual({
      json: join(out, REPORT_FILES.json),
      markdown: join(out, 'summary.md'),
      junit: join(out, 'junit.xml'),
      html: join(out, 'report.html'),
    });
    for (const p of Object.values(paths)) expect(existsSync(p)).toBe(true);
    expect(parseReportJson(readFileSync(paths.json, 'utf8'))).toEqual(report);
    expect(readFileSync(paths.junit, 'utf8')).toMatch(/^<\?xml/);
    expect(readFileSync(paths.html, 'utf8')).toContain('<h2>Drift</h2>');
    const step = readFileSync(summary, 'utf8');
    expect(step.startsWith('# earlier step\n## ❌ infer-parity: FAIL')).toBe(true);
  });
});
