/** Latency: the adaptive warm-run loop and the statistics of recorded timings. Pure: no Node imports. */
export { MAX_SAMPLES_KEPT, summarizeLatency, thin, type LatencyStats } from './summarize.ts';
export {
  CHECK_EVERY,
  DEFAULT_LATENCY_PLAN,
  measureWarm,
  medianCiWithin,
  validatePlan,
  type LatencyPlan,
  type WarmResult,
  type WarmStopReason,
} from './warm.ts';
