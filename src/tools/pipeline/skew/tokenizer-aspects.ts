/**
 * The parts of two tokenizer.json files that can differ, one per diagnosis kind: how to tell that
 * they differ (with a sentence saying how) and how to put the reference's part back into the
 * candidate. The skew engine re-tokenizes with each part put back to learn which samples that part
 * changes. Parts are independent: putting one back keeps the candidate's ids for the others. Pure.
 */
import type { TokenizerJson } from '../tokenizer/tokenizer-json.ts';
import type { TokenizerDiagnosisKind } from './tokenizer-types.ts';

type Json = Record<string, unknown>;
type Vocab = Record<string, number>;

export interface Aspect {
  kind: Exclude<TokenizerDiagnosisKind, 'unexplained'>;
  /** How the candidate differs, or undefined when it does not. */
  differs(ref: TokenizerJson, cand: TokenizerJson): { message: string; evidence: Record<string, unknown> } | undefined;
  /** The candidate with this part taken from the reference. */
  revert(ref: TokenizerJson, cand: TokenizerJson): TokenizerJson;
}

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const UNICODE = new Set(['NFC', 'NFD', 'NFKC', 'NFKD']);
const vocabOf = (j: TokenizerJson): Vocab => (j.model.vocab && typeof j.model.vocab === 'object' ? (j.model.vocab as Vocab) : {});

/** The normalizer as a flat list (a Sequence's members, or the one normalizer). */
function parts(n: unknown): Json[] {
  if (!n || typeof n !== 'object') return [];
  const j = n as Json;
  return j.type === 'Sequence' ? ((j.normalizers as Json[]) ?? []).flatMap(parts) : [j];
}
const unicodeForms = (j: TokenizerJson) =>
  parts(j.normalizer)
    .map((p) => String(p.type))
    .filter((t) => UNICODE.has(t));
function caseFolding(j: TokenizerJson): { lowercase: boolean; stripAccents: boolean } {
  let lowercase = false;
  let stripAccents = false;
  for (const p of parts(j.normalizer)) {
    if (p.type === 'Lowercase') lowercase = true;
    if (p.type === 'StripAccents') stripAccents = true;
    if (p.type === 'BertNormalizer') {
      lowercase ||= p.lowercase !== false;
      stripAccents ||= p.strip_accents === null || p.strip_accents === undefined ? p.lowercase !== false : p.strip_accents === true;
    }
  }
  return { lowercase, stripAccents };
}
const seq = (list: Json[]) => ({ type: 'Sequence', normalizers: list });

/** The single-sequence template as token names and `$A`. */
function template(j: TokenizerJson): string[] {
  const p = j.post_processor as Json | null | undefined;
  if (!p) return ['$A'];
  if (p.type === 'TemplateProcessing') return ((p.single as Json[]) ?? []).map((x) => ('SpecialToken' in x ? String((x.SpecialToken as Json).id) : '$A'));
  if (p.type === 'BertProcessing') return [String((p.cls as unknown[])[0]), '$A', String((p.sep as unknown[])[0])];
  return [String(p.type)];
}

/** The reference's post-processor with special-token ids taken from the candidate's vocabulary. */
function remapPost(post: unknown, vocab: Vocab): unknown {
  const p = clone(post) as Json | null;
  if (p?.type === 'TemplateProcessing' && p.special_tokens) {
    for (const s of Object.values(p.special_tokens as Record<string, { ids: number[]; tokens: string[] }>))
      s.ids = s.tokens.map((t, i) => vocab[t] ?? s.ids[i]!);
  }
  return p;
}

function vocabShift(ref: Vocab, cand: Vocab): Record<string, unknown> {
  const deltas = new Map<number, number>();
  let missing = 0;
  for (const [t, id] of Object.entries(ref)) {
    const c = cand[t];
    if (c === undefined) missing++;
    else deltas.set(c - id, (deltas.get(c - id) ?? 0) + 1);
  }
  const sorted = [...deltas].sort((a, b) => b[1] - a[1]);
  const inserted = Object.entries(cand)
    .filter(([t]) => ref[t] === undefined)
    .map(([t, id]) => ({ token: t, id }));
  return { offsets: Object.fromEntries(sorted.slice(0, 4)), missingTokens: missing, insertedTokens: inserted.slice(0, 5) };
}

