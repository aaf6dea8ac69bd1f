/**
 * Tiny glob for target filters: `*` matches any run of characters (including `/` and `:`),
 * everything else is literal, the whole string must match, case-sensitive. A comma separates
 * alternatives: `ort-web/*,tfjs/wasm`. Pure: no Node imports.
 */

const cache = new Map<string, RegExp>();

/** The RegExp for a glob (cached). */
export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (!re) {
    const alternatives = glob
      .split(',')
      .map((g) => g.trim())
      .filter((g) => g.length > 0);
    const body = alternatives.map((g) => g.split('*').map(escapeRegExp).join('.*')).join('|');
    re = new RegExp(`^(?:${body})$`);
    cache.set(glob, re);
  }
  return re;
}

/** True when `text` matches `glob`. */
export function matchGlob(glob: string, text: string): boolean {
  return globToRegExp(glob).test(text);
}

/** True when any of `texts` matches `glob`. */
export function matchAny(glob: string, texts: readonly string[]): boolean {
  const re = globToRegExp(glob);
  return texts.some((t) => re.test(t));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
