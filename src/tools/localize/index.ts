/**
 * Localization core: find the node where a backend or variant starts to diverge from the
 * reference. Pure TypeScript (no Node imports): the browser harness can run it with its own
 * Backends. File I/O and variant building live in `node-io.ts`, the terminal table in
 * `render-text.ts` (cli-table3), the command in src/node/cli/commands/localize.ts.
 */
export type * from './types.ts';
export { DEFAULT_HAZARD_FRACTION, MAX_CULPRIT_ISOLATIONS, ROW_FLAGS } from './types.ts';
export { localize } from './localize.ts';
export { detectPrecision, localizeTolerance } from './precision.ts';
export { findQdq, planRows, RENAMED_SUFFIXES, type PlannedRow } from './pairing.ts';
export { isolateGraph, MAX_ISOLATED_NODES, type IsolatedGraph, type IsolateSpec } from './isolate-graph.ts';
export { classify, CREATED_RATIO } from './isolate.ts';
export { tensorError, maxAbsFinite, type ErrorPolicy } from './tensor-error.ts';
export { convertTensor, convertFeeds } from './convert.ts';
export { headline, rowLabel, rowErrorText } from './headline.ts';
export { renderLocalizeHtml, localizeSection, localizeBody, nodeTable } from './render-html.ts';
export { nodeErrorSvg, type NodeChartOptions } from './svg-nodes.ts';
export { renderLocalizeJson, parseLocalizeJson } from './json.ts';
export { candidates, constantValues, dropCeiling, sqnrDrops, type RowDrop } from './culprits.ts';
export { constantCauses, qdqCauses, CLIP_FRACTION, MIN_LEVELS, SATURATED_FRACTION } from './causes.ts';
export { rankCulprits, type RankInput, type RankResult } from './rank.ts';
export { judgeFinalOutputs } from './final-outputs.ts';
export { reproFiles, MAX_REPRO_SAMPLES, type ReproVersions } from './repro.ts';
