/**
 * Prints the task-truth agreement table: for every corpus model x variant x backend, the tool's
 * verdict (from a real `parity run`) beside the task outcome judged without the tool, and whether they
 * agree. Writes the rows as JSON too.
 *
 *   npx tsx test/task-truth/table.ts [--size ci|full] [--models SUBSTR,...] [--variants a,b]
 *       [--backends ort-node/cpu,...] [--roles declared|inferred|both] [--dir DIR] [--json FILE]
 *   npx tsx test/task-truth/table.ts --from-json a.json,b.json   # print saved rows (later files win per model)
 *
 * Defaults: --size full, every model, every variant, both ONNX backends, --roles both when the tool
 * takes `--task` (else inferred), --dir node_modules/.cache/infer-parity/task-truth (variant builds cached there).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { agreementRows, toolHasTaskFlag, type Row } from './agreement.ts';
import { corpus, type Size } from './corpus.ts';
import type { CorpusBackend } from './runner.ts';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'full' },
    models: { type: 'string' },
    variants: { type: 'string' },
    backends: { type: 'string' },
    roles: { type: 'string' },
    dir: { type: 'string', default: 'node_modules/.cache/infer-parity/task-truth' },
    json: { type: 'string' },
    'from-json': { type: 'string' },
  },
});
const list = (s?: string) =>
  s
    ?.split(',')
    .map((x) => x.trim())
    .filter(Boolean);
const roleOption = values.roles ?? (toolHasTaskFlag() ? 'both' : 'inferred');
const roleModes = roleOption === 'both' ? (['declared', 'inferred'] as const) : [roleOption as 'declared' | 'inferred'];
const wanted = list(values.models);
const cases = corpus(values.size as Size).filter((c) => !wanted || wanted.some((w) => c.name.toLowerCase().includes(w.toLowerCase())));
const dir = join(resolve(values.dir!), values.size!);

const rows: Row[] = [];
// --from-json a.json,b.json: print saved rows instead of running (a later file replaces a model's rows).
const saved = list(values['from-json'])?.map((f) => JSON.parse(readFileSync(f, 'utf8')) as Row[]);
function saveJson(): void {
  if (!values.json) return;
  mkdirSync(dirname(resolve(values.json)), { recursive: true });
  writeFileSync(values.json, JSON.stringify(rows, null, 2) + '\n');
}
const notes: string[] = [];
if (saved) {
  const models = new Map<string, Row[]>();
  for (const file of saved) {
    const here = new Map<string, Row[]>();
    for (const r of file) here.set(`${r.model}\n${r.roles}`, [...(here.get(`${r.model}\n${r.roles}`) ?? []), r]);
    for (const [k, rs] of here) models.set(k, rs);
  }
  rows.push(...[...models.values()].flat());
}
for (const c of saved ? [] : cases) {
  if (c.note) notes.push(`${c.name}: ${c.note}`);
  for (const roles of roleModes) {
    const t0 = Date.now();
    const r = await agreementRows(c, {
      roles,
      dir,
      ...(list(values.variants) ? { variants: list(values.variants)! } : {}),
      ...(list(values.backends) ? { backends: list(values.backends) as CorpusBackend[] } : {}),
    });
    process.stderr.write(`${c.name} (${roles} roles): ${r.length} rows in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
    rows.push(...r);
    saveJson(); // after every case, so a long table interrupted keeps what it measured
  }
}

const cell = (s: string | undefined) => (s ?? '').replace(/\|/g, '\\|');
console.log('| model | variant | backend | roles | tool | task | agree | tool says | task metrics |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows)
  console.log(
    `| ${[r.model, r.variant, r.backend, r.roles, r.tool, r.task, r.agree === 'NO' ? '**NO**' : r.agree, r.toolWhy.slice(0, 300), r.metrics].map(cell).join(' | ')} |`,
  );
const judged = rows.filter((r) => r.agree !== 'n/a');
console.log(
  `\nagree on ${judged.filter((r) => r.agree === 'yes').length}/${judged.length} judged rows; ${rows.length - judged.length} rows the tool could not judge`,
);
for (const n of saved ? corpus('ci').flatMap((c) => (c.note ? [`${c.name}: ${c.note}`] : [])) : notes) console.log(`note: ${n}`);
if (!toolHasTaskFlag()) console.log("note: this checkout's `parity run` has no --task yet: every row uses the tool's inferred or default roles");
