/**
 * A run configuration in the page URL, so a link reproduces a run and a CI job or a remote
 * browser can open one directly:
 * `?model=<bundled name>&backends=a,b&variants=v,w&shape=NAME=dims&value=NAME=x&range=NAME=lo,hi&samples=N&run=1`.
 * `shape`, `value` and `range` repeat. Unknown parameters are reported, not ignored silently.
 */
import { didYouMean } from '../../src/kernel/core/did-you-mean.ts';

export interface UrlConfig {
  model?: string;
  backends?: string[];
  variants?: string[];
  shape: string[];
  value: string[];
  /** `NAME=lo,hi`, as `--range`. Default none. */
  range?: string[];
  samples?: number;
  run: boolean;
  /** Parameters this page does not know, with a suggestion. */
  problems: string[];
}

const KNOWN = ['model', 'backends', 'variants', 'shape', 'value', 'range', 'samples', 'run'] as const;

export function parseUrlConfig(search: string): UrlConfig {
  const p = new URLSearchParams(search);
  const list = (k: string) =>
    p
      .get(k)
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const problems: string[] = [];
  for (const key of new Set(p.keys())) {
    if ((KNOWN as readonly string[]).includes(key)) continue;
    const hint = didYouMean(key, KNOWN);
    problems.push(`unknown URL parameter '${key}'${hint ? ` — did you mean '${hint}'?` : ''}; known: ${KNOWN.join(', ')}`);
  }
  const samples = p.get('samples');
  if (samples !== null && !(Number.isInteger(Number(samples)) && Number(samples) > 0)) problems.push(`samples='${samples}': expected a positive integer`);
  const backends = list('backends');
  const variants = list('variants');
  return {
    ...(p.get('model') ? { model: p.get('model')! } : {}),
    ...(backends ? { backends } : {}),
    ...(variants ? { variants } : {}),
    shape: p.getAll('shape'),
    value: p.getAll('value'),
    range: p.getAll('range'),
    ...(samples !== null && Number(samples) > 0 ? { samples: Number(samples) } : {}),
    run: p.get('run') === '1',
    problems,
  };
}

/** The URL of the page's current settings (for "copy link"). */
export function urlFor(base: string, c: Omit<UrlConfig, 'problems' | 'run'>): string {
  const p = new URLSearchParams();
  if (c.model) p.set('model', c.model);
  if (c.backends?.length) p.set('backends', c.backends.join(','));
  if (c.variants?.length) p.set('variants', c.variants.join(','));
  for (const s of c.shape) p.append('shape', s);
  for (const v of c.value) p.append('value', v);
  for (const r of c.range ?? []) p.append('range', r);
  if (c.samples) p.set('samples', String(c.samples));
  const q = p.toString();
  return q ? `${base}?${q}` : base;
}
