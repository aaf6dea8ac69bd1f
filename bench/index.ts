/**
 * `npm run bench`: runs every benchmark in bench/ one after another, each in its own process (a
 * benchmark reads its own argv and must not share a warm runtime with the previous one), and
 * prints how long each took. Files starting with `_` are scratch and skipped.
 *
 *   npm run bench                      every benchmark, with its default arguments
 *   npm run bench -- comparator variants   only these (names without `.ts`)
 *
 * Exits 1 when any benchmark failed (after running the rest), 2 for an unknown name.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const runTs = fileURLToPath(new URL('../bin/run-ts.js', import.meta.url));

const all = readdirSync(benchDir)
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts' && !f.startsWith('_'))
  .map((f) => f.slice(0, -'.ts'.length))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length) {
  console.error(`npm run bench: unknown benchmark ${unknown.map((u) => `'${u}'`).join(', ')}; expected one of ${all.join(', ')}`);
  process.exit(2);
}

const results: { name: string; seconds: number; code: number }[] = [];
for (const name of wanted.length ? wanted : all) {
  console.log(`\n=== bench/${name}.ts ===`);
  const start = performance.now();
  const r = spawnSync(process.execPath, [runTs, `${benchDir}${name}.ts`], { stdio: 'inherit' });
  results.push({ name, seconds: (performance.now() - start) / 1000, code: r.status ?? 1 });
}

console.log('\n=== summary ===');
for (const r of results) console.log(`${r.code === 0 ? 'ok    ' : `FAIL ${r.code}`} ${r.name.padEnd(20)} ${r.seconds.toFixed(1)} s`);
process.exitCode = results.some((r) => r.code !== 0) ? 1 : 0;
export {};
