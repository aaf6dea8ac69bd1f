/**
 * Which execution provider ORT placed each node on, read from its own verbose session log
 * ("Node(s) placed on [JsExecutionProvider]. Number of nodes: 30" followed by one "  Op (name)"
 * line per node). A node on the CPU EP when another EP was asked for is a silent fallback:
 * `facts.fallbackNodes: [{ node, op, ep }]`. The log comes from a throwaway verbose session made
 * after the timed runs (verbose logging slows every run, so the timed session stays quiet).
 * Browser-safe.
 */
import type { InferenceSession } from 'onnxruntime-web';
import type { Session } from './types.ts';

/** One node ORT placed on another EP than the one requested. */
export interface FallbackNode {
  node: string;
  op: string;
  /** The EP it ran on instead (ORT's name, e.g. `CPUExecutionProvider`). */
  ep: string;
}

/**
 * Node placement as parsed from the log: EP name → how many nodes ORT put on it, and which (ORT
 * lists them only when more than one EP got nodes; "All nodes placed on" gives the count alone).
 */
export type Placement = Record<string, { count: number; nodes: { node: string; op: string }[] }>;

const HEADER = /VerifyEachNodeIsAssignedToAnEp\]\s*(All nodes|Node\(s\)) placed on \[(\w+)\]\. Number of nodes: (\d+)/;
const NODE = /VerifyEachNodeIsAssignedToAnEp\]\s{2,}(\S+) \((.*)\)\s*$/;

/** Parses ORT's placement lines; `undefined` when the log has none (e.g. not verbose). */
export function parsePlacement(lines: readonly string[]): Placement | undefined {
  let current: string | undefined;
  let found = false;
  const out: Placement = {};
  for (const line of lines) {
    const h = HEADER.exec(line);
    if (h) {
      found = true;
      current = h[2]!;
      out[current] = { count: Number(h[3]), nodes: [] };
      continue;
    }
    const n = current ? NODE.exec(line) : null;
    if (n && current) out[current]!.nodes.push({ op: n[1]!, node: n[2]! });
  }
  return found ? out : undefined;
}

/** The nodes that did not land on the requested EP (everything not on one of `requested`). */
export function fallbackNodes(placement: Placement, requested: readonly string[]): FallbackNode[] {
  return Object.entries(placement)
    .filter(([ep]) => !requested.includes(ep))
    .flatMap(([ep, p]) => p.nodes.map((n) => ({ node: n.node, op: n.op, ep })));
}

/** ORT's own EP names for the EPs the web backends request. */
const ORT_EP_NAMES: Record<string, readonly string[]> = {
  webgpu: ['JsExecutionProvider', 'WebGpuExecutionProvider'],
  webnn: ['WebNNExecutionProvider'],
  wasm: ['CPUExecutionProvider'],
};

type Create = (bytes: Uint8Array, options: InferenceSession.SessionOptions) => Promise<InferenceSession>;

/**
 * Creates (and releases) a verbose session so that ORT writes its placement log. onnxruntime-web
 * prints it through a `console.error` bound when its wasm starts, which page code cannot
 * intercept: the driver reads it from the page's console (src/node/browser/page-driver.ts) and
 * {@link withPlacementLog} turns it into facts.
 */
export async function logPlacement(create: Create, bytes: Uint8Array, options: InferenceSession.SessionOptions): Promise<void> {
  const s = await create(bytes, { ...options, logSeverityLevel: 0, logVerbosityLevel: 0 });
  await s.release();
}

/** True for the console lines that make up ORT's placement log. */
export function isPlacementLine(line: string): boolean {
  return line.includes('VerifyEachNodeIsAssignedToAnEp');
}

/**
 * A record with `facts.placement` (node count per EP) and `facts.fallbackNodes` read from the
 * placement lines seen while it ran; `facts.executionProvider` names the EP that was asked for.
 */
export function withPlacementLog<R extends { facts: Record<string, unknown> }>(record: R, lines: readonly string[]): R {
  const ep = record.facts.executionProvider;
  if (typeof ep !== 'string' || !lines.length) return record;
  const p = parsePlacement(lines);
  if (!p) return record;
  const placement = Object.fromEntries(Object.entries(p).map(([name, e]) => [name, e.count]));
  return { ...record, facts: { ...record.facts, placement, placementSource: 'log', fallbackNodes: fallbackNodes(p, ORT_EP_NAMES[ep] ?? []) } };
}

/**
 * How placement is known for a session without a placement log: `single-ep` — the session has
 * one EP (onnxruntime-node cpu, onnxruntime-web wasm), so every node ran there by construction;
 * `unavailable` — another EP could have taken nodes and nothing was observed (the reason says why).
 */
export type StaticPlacement = { source: 'single-ep'; ep: string } | { source: 'unavailable'; why: string };

/** `session` whose facts record how its placement is known (see {@link StaticPlacement}). */
export function withStaticPlacement(session: Session, requestedEp: string, p: StaticPlacement): Session {
  const extra =
    p.source === 'single-ep'
      ? { executionProvider: requestedEp, placementSource: 'single-ep', placement: { [p.ep]: 'all' }, fallbackNodes: [] }
      : { executionProvider: requestedEp, placementSource: 'unavailable', placementUnavailable: p.why };
  const facts = async () => ({ ...(await session.facts?.()), ...extra });
  return new Proxy(session, {
    get(target, key) {
      if (key === 'facts') return facts;
      const v: unknown = Reflect.get(target, key, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/**
 * `session` whose facts name the requested EP and, once (after the timed runs), make ORT log
 * its placement through {@link logPlacement}. A failed probe is recorded as `placementError`.
 */
export function withPlacement(session: Session, requestedEp: string, probe: () => Promise<void>): Session {
  let facts: Promise<Record<string, unknown>> | undefined;
  const placementFacts = () =>
    (facts ??= Promise.all([
      session.facts?.(),
      probe().then(
        () => ({}),
        (e: unknown) => ({ placementError: e instanceof Error ? e.message : String(e) }),
      ),
    ]).then(([own, probed]) => ({
      ...own,
      executionProvider: requestedEp,
      ...('placementError' in probed ? { placementSource: 'unavailable', placementUnavailable: `the placement log failed: ${probed.placementError}` } : {}),
      ...probed,
    })));
  // Everything else (run, dispose, and whatever optional hooks the session has) is the session's own.
  return new Proxy(session, {
    get(target, key) {
      if (key === 'facts') return placementFacts;
      const v: unknown = Reflect.get(target, key, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
