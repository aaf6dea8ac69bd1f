/**
 * The one byte-size formatter: reports, the quantize summary and `parity inspect` all print sizes
 * through it, so a size reads the same everywhere. Pure: no Node imports.
 */

/**
 * Byte sizes in binary units: `512 B`, `1.50 KiB`, `23.4 MiB`, `118 MiB`. A missing value prints
 * as `—`, `NaN` as `NaN`, ±Infinity as `∞` / `-∞` (the conventions of src/kernel/render/format.ts).
 */
export function fmtBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '∞';
  if (n === -Infinity) return '-∞';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)} ${units[i]}`;
}
