import { describe, expect, it } from 'vitest';
import { renderJunit } from '../src/kernel/render/junit.ts';
import { HOSTILE, makeReport } from './report-fixture.ts';

interface El {
  name: string;
  attrs: Record<string, string>;
  children: El[];
  text: string;
}

const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;
const unescape = (s: string) =>
  s
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCharCode(Number(d)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** A strict little XML reader: throws on unbalanced tags, bad attributes, raw `<`/`&`, control chars. */
function parseXml(xml: string): El {
  let i = 0;
  const decl = /^<\?xml [^?]*\?>\n/.exec(xml);
  if (!decl) throw new Error('missing XML declaration');
  i = decl[0].length;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(xml)) throw new Error('control character in XML');
  const root: El = { name: '#root', attrs: {}, children: [], text: '' };
  const stack: El[] = [root];
  const tag = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/y;
  while (i < xml.length) {
    const c = xml[i]!;
    if (c === '<') {
      tag.lastIndex = i;
      const m = tag.exec(xml);
      if (!m) throw new Error(`malformed tag at ${i}: ${xml.slice(i, i + 40)}`);
      const [, close, name, attrText, selfClose] = m;
      if (close) {
        const top = stack.pop()!;
        if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      } else {
        const attrs: Record<string, string> = {};
        for (const a of attrText!.matchAll(/([\w:.-]+)="([^"]*)"/g)) {
          if (/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(a[2]!)) throw new Error(`raw & in attribute ${a[1]}`);
          attrs[a[1]!] = unescape(a[2]!);
        }
        const el: El = { name: name!, attrs, children: [], text: '' };
        stack[stack.length - 1]!.children.push(el);
        if (!selfClose) stack.push(el);
      }
      i = tag.lastIndex;
    } else if (c === '&') {
      ENTITY.lastIndex = i;
      if (!ENTITY.exec(xml)) throw new Error(`raw & at ${i}`);
      stack[stack.length - 1]!.text += unescape(xml.slice(i, ENTITY.lastIndex));
      i = ENTITY.lastIndex;
    } else if (c === '>') {
      throw new Error(`raw > at ${i}`);
    } else {
      stack[stack.length - 1]!.text += c;
      i++;
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (root.children.length !== 1) throw new Error('expected one root element');
  return root.children[0]!;
}

const all = (el: El, name: string): El[] => [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => all(c, name))];

describe('report/junit', () => {
  const report = makeReport();
  const xml = renderJunit(report);
  const doc = parseXml(xml);

  it('is well-formed', () => {
    expect(doc.name).toBe('testsuites');
    expect(() => parseXml(xml.replace('</testsuite>', ''))).toThrow();
    expect(() => parseXml(xml.replace('&lt;', '<'))).toThrow();
  });

  it('has one testsuite per model and one testcase per target plus one per gate', () => {
    const suites = all(doc, 'testsuite');
    expect(suites.map((s) => s.attrs.name)).toEqual(['mnist-cnn', 'tiny-mlp']);
    const gates = report.targets.reduce((n, t) => n + t.gates.length, 0);
    const cases = all(doc, 'testcase');
    expect(cases).toHaveLength(report.targets.length + gates);
    expect(doc.attrs.tests).toBe(String(cases.length));
    for (const s of suites) expect(s.attrs.tests).toBe(String(all(s, 'testcase').length));
  });

  it('maps statuses to skipped / error / failure with matching counts', () => {
    const byName = new Map(all(doc, 'testcase').map((c) => [c.attrs.name!, c]));
    const kind = (name: string) =>
      byName
        .get(name)!
        .children.map((c) => c.name)
        .join(',');
    expect(kind('mnist-cnn:fp32@ort-node/cpu/node')).toBe('');
    expect(kind('mnist-cnn:fp32@ort-web/webgpu/browser')).toBe('skipped');
    expect(kind('mnist-cnn:fp16@tfjs/webgl/browser')).toBe('error');
    expect(kind('mnist-cnn:int8-dynamic@tfjs/wasm/node')).toBe('failure');
    expect(kind('mnist-cnn:int8-static@ort-web/wasm/browser')).toBe('skipped'); // expected failure
    expect(kind('mnist-cnn:fp16@ort-web/wasm/browser')).toBe('failure'); // unexpected pass
    expect(kind('gate top1Agreement >= 0.999 [mnist-cnn:int8-dynamic@tfjs/wasm/node]')).toBe('failure');
    expect(kind('gate accuracyDelta >= -0.01 [mnist-cnn:int8-dynamic@tfjs/wasm/node]')).toBe('');
    expect(kind('gate p50Ms <= 50 [mnist-cnn:int8-dynamic@tfjs/wasm/node]')).toBe('skipped');
    expect(kind('gate top1Agreement >= 0.999 [mnist-cnn:int8-static@ort-web/wasm/browser]')).toBe('skipped');
    for (const attr of ['failures', 'errors', 'skipped'] as const) {
      const el = { failures: 'failure', errors: 'error', skipped: 'skipped' }[attr];
      expect(doc.attrs[attr]).toBe(String(all(doc, el).length));
    }
    expect(doc.attrs).toMatchObject({ failures: '4', errors: '1', skipped: '4' });
  });

  it('explains failures with the failing outputs and gates', () => {
    const failing = all(doc, 'testcase').find((c) => c.attrs.name === 'mnist-cnn:int8-dynamic@tfjs/wasm/node')!;
    const failure = failing.children[0]!;
    expect(failure.attrs.message).toBe('1 output out of tolerance (probs); 1 gate failed');
    expect(failure.text).toContain('output probs: 12 of 640 elements out of tolerance');
    expect(failure.text).toContain('gate failed: top1Agreement = 0.982 (needs >= 0.999)');
  });

  it('escapes <&"\'> and strips control characters from reasons', () => {
    const skipped = all(doc, 'skipped').find((s) => s.attrs.message?.startsWith('no WebGPU'))!;
    expect(skipped.attrs.message).toBe(`no WebGPU adapter ${HOSTILE}`);
    expect(xml).not.toContain('<script>');
    const error = all(doc, 'error')[0]!;
    expect(error.attrs.type).toBe('RUN_FAILED');
    expect(error.attrs.message).toBe('shader compile failed: <&"\'> red\nsecond line | pipe');
    expect(xml).not.toContain('\u001b');
  });
});
