/** Facts about the machine running the CLI, recorded in every report. */
import { arch, cpus, platform, release, totalmem } from 'node:os';

export function environmentFacts(): Record<string, unknown> {
  const cpu = cpus();
  return {
    node: process.version,
    platform: `${platform()} ${release()}`,
    arch: arch(),
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    ci: Boolean(process.env.CI),
  };
}
