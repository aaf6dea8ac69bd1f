/**
 * Train/serve skew of a text pipeline: the same raw texts through the reference tokenizer (offline:
 * the native Rust tokenizers in Node) and the candidate (serving: Tokenizers.js with the same or
 * another tokenizer.json), compared id by id and mask by mask. Each part in which the two files differ
 * (./tokenizer-aspects.ts) is put back into the candidate one at a time and the texts re-tokenized:
 * the samples that change are that cause's affected share, and running the model on both versions
 * counts the decisions it flips. Mismatches no declared difference explains are `unexplained`. Pure.
 */
import { ParityError, errorMessage } from '../../../kernel/core/errors.ts';
import { buildVerdict } from '../../../kernel/judge/verdict.ts';
import type { TokenizedText } from '../tokenizer/frame.ts';
import type { TextTokenizer } from '../tokenizer/js-tokenizer.ts';
import type { TokenizerJson } from '../tokenizer/tokenizer-json.ts';
import { ASPECTS } from './tokenizer-aspects.ts';
import type { TokenMismatchExample, TokenizerDiagnosis, TokenizerSkewReport } from './tokenizer-types.ts';

export interface TokenizerSkewOptions {
  texts: readonly string[];
  reference: TextTokenizer;
  candidate: TextTokenizer;
  /** Builds a candidate-side tokenizer from a tokenizer.json (the re-tokenizations use it). */
  makeCandidate: (json: TokenizerJson) => TextTokenizer;
  mode: TokenizerSkewReport['mode'];
  textColumn: string;
  /** The model's decision (argmax of its classifier output) per tokenized text. Default: no model run. */
  decide?: { model: string; run: (batch: readonly TokenizedText[]) => Promise<number[]> };
  /** Default 0. */
  maxMismatchRate?: number;
  /** Default `offline` / `serving`. */
  labels?: { reference: string; candidate: string };
}

const sameEncoding = (a: TokenizedText, b: TokenizedText) => a.ids.length === b.ids.length && a.ids.every((v, i) => v === b.ids[i] && a.mask[i] === b.mask[i]);

function firstDiff(a: TokenizedText, b: TokenizedText): number {
  const n = Math.max(a.ids.length, b.ids.length);
  for (let i = 0; i < n; i++) if (a.ids[i] !== b.ids[i] || a.mask[i] !== b.mask[i]) return i;
  return -1;
}

function example(row: number, a: TokenizedText, b: TokenizedText): TokenMismatchExample {
  const p = firstDiff(a, b);
  const at = (t: TokenizedText) => ({ id: t.ids[p] ?? null, token: t.tokens[p] ?? null, mask: t.mask[p] ?? null });
  const around = (t: TokenizedText) => t.tokens.slice(Math.max(0, p - 2), p + 3);
  return { row, position: p, reference: at(a), candidate: at(b), context: { reference: around(a), candidate: around(b) } };
}

