/**
 * Caps text that goes into an error line: a runtime's message can quote a whole model topology
 * (tfjs's "Improper config format: {…}" is ~150,000 characters), a user's file can hold one huge
 * line. Every message built from such text caps it here, so an error line stays a line. Pure.
 */

/** Default cap for one quoted piece of text inside a message. */
const QUOTE_CAP = 240;

/** Default cap for a whole error line printed by the CLI. */
const LINE_CAP = 500;

/**
 * `text` on one line, at most `max` characters: newlines become spaces and a longer text is cut
 * with "… (N more characters)" so the reader knows it was cut and by how much.
 */
export function capText(text: string, max = QUOTE_CAP): string {
  const one = text.replace(/\s*\n\s*/g, ' ');
  if (one.length <= max) return one;
  const more = one.length - max;
  return `${one.slice(0, max)}… (${more.toLocaleString('en-US')} more characters)`;
}

/**
 * Every line of `text` capped to about `max` characters (multi-line messages keep their lines): a
 * longer line keeps its head and its tail — where messages say what to do — and says how much of
 * the middle was cut.
 */
export function capLines(text: string, max = LINE_CAP): string {
  const head = Math.floor(max * 0.6);
  const tail = Math.floor(max * 0.3);
  return text
    .split('\n')
    .map((l) => (l.length <= max ? l : `${l.slice(0, head)}… (${(l.length - head - tail).toLocaleString('en-US')} characters cut) …${l.slice(-tail)}`))
    .join('\n');
}
