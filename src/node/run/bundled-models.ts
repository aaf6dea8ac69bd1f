/** The models that ship with the tool and make up the default suite. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Root of the package (where `models/` lives), independent of the cwd. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const BUNDLED_MODELS = ['models/mnist-cnn/parity-model.json', 'models/penguins/parity-model.json', 'models/text-encoder/parity-model.json'] as const;

export function bundledModelPaths(): string[] {
  return BUNDLED_MODELS.map((p) => PACKAGE_ROOT + p).filter((p) => existsSync(p));
}