export async function compareTokenizers(o: TokenizerSkewOptions): Promise<TokenizerSkewReport> {
  if (o.texts.length === 0) throw new ParityError('INPUT_DATA', `no texts in column '${o.textColumn}': skew needs at least one raw text`);
  const labels = o.labels ?? { reference: 'offline', candidate: 'serving' };
  const [ref, cand] = [await o.reference.encode(o.texts), await o.candidate.encode(o.texts)];
  const bad = ref.map((r, i) => (sameEncoding(r, cand[i]!) ? -1 : i)).filter((i) => i >= 0);
  const tokenMismatches = bad.reduce((n, i) => {
    const [a, b] = [ref[i]!, cand[i]!];
    let k = 0;
    for (let j = 0; j < Math.max(a.ids.length, b.ids.length); j++) if (a.ids[j] !== b.ids[j] || a.mask[j] !== b.mask[j]) k++;
    return n + k;
  }, 0);
  const decisions = new Map<TokenizedText[], number[] | undefined>();
  const notes: string[] = [];
  /** The model's decisions on one tokenization; undefined (with a note) when the model cannot take its ids. */
  const decide = async (enc: TokenizedText[]) => {
    if (!o.decide) return undefined;
    if (!decisions.has(enc)) {
      try {
        decisions.set(enc, await o.decide.run(enc));
      } catch (e) {
        decisions.set(enc, undefined);
        const msg = `${o.decide.model} could not run on some tokenization (${errorMessage(e).split('\n')[0]!.slice(0, 160)}); its flips are not counted`;
        if (!notes.includes(msg)) notes.push(msg);
      }
    }
    return decisions.get(enc);
  };
  const diagnoses: TokenizerDiagnosis[] = [];
  const n = o.texts.length;
  let all: TokenizerJson = o.candidate.json;
  for (const aspect of ASPECTS) {
    const d = aspect.differs(o.reference.json, o.candidate.json);
    if (!d) continue;
    all = aspect.revert(o.reference.json, all);
    const hybrid = await o.makeCandidate(aspect.revert(o.reference.json, o.candidate.json)).encode(o.texts);
    const affected = cand.map((c, i) => (sameEncoding(c, hybrid[i]!) ? -1 : i)).filter((i) => i >= 0);
    const [dc, dh] = [await decide(cand), await decide(hybrid)];
    const flips = dc && dh ? affected.filter((i) => dc[i] !== dh[i]).length : undefined;
    diagnoses.push({
      kind: aspect.kind,
      message: `${d.message} — changes the ids of ${affected.length} of ${n} samples (${((100 * affected.length) / n).toFixed(1)}%)${flips !== undefined ? `, flips ${flips} decision(s)` : ''}`,
      affected: affected.length,
      affectedShare: affected.length / n,
      ...(flips !== undefined ? { flips } : {}),
      evidence: {
        ...d.evidence,
        rows: affected.slice(0, 5),
        ...(affected[0] !== undefined ? { example: example(affected[0], hybrid[affected[0]]!, cand[affected[0]]!) } : {}),
      },
    });
  }
  // What stays different with every declared difference put back: the libraries disagree.
  const restored = diagnoses.length ? await o.makeCandidate(all).encode(o.texts) : cand;
  const residual = bad.filter((i) => !sameEncoding(ref[i]!, restored[i]!));
  if (residual.length) {
    const ex = example(residual[0]!, ref[residual[0]!]!, restored[residual[0]!]!);
    const [dr, dx] = [await decide(ref), await decide(restored)];
    const flips = dr && dx ? residual.filter((i) => dr[i] !== dx[i]).length : undefined;
    diagnoses.push({
      kind: 'unexplained',
      message: `${residual.length} sample(s) differ with no declared difference to explain them (${o.reference.library} vs ${o.candidate.library}); first at row ${ex.row + 1}, position ${ex.position}: '${ex.reference.token}' (${ex.reference.id}) vs '${ex.candidate.token}' (${ex.candidate.id})${flips !== undefined ? `; flips ${flips} decision(s)` : ''}`,
      affected: residual.length,
      affectedShare: residual.length / n,
      ...(flips !== undefined ? { flips } : {}),
      evidence: { rows: residual.slice(0, 5), example: ex },
    });
  }
  const [dr, dc] = [await decide(ref), await decide(cand)];
  const maxRate = o.maxMismatchRate ?? 0;
  const skewFound = bad.length / n > maxRate;
  const report: Omit<TokenizerSkewReport, 'verdict'> = {
    kind: 'tokenizer',
    mode: o.mode,
    referenceLabel: labels.reference,
    candidateLabel: labels.candidate,
    libraries: { reference: o.reference.library, candidate: o.candidate.library },
    textColumn: o.textColumn,
    samples: n,
    mismatched: bad.length,
    mismatchRate: bad.length / n,
    tokenMismatches,
    maxMismatchRate: maxRate,
    examples: bad.slice(0, 5).map((i) => example(i, ref[i]!, cand[i]!)),
    diagnoses,
    ...(dr && dc && o.decide ? { decisions: { model: o.decide.model, flips: dr.filter((v, i) => v !== dc[i]).length, samples: n } } : {}),
    skewFound,
    notes,
  };
  const verdict = buildVerdict({
    counts: { samples: n, mismatched: bad.length, diagnoses: diagnoses.length },
    summary: skewFound ? `${bad.length} of ${n} texts tokenized differently` : `the ${n} texts tokenize identically`,
    failures: skewFound ? diagnoses.map((d) => `[${d.kind}] ${d.message}`) : [],
  });
  return { ...report, verdict };
}
