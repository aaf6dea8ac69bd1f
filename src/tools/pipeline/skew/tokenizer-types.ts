/** The body of a text pipeline's skew.json: token-by-token mismatches and named causes. Pure data. */
import type { Verdict } from '../../../kernel/judge/verdict.ts';

/** Named causes, like the tabular diagnoses; `unexplained` when no declared difference accounts for a mismatch. */
const TOKENIZER_DIAGNOSIS_KINDS = [
  'lowercase-accents',
  'unicode-normalization',
  'special-tokens',
  'truncation',
  'padding',
  'unknown-token',
  'vocab-shift',
  'unexplained',
] as const;
export type TokenizerDiagnosisKind = (typeof TOKENIZER_DIAGNOSIS_KINDS)[number];

export interface TokenizerDiagnosis {
  kind: TokenizerDiagnosisKind;
  /** One sentence a person can act on. */
  message: string;
  /** Samples whose ids this cause changes. */
  affected: number;
  affectedShare: number;
  /** Model decisions (argmax) this cause flips among the affected samples; absent when no model ran. */
  flips?: number;
  /** The numbers behind the sentence (offset, template, first rows...). */
  evidence: Record<string, unknown>;
}

/** One differing sample: the first position where ids (or masks) differ, with tokens around it. */
export interface TokenMismatchExample {
  row: number;
  position: number;
  reference: { id: number | null; token: string | null; mask: number | null };
  candidate: { id: number | null; token: string | null; mask: number | null };
  /** A few reference and candidate tokens around the position. */
  context: { reference: string[]; candidate: string[] };
}

/** Skew's counts for a text pipeline. */
export interface TokenizerSkewCounts {
  samples: number;
  mismatched: number;
  diagnoses: number;
}

export interface TokenizerSkewReport {
  kind: 'tokenizer';
  mode: 'offline-vs-serving' | 'pipelines';
  referenceLabel: string;
  candidateLabel: string;
  /** Libraries that ran each side. */
  libraries: { reference: string; candidate: string };
  textColumn: string;
  samples: number;
  /** Samples whose ids or masks differ in any position. */
  mismatched: number;
  mismatchRate: number;
  /** Positions that differ, over all samples. */
  tokenMismatches: number;
  /** Largest mismatch rate still counted as clean. Default 0. */
  maxMismatchRate: number;
  examples: TokenMismatchExample[];
  diagnoses: TokenizerDiagnosis[];
  /** Decisions that differ between reference and candidate ids, when a model ran. */
  decisions?: { model: string; flips: number; samples: number };
  skewFound: boolean;
  notes: string[];
  verdict: Verdict<TokenizerSkewCounts>;
}
