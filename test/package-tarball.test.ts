/**
 * The published package, as a user gets it: `npm pack` (which builds dist/ through `prepack`),
 * install the tarball into an empty folder, then run the installed `parity` bin and import the
 * installed module. Catches a missing `files` entry, a dependency declared only as a devDependency,
 * a bin that still needs the TypeScript source, and `.d.ts` that do not resolve.
 *
 * Speed: the folder's node_modules is first seeded with hard links to this checkout's packages, so
 * npm copies nothing but the tarball; npm still computes the tree from the tarball's package.json
 * and removes every package it does not declare (asserted below), so the result is the tree a
 * clean install would give. Where hard links are impossible it falls back to a plain install.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'parity-pack-'));
const app = join(work, 'app');
const installed = join(app, 'node_modules', 'infer-parity');
const env: NodeJS.ProcessEnv = { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip', CI: 'true', NO_COLOR: '1' };
delete env['PARITY_RUNTIME'];

function sh(cmd: string, args: readonly string[], opts: SpawnSyncOptions & { timeout: number }) {
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', ...opts });
  const out = `${String(r.stdout ?? '')}${String(r.stderr ?? '')}`;
  return { code: r.status ?? -1, out: r.error ? `${r.error.message}\n${out}` : out };
}

let tarball = '';
let tarFiles: string[] = [];

beforeAll(() => {
  const pack = sh('npm', ['pack', '--pack-destination', work], { cwd: REPO, timeout: 150_000 });
  expect(pack.code, pack.out).toBe(0);
  const tgz = readdirSync(work).filter((f) => f.endsWith('.tgz'));
  expect(tgz, pack.out).toHaveLength(1);
  tarball = join(work, tgz[0]!);
  const list = sh('tar', ['-tzf', tarball], { timeout: 30_000 });
  expect(list.code, list.out).toBe(0);
  tarFiles = list.out
    .trim()
    .split('\n')
    .map((f) => f.replace(/^package\//, ''));

  mkdirSync(join(app, 'node_modules'), { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'parity-consumer', private: true, type: 'module' }));
  const seed = sh('cp', ['-al', join(REPO, 'node_modules') + '/.', join(app, 'node_modules')], { timeout: 60_000 });
  // This checkout's hidden lockfile and tool caches describe another project: drop them.
  for (const f of ['.package-lock.json', '.cache', '.vite', '.vite-temp']) rmSync(join(app, 'node_modules', f), { recursive: true, force: true });
  if (seed.code !== 0) rmSync(join(app, 'node_modules'), { recursive: true, force: true });
  const install = sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: app, timeout: 240_000 });
  expect(install.code, install.out).toBe(0);
}, 420_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the npm package', () => {
  it('ships the build, the bin and the bundled models, and nothing from the dev tree', () => {
    for (const f of ['dist/node/api/index.js', 'dist/node/api/index.d.ts', 'dist/node/cli/main.js', 'bin/parity.js', 'package.json', 'README.md'])
      expect(tarFiles, f).toContain(f);
    for (const f of [
      'models/mnist-cnn/model.onnx',
      'models/mnist-cnn/test.npz',
      'models/mnist-cnn/tfjs/model.json',
      'models/penguins/fitted.json',
      'models/mnist-student/model.onnx',
    ]) {
      expect(tarFiles, f).toContain(f);
    }
    // The benchmark page (`parity serve`, `parity run --browser`) serves harness/ and the TypeScript source.
    expect(tarFiles).toContain('harness/index.html');
    expect(tarFiles).toContain('src/node/api/index.ts');
    expect(tarFiles.filter((f) => /^(test|bench|scripts)\/|^models\/data\/|^models\/[^/]+\.ts$|^models\/.*\/train\.ts$|^tsconfig/.test(f))).toEqual([]);
    // npm pruned what the package does not declare: the seed's devDependencies are gone.
    for (const dev of ['vitest', 'prettier', 'typescript']) expect(existsSync(join(app, 'node_modules', dev)), dev).toBe(false);
    expect(existsSync(join(installed, '.git'))).toBe(false);
  });

  it('`npx parity run` runs the default suite from the installed package, reading a parity.config.ts written against it', () => {
    // The compiled CLI must not need the TypeScript CLI source: take it away.
    rmSync(join(installed, 'src', 'cli'), { recursive: true, force: true });
    // A TypeScript config importing the package: the compiled CLI loads it through tsx.
    writeFileSync(join(app, 'parity.config.ts'), "import { defineConfig } from 'infer-parity';\nexport default defineConfig({ samples: 40, out: 'suite' });\n");
    const r = sh('npx', ['--no', 'parity', 'run', '--backends', 'ort-node/cpu', '--variants', 'fp32'], { cwd: app, timeout: 180_000 });
    expect(r.code, r.out).toBe(0);
    for (const f of ['report.json', 'run.json', 'records.jsonl', 'summary.md', 'junit.xml', 'report.html'])
      expect(existsSync(join(app, 'suite', f)), f).toBe(true);
    const report = JSON.parse(readFileSync(join(app, 'suite', 'report.json'), 'utf8')) as {
      schemaVersion: number;
      targets: { model: string; status: string }[];
    };
    expect(report.schemaVersion).toBe(1);
    // The bundled models were found inside the installed package, not in the cwd.
    expect(report.targets.map((t) => `${t.model}:${t.status}`).sort()).toEqual(['mnist-cnn:passed', 'penguins-mlp:passed', 'text-encoder:passed']);
    // The config's `samples` reached the run (the bundled data has 1000 and 103 samples).
    expect(r.out).toContain('mnist-cnn: 40 samples');
    expect(r.out).toContain('penguins-mlp: 40 samples');
  }, 200_000);

  it('imports as `infer-parity` with its public API', () => {
    const script =
      "import('infer-parity').then((m) => console.log(JSON.stringify(m.defineConfig({ samples: 3 })), [m.runParity, m.judgeRun, m.computeOutputMetrics, m.ParityError].map((f) => typeof f).join()))";
    const imp = sh('node', ['-e', script], { cwd: app, timeout: 30_000 });
    expect(imp.code, imp.out).toBe(0);
    expect(imp.out.trim()).toBe('{"samples":3} function,function,function,function');
  }, 60_000);

  it('ships .d.ts that a TypeScript consumer resolves through the `types` condition', () => {
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, types: [] },
        include: ['check.ts'],
      }),
    );
    writeFileSync(
      join(app, 'check.ts'),
      [
        "import { defineConfig, type Report } from 'infer-parity';",
        "const config = defineConfig({ samples: 3, backends: ['ort-node/cpu'] });",
        'export const samples: number | undefined = config.samples;',
        'export const version = (r: Report): string => r.tool.version;',
        '// @ts-expect-error samples is a number',
        "defineConfig({ samples: 'many' });",
        '',
      ].join('\n'),
    );
    const r = sh(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], { cwd: app, timeout: 60_000 });
    expect(r.code, r.out).toBe(0);
  }, 90_000);
});
