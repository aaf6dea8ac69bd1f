/**
 * A localization as a page job (`window.parity.localize`): the reference side recorded in Node,
 * the target model and the browser backend to run it on, the feeds, and the core's options — all
 * plain JSON (model bytes and tensors in base64) so it crosses `page.evaluate`. The page answers
 * with a {@link PageLocalizeResult}: the report as localize.json text, or a typed failure.
 * Pure: no Node imports; Node encodes, the page decodes.
 */
import type { BackendId } from '../kernel/core/ids.ts';
import type { ErrorCode } from '../kernel/core/errors.ts';
import { base64ToBytes, bytesToBase64, type EncodedTensor } from '../kernel/core/tensor-codec.ts';
import type { LocalizeOptions, LocalizeSide, OptLevel } from '../tools/localize/types.ts';
import type { Recording } from './recorded-backend.ts';

/** Backends the page can localize on: the ONNX ones (tfjs backends load TF.js models only). */
export const PAGE_LOCALIZE_BACKENDS = ['ort-web/wasm', 'ort-web/webgl', 'ort-web/webgpu', 'ort-web/webgpu-jsep'] as const satisfies readonly BackendId[];
export type PageLocalizeBackend = (typeof PAGE_LOCALIZE_BACKENDS)[number];

export function isPageLocalizeBackend(id: string): id is PageLocalizeBackend {
  return (PAGE_LOCALIZE_BACKENDS as readonly string[]).includes(id);
}

/** The options of `localize()` that are plain data (everything but the sides, feeds and `log`). */
export type LocalizeJobOptions = Pick<
  LocalizeOptions,
  'feedsSource' | 'precision' | 'tolerance' | 'maxMismatchFraction' | 'hazardFraction' | 'isolate' | 'checkMarking'
>;

/** One side's model: name, base64 bytes and optimization level. */
export interface EncodedSide {
  name: string;
  b64: string;
  graphOptimizationLevel: OptLevel;
}

export interface EncodedLocalizeJob {
  /** The reference model and its recorded run (marked with every intermediate) in Node. */
  reference: EncodedSide & { recording: Recording };
  /** The target model (a variant, or the reference itself) and the page backend that runs it. */
  target: EncodedSide & { backend: PageLocalizeBackend };
  /** One feeds map per sample (see job-codec `encodeSamples`): the inputs the reference was recorded on. */
  feeds: Record<string, EncodedTensor>[];
  options: LocalizeJobOptions;
}

/** What the page returns; `log` holds the core's progress lines either way. */
export type PageLocalizeResult =
  | { status: 'ok'; reportJson: string; log: string[]; facts: Record<string, unknown> }
  | { status: 'failed'; code: ErrorCode; reason: string; details: Record<string, unknown>; log: string[] };

/** A side as the job needs it. */
export interface PlainSide {
  name: string;
  model: Uint8Array;
  graphOptimizationLevel: OptLevel;
}

export function encodeSide(s: PlainSide): EncodedSide {
  return { name: s.name, b64: bytesToBase64(s.model), graphOptimizationLevel: s.graphOptimizationLevel };
}

/** The model fields of a {@link LocalizeSide} (the page adds its backend). */
export function decodeSide(s: EncodedSide): Omit<LocalizeSide, 'backend'> & { name: string; graphOptimizationLevel: OptLevel } {
  return { name: s.name, model: base64ToBytes(s.b64), graphOptimizationLevel: s.graphOptimizationLevel };
}
