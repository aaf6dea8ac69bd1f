/**
 * One run core: the same model with the same variants gets the same verdicts from
 * `parity run --browser` (reference in Node) and from the benchmark page opened on a shared URL
 * (reference in the browser) — same targets, statuses, gates and decision metrics.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report, TargetVerdict } from '../src/kernel/judge/types.ts';
import { PACKAGE_ROOT } from '../src/node/run/bundled-models.ts';
import { openHarnessPage, type HarnessPage } from './helpers/browser.ts';
import { parity } from './helpers/cli.ts';

const VARIANTS = 'fp32,fp16,int8-weight';
const BACKENDS = 'ort-web/wasm,tfjs/wasm';
let harness: HarnessPage | undefined;
afterAll(async () => harness?.close());

const judged = (t: TargetVerdict) => ({ status: t.status, gates: t.gates.map((g) => `${g.metric}:${g.passed}`), top1: t.decision?.top1Agreement });

describe('CLI and page agree', () => {
  it('gives the same verdicts for mnist-cnn × fp32/fp16/int8-weight × ort-web/wasm, tfjs/wasm', async () => {
    const out = mkdtempSync(join(tmpdir(), 'parity-agree-'));
    const cli = parity(
      [
        'run',
        '--browser',
        '--model',
        join(PACKAGE_ROOT, 'models/mnist-cnn/parity-model.json'),
        '--variants',
        VARIANTS,
        '--backends',
        `ort-node/cpu,${BACKENDS}`,
        '--samples',
        '64',
        '--out',
        out,
      ],
      { env: { PARITY_CACHE_DIR: join(out, 'cache') } },
    );
    expect(cli.code, cli.stderr).toBe(0);
    const fromCli = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;

    harness = await openHarnessPage('agree', { search: `?model=mnist-cnn&backends=${BACKENDS}&variants=${VARIANTS}&samples=64&run=1` });
    await harness.page.waitForFunction(() => ['done', 'failed'].includes(document.body.dataset.parityStatus ?? ''), null, { timeout: 240_000 });
    expect(await harness.page.evaluate(() => document.body.dataset.parityStatus)).toBe('done');
    const fromPage = (await harness.page.evaluate(() => window.parity?.lastReport)) as Report;

    // The page's reference (fp32 on ort-web/wasm here) is a judged target in the CLI's run.
    const pageRef = fromPage.references['mnist-cnn'];
    expect(pageRef).toBe('mnist-cnn:fp32@ort-web/wasm/browser');
    const compared = fromPage.targets.filter((t) => t.id !== pageRef);
    expect(compared.map((t) => t.id).sort()).toEqual(
      fromCli.targets
        .filter((t) => t.environment === 'browser' && t.id !== pageRef)
        .map((t) => t.id)
        .sort(),
    );
    expect(compared.length).toBeGreaterThanOrEqual(4); // fp16 and int8-weight on both, TF.js twins included
    for (const t of compared) {
      const c = fromCli.targets.find((x) => x.id === t.id)!;
      expect(judged(t), t.id).toEqual(judged(c));
    }
    expect(fromPage.verdict.ok).toBe(fromCli.verdict.ok);
    // The same default gates judged both.
    expect(compared.every((t) => t.gates.length > 0)).toBe(true);
  }, 400_000);
});
