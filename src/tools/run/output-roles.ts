/**
 * The roles a model's outputs are judged with: the manifest's, overridden by the config's and
 * `--task` (src/kernel/config/resolve.ts), plus the classifier output guessed by name for a
 * third-party model (recorded as inferred, with why). Outputs left out get a role inferred by the
 * judge from the reference's values. Pure: no Node imports.
 */
import type { ResolvedConfig } from '../../kernel/config/resolve.ts';
import type { ModelManifest } from '../../kernel/core/manifest.ts';
import type { JudgeOutputsOptions } from '../../kernel/judge/judge-outputs-types.ts';
import { parseTaskFlag, validateRoleSpec, type RoleSpec } from '../../kernel/judge/role-spec.ts';

type Roles = NonNullable<JudgeOutputsOptions['roles']>;

/**
 * Merged roles by output name. `classifier.guessed` adds `classifier` (source `inferred`) unless a
 * role is given for that output; a manifest `classifierOutput` adds it with source `manifest`.
 * @throws ParityError CONFIG_INVALID for a malformed manifest role.
 */
export function outputRoles(
  manifest: ModelManifest['roles'],
  config: ResolvedConfig['roles'] | undefined,
  classifier: { name: string; guessed: boolean } | undefined,
): Roles {
  const out: Roles = {};
  if (classifier) {
    out[classifier.name] = classifier.guessed
      ? { role: 'classifier', source: 'inferred', evidence: `the only [batch, classes] output, named like class scores` }
      : { role: 'classifier', source: 'manifest' };
  }
  for (const [name, value] of Object.entries(manifest ?? {})) {
    const spec = typeof value === 'string' ? parseTaskFlag(`${name}=${value}`).spec : validateRoleSpec(value as RoleSpec, `manifest roles.${name}`);
    out[name] = { ...spec, source: 'manifest' };
  }
  for (const [name, spec] of Object.entries(config ?? {})) out[name] = spec;
  return out;
}
