/**
 * Escaping for the text formats (XML/HTML, Markdown). Reasons and error messages come from
 * runtimes and browsers, so they can hold anything: markup, ANSI color codes, control bytes.
 * Pure: no Node imports.
 */

/**
 * Characters XML 1.0 forbids anywhere (even escaped): C0 controls except tab/LF/CR, lone
 * surrogates, U+FFFE/U+FFFF. ANSI color codes from runtime logs contain ESC (U+001B).
 */
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// eslint-disable-next-line no-control-regex
const ANSI = /\u001B\[[0-9;]*[A-Za-z]/g;

/** Removes ANSI escape sequences, then replaces characters XML cannot carry with U+FFFD. */
export function sanitizeText(s: string): string {
  return s.replace(ANSI, '').replace(INVALID_XML, '\uFFFD');
}

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for XML element content and attribute values (both quote styles). */
export function escapeXml(s: string): string {
  return sanitizeText(s).replace(/[&<>"']/g, (c) => XML_ENTITIES[c]!);
}

/**
 * Escapes text for HTML content and attributes. Same as XML except `'` becomes `&#39;` (HTML 4
 * has no `&apos;`).
 */
export function escapeHtml(s: string): string {
  return escapeXml(s).replace(/&apos;/g, '&#39;');
}

/** Escapes free text for a Markdown paragraph: inline markup, HTML and table pipes lose meaning. */
export function escapeMarkdown(s: string): string {
  return sanitizeText(s)
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Escapes free text for one Markdown table cell: as {@link escapeMarkdown}, newlines become `<br>`. */
export function escapeMarkdownCell(s: string): string {
  return escapeMarkdown(s).replace(/\r?\n/g, '<br>');
}

/** A Markdown code span that survives backticks inside `s`. */
export function mdCode(s: string): string {
  const clean = sanitizeText(s).replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}
