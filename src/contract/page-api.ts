/**
 * The contract between the benchmark page and whoever drives it (Playwright from the CLI, or a
 * test): the page installs `window.parity`, the driver calls it through `page.evaluate`.
 * Everything crossing it is plain JSON. Pure types.
 */
import type { Availability } from '../kernel/runtime/types.ts';
import type { BackendId, ModelFormat } from '../kernel/core/ids.ts';
import type { RunRecord } from '../kernel/core/record.ts';
import type { Report } from '../kernel/judge/types.ts';
import type { RawRow, TransformMode } from '../tools/pipeline/types.ts';
import type { EncodedFeatureMatrix } from './feature-codec.ts';
import type { TokenizedText } from '../tools/pipeline/tokenizer/frame.ts';
import type { EncodedJob } from './job-codec.ts';
import type { EncodedLocalizeJob, PageLocalizeResult } from './localize-job.ts';

/** Version of this contract; the driver refuses a page speaking another one. */
export const PAGE_API_VERSION = 2;

export interface PageBackend {
  id: BackendId;
  formats: readonly ModelFormat[];
}

export interface ParityPageApi {
  readonly apiVersion: typeof PAGE_API_VERSION;
  /** The backends registered in this page (not necessarily available). */
  backends(): Promise<PageBackend[]>;
  /** Availability of each backend, with the reason when not (starts runtimes; results cached). */
  probe(ids?: readonly BackendId[]): Promise<Partial<Record<BackendId, Availability>>>;
  /** Facts about this browser (user agent, isolation, timer resolution, GPU adapter, WebGL). */
  facts(): Promise<Record<string, unknown>>;
  /** Runs one target (see `executeTarget`); never rejects for a target that merely fails. */
  runJob(job: EncodedJob): Promise<RunRecord>;
  /**
   * Localizes a target in this page (see `localize()` in src/tools/localize): the reference side comes
   * recorded in the job (Node's fp32 on ort-node/cpu) and is replayed; the target model runs on
   * `job.target.backend` here, marked, isolated and unmarked. Never rejects for a localization
   * that merely fails: the result says `failed` with the error's code and message.
   */
  localize(job: EncodedLocalizeJob): Promise<PageLocalizeResult>;
  /**
   * Applies a fitted feature pipeline (validated first) to raw records with the same code as
   * Node (src/tools/pipeline). `mode` default `offline`. Rejects with the pipeline's own error message.
   */
  transform(fitted: unknown, rows: readonly RawRow[], mode?: TransformMode): Promise<EncodedFeatureMatrix>;
  /**
   * Tokenizes raw texts with a tokenizer.json as serving does (Tokenizers.js, truncation and padding
   * as the file declares; src/tools/pipeline/tokenizer). Rejects with the tokenizer's own error message.
   */
  tokenize?(tokenizerJson: unknown, texts: readonly string[]): Promise<TokenizedText[]>;
  /**
   * The report of the page's last finished run (the same object `report.json` holds); set when a
   * run started from the page (or its URL, `?run=1`) ends. `document.body.dataset.parityStatus`
   * is then `done` (or `failed`).
   */
  lastReport?: Report;
}

declare global {
  interface Window {
    /** Set by the harness page once its modules loaded. */
    parity?: ParityPageApi;
  }
}
