/**
 * Tokenizer skew on real text (SpamAssassin e-mails): the native Rust tokenizers (offline) against
 * Tokenizers.js (serving). Quiet on the same tokenizer.json over 20 disjoint samples; each planted
 * difference in the serving tokenizer.json is named — and nothing else is.
 */
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../models/text-encoder/corpus.ts';
import { nativeTokenizer } from '../src/node/pipeline/native-tokenizer.ts';
import { compareTokenizers } from '../src/tools/pipeline/skew/tokenizer-skew.ts';
import { jsTokenizer } from '../src/tools/pipeline/tokenizer/js-tokenizer.ts';
import { loadBundledTokenizer, planted, PLANTS } from './tokenizer-plants.ts';

const corpus = loadCorpus();
const base = loadBundledTokenizer();
const reference = nativeTokenizer(base);
const compare = (texts: string[], cand = base) =>
  compareTokenizers({ texts, reference, candidate: jsTokenizer(cand), makeCandidate: (j) => jsTokenizer(j), mode: 'pipelines', textColumn: 'text' });

describe('tokenizer skew, same tokenizer.json', () => {
  it('raises no alarm in 20 clean runs on disjoint samples of real e-mails', async () => {
    const alarms: string[] = [];
    for (let run = 0; run < 20; run++) {
      const texts = corpus.filter((_, i) => i % 40 === run).map((t) => t.text);
      const r = await compare(texts);
      if (r.skewFound || r.diagnoses.length) alarms.push(`run ${run}: ${r.verdict.headline}`);
      expect(r.samples).toBeGreaterThan(140);
    }
    expect(alarms).toEqual([]);
  }, 120_000);
});

describe('tokenizer skew, planted differences', () => {
  // Every run sees texts that each plant can touch: long ones, accented and NFKC-sensitive real e-mails.
  const special = corpus.filter((t) => /[\u00c0-\u017f]/.test(t.text) || t.text.normalize('NFKC') !== t.text.normalize('NFC'));
  const texts = [...special, ...corpus.filter((_, i) => i % 50 === 3)].map((t) => t.text);

  for (const p of PLANTS) {
    it(`names '${p.name}' as ${p.kind}, and nothing else`, async () => {
      const r = await compare(texts, planted(base, p.plant));
      expect(r.skewFound).toBe(true);
      expect(r.verdict.exitCode).toBe(1);
      expect(r.diagnoses.map((d) => d.kind)).toEqual([p.kind]);
      const d = r.diagnoses[0]!;
      expect(d.affected).toBeGreaterThan(0);
      expect(d.affected).toBeLessThanOrEqual(r.mismatched);
      expect(r.mismatched).toBeGreaterThan(0);
      expect(d.affectedShare).toBeCloseTo(d.affected / texts.length, 10);
    }, 60_000);
  }

  it('says how a vocabulary shifted: an inserted token, or a constant offset', async () => {
    const inserted = await compare(texts.slice(0, 40), planted(base, PLANTS.find((p) => p.kind === 'vocab-shift')!.plant));
    expect(inserted.diagnoses[0]!.message).toMatch(/'\[unused0\]' inserted at id 5/);
    const offset = planted(base, (j) => {
      j.model.vocab = Object.fromEntries(Object.entries(j.model.vocab as Record<string, number>).map(([t, id]) => [t, id + 3]));
    });
    const r = await compare(texts.slice(0, 40), offset);
    expect(r.diagnoses.map((d) => d.kind)).toEqual(['vocab-shift']);
    expect(r.diagnoses[0]!.message).toMatch(/every id is off by 3/);
  }, 60_000);
});

describe('tokenizer skew, the two libraries', () => {
  it('names a real disagreement between the native tokenizers and Tokenizers.js as unexplained (a CJK Extension B character before a Latin letter)', async () => {
    const untruncated = planted(base, (j) => ((j.truncation = null), (j.padding = null)));
    const text = corpus.find((t) => t.id === 'spam-1/00243')!.text;
    const r = await compareTokenizers({
      texts: [text, corpus[0]!.text],
      reference: nativeTokenizer(untruncated),
      candidate: jsTokenizer(untruncated),
      makeCandidate: (j) => jsTokenizer(j),
      mode: 'offline-vs-serving',
      textColumn: 'text',
    });
    expect(r.mismatched).toBe(1);
    expect(r.diagnoses.map((d) => d.kind)).toEqual(['unexplained']);
    expect(r.examples[0]).toMatchObject({ row: 0, reference: { token: 'j' }, candidate: { token: '##j' } });
    // Truncated to the model's 64 tokens (as bundled), the difference is out of reach.
    expect((await compare([text])).skewFound).toBe(false);
  });
});
