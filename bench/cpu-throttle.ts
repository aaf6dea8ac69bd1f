/**
 * What Chromium's CPU throttle (`--cpu-throttle`, CDP `Emulation.setCPUThrottlingRate`) slows,
 * printed, never asserted (issue 22: a ×4 throttle measured ×8.00 alone and ×0.72 in the suite).
 *
 *   node bin/run-ts.js bench/cpu-throttle.ts [--rate 4] [--rounds 3]
 *
 * 1. The same fixed JavaScript work timed on the page's main thread and in a dedicated worker,
 *    unthrottled and throttled, rounds interleaved: the ratio says which threads the throttle reaches.
 * 2. `parity run --browser --cpu-throttle RATE --threads 1 --batch 64` on ort-web/wasm and
 *    tfjs/wasm: each throttled target's per-sample p50 ÷ the same target's unthrottled (`--no-run`
 *    skips this part, which takes minutes).
 *
 * Measured here (December 2026, 2 shared cores with up to 9 sessions busy; Chromium 156, ×4):
 * - main thread, ~0.7–3 s of fixed work: ×2.10, ×2.39, ×2.80, ×3.67 (less than ×4 as other
 *   processes' load shrinks the share the throttle can take away).
 * - dedicated worker, the same work: ×0.54, ×0.84, ×1.24, ×1.38 — no throttling, only contention
 *   noise. A target that computes off the page's main thread (the page's "Run in a Web Worker",
 *   ORT's wasm threads when numThreads > 1, tfjs-wasm's threads) is not slowed by `--cpu-throttle`.
 * - runs of ~0.1 ms timed one by one on the main thread (100 µs timer, page not isolated): median
 *   ×2.00 then ×6.00, mean ×4.34 then ×1.53 across two runs — Chromium suspends the main thread in
 *   slices, so whether a sub-millisecond run meets a pause is luck; the p50 of a tiny model is not
 *   a measure of the rate. Time batches much longer than a slice (`--batch`) and compare means.
 * - the tool's own throttled targets (main thread, threads 1): per-sample p50 ratios from ×0.3 to
 *   ×700 across models and batch sizes in one run, ×1.05 for mnist on ort-web/wasm.
 * So the suite's test asserts that the throttle was applied (settings per target, CDP), not a ratio.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBrowser } from '../src/node/browser/launch.ts';
import { PACKAGE_ROOT } from '../src/node/run/bundled-models.ts';
import { parseReportJson } from '../src/kernel/render/json.ts';

const args = process.argv.slice(2);
const opt = (name: string, def: number) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) || def : def);
const RATE = opt('rate', 4);
const ROUNDS = opt('rounds', 3);

/** Fixed work (no timers, no allocation), returning its own wall time in ms. As text: runs in a page and in a worker alike. */
const WORK = `function work(n = 1e7) { const t = performance.now(); let x = 0; for (let i = 0; i < n; i++) x = (x * 1103515245 + 12345) % 2147483648; return [performance.now() - t, x]; }
  function shortRuns() { const ms = []; for (let k = 0; k < 400; k++) ms.push(work(5e3)[0]); ms.sort((a, b) => a - b); return [ms[200], ms.reduce((a, b) => a + b, 0) / ms.length]; }`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

const browser = await openBrowser();
const page = await browser.newPage();
const cdp = await page.context().newCDPSession(page);
await page.evaluate(`(() => { ${WORK}; window.work = work; window.shortRuns = shortRuns; window.worker = new Worker(URL.createObjectURL(new Blob([${JSON.stringify(`${WORK}; onmessage = () => postMessage(work()[0]);`)}])));
  window.inWorker = () => new Promise((r) => { window.worker.onmessage = (e) => r(e.data); window.worker.postMessage(0); }); })()`);
const times: Record<string, number[]> = { 'main 1': [], [`main ${RATE}`]: [], 'worker 1': [], [`worker ${RATE}`]: [] };
const short: Record<string, [number, number][]> = { 1: [], [RATE]: [] };
for (let round = 0; round < ROUNDS; round++) {
  for (const rate of round % 2 ? [RATE, 1] : [1, RATE]) {
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    times[`main ${rate}`]!.push((await page.evaluate('work()[0]')) as number);
    times[`worker ${rate}`]!.push((await page.evaluate('inWorker()')) as number);
    short[rate]!.push((await page.evaluate('shortRuns()')) as [number, number]);
  }
}
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
await browser.close();
console.log(`CDP CPU throttle ×${RATE}, fixed JS work, median of ${ROUNDS} interleaved rounds (wall ms, performance.now in the thread):`);
for (const where of ['main', 'worker']) {
  const [a, b] = [median(times[`${where} 1`]!), median(times[`${where} ${RATE}`]!)];
  console.log(`  ${where.padEnd(6)} unthrottled ${a.toFixed(0)} ms, throttled ${b.toFixed(0)} ms: ×${(b / a).toFixed(2)}`);
}
const [p50a, p99a] = [median(short[1]!.map((x) => x[0])), median(short[1]!.map((x) => x[1]))];
const [p50b, p99b] = [median(short[RATE]!.map((x) => x[0])), median(short[RATE]!.map((x) => x[1]))];
console.log(
  `  main, 400 short runs each timed alone: p50 ${p50a.toFixed(3)} → ${p50b.toFixed(3)} ms (×${(p50b / p50a).toFixed(2)}), mean ${p99a.toFixed(3)} → ${p99b.toFixed(3)} ms (×${(p99b / p99a).toFixed(2)})`,
);
if (args.includes('--no-run')) process.exit(0);

// 2. The tool's own targets: each target unthrottled and throttled in one run, per sample and batched.
console.log(`\nparity run --browser --cpu-throttle ${RATE} --threads 1 (mnist-cnn fp32, 64 samples): p50 throttled ÷ unthrottled`);
const out = mkdtempSync(join(tmpdir(), 'parity-throttle-bench-'));
const flags = ['--browser', '--backends', 'ort-web/wasm,tfjs/wasm', '--variants', 'fp32', '--samples', '64', '--threads', '1', '--batch', '64'];
const run = spawnSync(process.execPath, [join(PACKAGE_ROOT, 'bin/parity.js'), 'run', ...flags, '--cpu-throttle', String(RATE), '--out', out], {
  encoding: 'utf8',
  env: { ...process.env, CI: 'true' },
});
if (run.status !== 0 && run.status !== 1) console.log(`  run failed (exit ${run.status}): ${run.stderr.split('\n').slice(-3).join(' ')}`);
else {
  const report = parseReportJson(readFileSync(join(out, 'report.json'), 'utf8'));
  const key = (t: (typeof report.targets)[number]) => `${t.backend}|${t.settings?.threads ?? ''}|${t.settings?.batch ?? ''}`;
  for (const t of report.targets.filter((x) => x.environment === 'browser' && x.settings?.cpuThrottle !== undefined && x.latency)) {
    const base = report.targets.find((x) => x.environment === 'browser' && x.settings?.cpuThrottle === undefined && key(x) === key(t) && x.latency);
    if (!base) continue;
    const per = (x: typeof t) => x.latency!.perSampleMs ?? x.latency!.p50Ms;
    const unit = t.settings?.batch ? `batch ${t.settings.batch} (${(per(base) * t.settings.batch).toFixed(2)} ms a timed run)` : 'one sample a timed run';
    console.log(`  ${t.backend.padEnd(13)} ${unit.padEnd(34)} ${per(base).toFixed(4)} → ${per(t).toFixed(4)} ms a sample: ×${(per(t) / per(base)).toFixed(2)}`);
  }
}
