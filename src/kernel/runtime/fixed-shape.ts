/**
 * A Session for backends that refuse symbolic dims (ORT-web's WebGL EP): the runtime session is
 * created lazily, at the first run, from a copy of the model whose symbolic input dims are fixed
 * to that run's feeds (see src/kernel/onnx/fix-shapes.ts). Feeds with other dims get another copy. The
 * dims it fixed are reported as `facts.fixedShape` (input name → dims), so the record says that
 * the backend ran a fixed-shape copy, not the model as given.
 */
import type { TensorMap, TensorSpec } from '../core/tensor.ts';
import { fixShapes } from '../onnx/fix-shapes.ts';
import { inspectModel } from '../onnx/inspect.ts';
import type { Session } from './types.ts';

export interface FixedShapeSessionOptions {
  bytes: Uint8Array;
  name: string;
  /** Creates the runtime session from (fixed-shape) model bytes. */
  create(bytes: Uint8Array): Promise<Session>;
}

export class FixedShapeSession implements Session {
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  private current?: { key: string; session: Session; fixed: Record<string, number[]>; bindings: Record<string, number> };
  /** The last feeds object seen: warm runs repeat one, so its dims are not re-read. */
  private lastFeeds?: TensorMap;

  constructor(private readonly opts: FixedShapeSessionOptions) {
    // The signature as declared (symbolic dims kept): the runtime session does not exist yet.
    const r = inspectModel(opts.bytes, opts.name);
    this.inputs = r.inputs;
    this.outputs = r.outputs;
  }

  private async sessionFor(feeds: TensorMap): Promise<Session> {
    if (this.current && this.lastFeeds === feeds) return this.current.session;
    const dims: Record<string, number[]> = {};
    for (const spec of this.inputs) if (feeds[spec.name]) dims[spec.name] = [...feeds[spec.name]!.dims];
    const key = JSON.stringify(dims);
    if (this.current?.key === key) {
      this.lastFeeds = feeds;
      return this.current.session;
    }
    const fixed = fixShapes(this.opts.bytes, dims, this.opts.name);
    const session = await this.opts.create(fixed.bytes);
    await this.current?.session.dispose();
    this.current = { key, session, fixed: fixed.inputs, bindings: fixed.bindings };
    this.lastFeeds = feeds;
    return session;
  }

  async run(feeds: TensorMap): Promise<TensorMap> {
    return (await this.sessionFor(feeds)).run(feeds);
  }

  async facts(): Promise<Record<string, unknown>> {
    if (!this.current) return {};
    return { ...(await this.current.session.facts?.()), fixedShape: this.current.fixed, fixedShapeBindings: this.current.bindings };
  }

  async dispose(): Promise<void> {
    await this.current?.session.dispose();
    this.current = undefined;
  }
}
