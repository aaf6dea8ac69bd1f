/** Latency: the adaptive warm-run loop and the statistics of recorded timings. Pure: no Node imports. */
export { medianCiRanks, quantileSorted, type MedianCiRanks } from './order-stats.ts';
export { MAX_SAMPLES_KEPT, summarizeLatency, thin } from './summarize.ts';
export {
  CHECK_EVERY, DEFAULT_LATENCY_PLAN, measureWarm, medianCiWithin, validatePlan,
  type LatencyPlan, type WarmResult, type WarmStopReason,
} from './warm.ts';
