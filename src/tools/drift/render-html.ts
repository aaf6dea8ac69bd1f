/**
 * Drift report as one self-contained HTML file: inline CSS and SVG, no scripts, no network —
 * it opens offline from disk or as a CI artifact. Pure: no Node imports.
 */
import { escapeHtml } from '../../kernel/render/escape.ts';
import { fmtNum, fmtPct } from '../../kernel/render/format.ts';
import { FEATURE_HEADER, featureCells, headlines, significanceRule } from './render-text.ts';
import { CUR_COLOR, REF_COLOR, categoriesSvg, histogramSvg } from './svg-hist.ts';
import type { DriftReport, FeatureDrift } from './types.ts';

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}table{border-collapse:collapse;font-size:13px}
td,th{border-bottom:1px solid #e3e3e3;padding:3px 8px;text-align:right}td:first-child,th:first-child{text-align:left}
.pass{color:#1a7f37}.fail{color:#c62828;font-weight:600}.grid{display:flex;flex-wrap:wrap;gap:14px}
.card{border:1px solid #ddd;border-radius:6px;padding:8px 10px;width:372px}.card h3{font-size:14px;margin:0 0 4px}
.moderate{background:#fff6df}.major{background:#fde7e7}.small{color:#666;font-size:12px}
.key span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:-2px}`;

function card(f: FeatureDrift): string {
  const chart =
    f.kind === 'numeric'
      ? histogramSvg(f.histogram, `${f.name}: reference vs current histogram`)
      : categoriesSvg(f.categories, `${f.name}: reference vs current categories`);
  const stats =
    f.kind === 'numeric'
      ? `mean ${fmtNum(f.reference.mean)} → ${fmtNum(f.current.mean)} · sd ${fmtNum(f.reference.std)} → ${fmtNum(f.current.std)} · KS ${fmtNum(f.ks.statistic)} (p ${fmtNum(f.ks.pValue, 2)})`
      : `χ² ${fmtNum(f.chi2.statistic)} (df ${f.chi2.df}, p ${fmtNum(f.chi2.pValue, 2)})${f.unseen.length ? ` · unseen: ${f.unseen.slice(0, 5).join(', ')}` : ''}`;
  return `<div class="card ${f.severity}"><h3>${escapeHtml(f.name)} <span class="small">PSI ${fmtNum(f.psi)} · JS ${fmtNum(f.js)} · ${f.severity} · ${f.significance.alarm ? 'DRIFT' : 'no alarm'}</span></h3>${chart}
<div class="small">${escapeHtml(f.significance.reason)}<br>${escapeHtml(stats)}<br>missing ${fmtPct(f.reference.missingRate)} → ${fmtPct(f.current.missingRate)} · out of range ${fmtPct(f.outOfRangeRate)} · sparse ${fmtPct(f.sparseRate)} (ref ${fmtPct(f.referenceSparseRate)})</div></div>`;
}

function predictionSection(r: DriftReport): string {
  const p = r.prediction;
  if (!p) return '';
  const cats = p.classes.map((c, k) => ({ name: c, reference: p.predicted.reference[k]!, current: p.predicted.current[k]! }));
  const rows = p.perClass
    .map(
      (c) =>
        `<tr><td>${escapeHtml(c.class)}</td><td>${fmtNum(c.referenceMean)}</td><td>${fmtNum(c.currentMean)}</td><td>${fmtNum(c.psi)}</td><td>${fmtNum(c.ks.statistic)}</td><td>${fmtNum(c.ks.pValue, 2)}</td></tr>`,
    )
    .join('');
  return `<h2>Predictions (${escapeHtml(p.output)})</h2><div class="grid"><div class="card"><h3>predicted class <span class="small">PSI ${fmtNum(p.predicted.psi)} · χ² p ${fmtNum(p.predicted.chi2.pValue, 2)}</span></h3>${categoriesSvg(cats, 'predicted class distribution')}</div>
<table><tr><th>class</th><th>mean P ref</th><th>mean P cur</th><th>PSI</th><th>KS</th><th>KS p</th></tr>${rows}</table></div>`;
}

export function driftToHtml(r: DriftReport): string {
  const title = `Drift: ${r.reference.name} → ${r.current.name}`;
  const gates = r.gates
    .map(
      (g) =>
        `<li class="${g.passed ? 'pass' : 'fail'}">${g.passed ? '✔' : '✘'} ${escapeHtml(g.gate)}${
          g.failures.length
            ? ` — ${escapeHtml(
                g.failures
                  .slice(0, 8)
                  .map((f) => `${f.feature} ${fmtNum(f.value)}`)
                  .join(', '),
              )}`
            : ''
        }${g.checked === 0 ? ' (nothing to check)' : ''}</li>`,
    )
    .join('');
  const table = `<table><tr>${FEATURE_HEADER.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>${r.features
    .map(
      (f) =>
        `<tr class="${f.severity}">${featureCells(f)
          .map((c) => `<td>${escapeHtml(c)}</td>`)
          .join('')}</tr>`,
    )
    .join('')}</table>`;
  const x = r.representativeness;
  const notes = [...r.skipped.map((s) => `skipped ${s.name}: ${s.reason}`), ...r.notes];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${CSS}</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p class="${r.verdict.ok ? 'pass' : 'fail'}">${r.verdict.ok ? 'All gates pass' : 'Gates failed'} — reference ${r.reference.rows} rows, current ${r.current.rows} rows</p>
<ul>${gates}</ul>
${
  headlines(r).length
    ? `<h2>Largest shifts</h2><ul>${headlines(r)
        .map((h) => `<li>${escapeHtml(h)}</li>`)
        .join('')}</ul>`
    : ''
}
<h2>Features</h2>${table}
<h2>Distributions</h2><p class="key small"><span style="background:${REF_COLOR};opacity:.5"></span>reference<span style="background:${CUR_COLOR};opacity:.6"></span>current (proportions of each sample)</p>
<div class="grid">${r.features.map(card).join('\n')}</div>
${predictionSection(r)}
<h2>Representativeness</h2><p>${fmtPct(x.nnOutsideRate)} of current rows are outside the reference's 99% nearest-neighbour radius (${fmtNum(x.nnThreshold)} in standardized units; ≈1% expected without shift). ${fmtPct(x.anySparseRate)} of current rows have a value in a sparse region (reference rows: ${fmtPct(x.referenceAnySparseRate)}).</p>
<ul class="small">${x.method.map((m) => `<li>${escapeHtml(m)}</li>`).join('')}</ul>
${notes.length ? `<h2>Notes</h2><ul>${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : ''}
<p class="small">PSI on ${r.settings.psiBins} reference-quantile bins, empty bins counted as ${r.settings.psiEpsilon} (noise floor ≈ ${fmtNum(r.settings.psiNoiseFloor)} for these sample sizes), missing values a bin of their own; ${escapeHtml(significanceRule(r))}; KS p-value from the asymptotic Kolmogorov distribution; Jensen–Shannon distance with log base 2; χ² test of homogeneity without continuity correction.</p>
</body></html>
`;
}
