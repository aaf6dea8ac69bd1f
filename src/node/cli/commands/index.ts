/** Every subcommand, in the order `parity --help` lists them. */
import type { RegisterCommand } from './types.ts';
import { register as run } from './run.ts';
import { register as backends } from './backends.ts';
import { register as inspect } from './inspect.ts';
import { register as quantize } from './quantize.ts';
import { register as localize } from './localize.ts';
import { register as pipeline } from './pipeline.ts';
import { register as skew } from './skew.ts';
import { register as drift } from './drift.ts';
import { register as serve } from './serve.ts';
import { register as merge } from './merge.ts';
import { register as replay } from './replay.ts';
import { register as history } from './history.ts';

export const COMMANDS: readonly RegisterCommand[] = [run, backends, inspect, quantize, localize, pipeline, skew, drift, replay, serve, merge, history];