export const ASPECTS: readonly Aspect[] = [
  {
    kind: 'lowercase-accents',
    differs(r, c) {
      const [a, b] = [caseFolding(r), caseFolding(c)];
      if (same(a, b)) return undefined;
      const say = (x: typeof a) => `lowercase ${x.lowercase ? 'on' : 'off'}, accent stripping ${x.stripAccents ? 'on' : 'off'}`;
      return { message: `reference: ${say(a)}; candidate: ${say(b)}`, evidence: { reference: a, candidate: b } };
    },
    revert(r, c) {
      const out = clone(c);
      const want = caseFolding(r);
      const list = parts(out.normalizer).filter((p) => p.type !== 'Lowercase' && p.type !== 'StripAccents');
      const bert = list.find((p) => p.type === 'BertNormalizer');
      if (bert) Object.assign(bert, { lowercase: want.lowercase, strip_accents: want.stripAccents });
      else {
        if (want.stripAccents) list.push({ type: 'NFD' }, { type: 'StripAccents' });
        if (want.lowercase) list.push({ type: 'Lowercase' });
      }
      out.normalizer = seq(list);
      return out;
    },
  },
  {
    kind: 'unicode-normalization',
    differs(r, c) {
      const [a, b] = [unicodeForms(r), unicodeForms(c)];
      if (same(a, b)) return undefined;
      return {
        message: `reference normalizes to ${a.join('+') || 'nothing'}, candidate to ${b.join('+') || 'nothing'}`,
        evidence: { reference: a, candidate: b },
      };
    },
    revert(r, c) {
      const out = clone(c);
      out.normalizer = seq([...unicodeForms(r).map((t) => ({ type: t })), ...parts(out.normalizer).filter((p) => !UNICODE.has(String(p.type)))]);
      return out;
    },
  },
  {
    kind: 'special-tokens',
    differs(r, c) {
      const [a, b] = [template(r), template(c)];
      if (same(a, b)) return undefined;
      const count = (t: string[]) => t.filter((x) => x !== '$A').reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());
      const [ca, cb] = [count(a), count(b)];
      const missing = [...ca.keys()].filter((k) => (cb.get(k) ?? 0) < ca.get(k)!);
      const extra = [...cb.keys()].filter((k) => (cb.get(k) ?? 0) > (ca.get(k) ?? 0));
      const what = [
        missing.length && `missing ${missing.join(', ')}`,
        extra.length && `${extra.some((k) => ca.has(k)) ? 'doubled' : 'added'} ${extra.join(', ')}`,
      ]
        .filter(Boolean)
        .join('; ');
      return {
        message: `special tokens ${what || 'reordered'}: reference template ${a.join(' ')}, candidate ${b.join(' ')}`,
        evidence: { reference: a, candidate: b, missing, extra },
      };
    },
    revert: (r, c) => ({ ...clone(c), post_processor: remapPost(r.post_processor, vocabOf(c)) }),
  },
  {
    kind: 'truncation',
    differs(r, c) {
      const [a, b] = [r.truncation ?? null, c.truncation ?? null];
      if (a?.max_length === b?.max_length && (a?.direction ?? 'Right') === (b?.direction ?? 'Right')) return undefined;
      const say = (t: typeof a) => (t ? `${t.max_length} tokens, cut on the ${(t.direction ?? 'Right').toLowerCase()}` : 'none');
      return { message: `truncation: reference ${say(a)}, candidate ${say(b)}`, evidence: { reference: a, candidate: b } };
    },
    revert: (r, c) => ({ ...clone(c), truncation: clone(r.truncation ?? null) }),
  },
  {
    kind: 'padding',
    differs(r, c) {
      const key = (j: TokenizerJson) => (j.padding ? { strategy: j.padding.strategy ?? 'BatchLongest', direction: j.padding.direction ?? 'Right' } : null);
      const [a, b] = [key(r), key(c)];
      if (same(a, b)) return undefined;
      const say = (p: typeof a) => (p ? `${p.direction.toLowerCase()} to ${typeof p.strategy === 'object' ? p.strategy.Fixed : 'the batch longest'}` : 'none');
      return { message: `padding: reference pads ${say(a)}, candidate ${say(b)}`, evidence: { reference: a, candidate: b } };
    },
    revert(r, c) {
      const out = clone(c);
      out.padding = r.padding ? { ...clone(r.padding), pad_id: c.padding?.pad_id ?? r.padding.pad_id ?? 0 } : null;
      return out;
    },
  },
  {
    kind: 'unknown-token',
    differs(r, c) {
      const key = (j: TokenizerJson) => ({ unk: j.model.unk_token ?? null, maxChars: j.model.max_input_chars_per_word ?? null });
      const [a, b] = [key(r), key(c)];
      if (same(a, b)) return undefined;
      return {
        message: `unknown words: reference → ${a.unk} (words over ${a.maxChars} chars), candidate → ${b.unk} (over ${b.maxChars})`,
        evidence: { reference: a, candidate: b },
      };
    },
    revert(r, c) {
      const out = clone(c);
      out.model = { ...out.model, unk_token: r.model.unk_token, max_input_chars_per_word: r.model.max_input_chars_per_word };
      return out;
    },
  },
  {
    kind: 'vocab-shift',
    differs(r, c) {
      const [a, b] = [vocabOf(r), vocabOf(c)];
      if (same(a, b)) return undefined;
      const ev = vocabShift(a, b);
      const offsets = Object.entries(ev.offsets as Record<string, number>);
      const inserted = ev.insertedTokens as { token: string; id: number }[];
      const what =
        offsets.length === 1
          ? `every id is off by ${offsets[0]![0]}`
          : inserted.length
            ? `token '${inserted[0]!.token}' inserted at id ${inserted[0]!.id}, later ids shifted (offsets ${offsets.map(([d, n]) => `${d}: ${n} tokens`).join(', ')})`
            : `ids remapped (offsets ${offsets.map(([d, n]) => `${d}: ${n} tokens`).join(', ')})`;
      return { message: `vocabulary shifted: ${what}`, evidence: ev };
    },
    revert(r, c) {
      const out = clone(c);
      const vocab = vocabOf(r);
      out.model = { ...out.model, vocab: clone(vocab) };
      out.added_tokens = clone(r.added_tokens ?? []);
      out.post_processor = remapPost(out.post_processor, vocab);
      if (out.padding) out.padding.pad_id = vocab[out.padding.pad_token ?? '[PAD]'] ?? r.padding?.pad_id ?? 0;
      return out;
    },
  },
];
