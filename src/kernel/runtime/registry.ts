/**
 * Backends by id, created lazily through factories so that importing the registry loads no
 * runtime. The registry is an instance: each test builds its own.
 */
import { choices, ParityError } from '../core/errors.ts';
import { type Availability, type Backend } from './types.ts';
import { BACKEND_IDS, type BackendId, type EnvKind } from '../core/ids.ts';

export type BackendFactory = () => Promise<Backend>;

export interface RegisteredBackend {
  id: BackendId;
  environments: readonly EnvKind[];
}

export class BackendRegistry {
  private readonly factories = new Map<string, { environments: readonly EnvKind[]; create: BackendFactory }>();
  private readonly instances = new Map<string, Promise<Backend>>();

  register(id: BackendId, environments: readonly EnvKind[], create: BackendFactory): this {
    if (this.factories.has(id)) throw new Error(`backend '${id}' is already registered`);
    this.factories.set(id, { environments, create });
    return this;
  }

  ids(env?: EnvKind): BackendId[] {
    return [...this.factories.entries()].filter(([, f]) => env === undefined || f.environments.includes(env)).map(([id]) => id as BackendId);
  }

  environmentsOf(id: BackendId): readonly EnvKind[] {
    return this.factories.get(id)?.environments ?? [];
  }

  has(id: string): id is BackendId {
    return this.factories.has(id);
  }

  /** Validates a user-given id, naming the valid choices when it is wrong. */
  assertKnown(id: string): asserts id is BackendId {
    if (!this.has(id)) {
      const known = (BACKEND_IDS as readonly string[]).includes(id);
      throw new ParityError(
        'BACKEND_UNKNOWN',
        known
          ? `backend '${id}' is not registered in this environment; registered: ${choices(this.ids())}`
          : `unknown backend '${id}'; expected one of ${choices(this.ids())}`,
        { id },
      );
    }
  }

  /** The backend instance (created once). Throws BACKEND_UNKNOWN for an unregistered id. */
  get(id: string): Promise<Backend> {
    this.assertKnown(id);
    let inst = this.instances.get(id);
    if (!inst) {
      inst = this.factories.get(id)!.create();
      this.instances.set(id, inst);
    }
    return inst;
  }

  /** Availability without throwing: a factory or probe failure becomes `{ ok: false, reason }`. */
  async probe(id: BackendId): Promise<Availability> {
    try {
      const backend = await this.get(id);
      return await backend.probe();
    } catch (e) {
      return { ok: false, reason: e instanceof Error ? e.message : String(e) };
    }
  }
}
