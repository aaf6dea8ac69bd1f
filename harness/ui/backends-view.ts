/**
 * The backends table: every browser backend, whether this browser runs it (with the runtime's
 * reason when not) and what it reported about itself; available ones get a checkbox.
 */
import type { Availability } from '../../src/kernel/runtime/types.ts';
import type { BackendId } from '../../src/kernel/core/ids.ts';
import type { PageBackend } from '../../src/contract/page-api.ts';
import { el } from './dom.ts';

export interface BackendsView {
  /** Checked backends that are available. */
  selected(): BackendId[];
  /** Checks exactly these (where enabled). */
  select(ids: readonly string[]): void;
  /** Backends loading a format, for enabling per model. */
  setFormats(formats: readonly string[]): void;
}

function details(a: Availability): string {
  if (!a.ok) return a.reason;
  const i = a.info;
  const keep = Object.entries(i).filter(([k, v]) => !['library', 'version', 'backend'].includes(k) && v !== undefined && typeof v !== 'object');
  return [`${i.library} ${i.version}`, ...keep.map(([k, v]) => `${k}: ${String(v)}`)].join(' · ');
}

export function renderBackends(host: HTMLElement, backends: readonly PageBackend[], probes: Partial<Record<BackendId, Availability>>): BackendsView {
  const boxes = new Map<BackendId, HTMLInputElement>();
  const rows = backends.map((b) => {
    const a = probes[b.id] ?? { ok: false, reason: 'not probed' };
    const box = el('input', { type: 'checkbox', 'data-backend': b.id, checked: a.ok, disabled: !a.ok, 'aria-label': `run on ${b.id}` });
    boxes.set(b.id, box);
    return el(
      'tr',
      { class: a.ok ? 'available' : 'unavailable', 'data-backend': b.id },
      el('td', {}, box),
      el('td', {}, el('code', {}, b.id)),
      el('td', {}, b.formats.join(', ')),
      el('td', { class: a.ok ? 'avail-yes' : 'avail-no' }, a.ok ? 'available' : 'unavailable'),
      el('td', { class: 'reason' }, details(a)),
    );
  });
  host.replaceChildren(
    el(
      'table',
      { class: 'backends' },
      el('thead', {}, el('tr', {}, el('th', {}, ''), el('th', {}, 'backend'), el('th', {}, 'loads'), el('th', {}, 'here'), el('th', {}, 'details / reason'))),
      el('tbody', {}, ...rows),
    ),
  );
  const avail = (id: BackendId) => probes[id]?.ok === true;
  return {
    select(ids) {
      for (const [id, box] of boxes) box.checked = !box.disabled && ids.includes(id);
    },
    selected: () => [...boxes].filter(([id, box]) => box.checked && !box.disabled && avail(id)).map(([id]) => id),
    setFormats(formats) {
      for (const b of backends) {
        const box = boxes.get(b.id)!;
        const fits = b.formats.some((f) => formats.includes(f));
        box.disabled = !avail(b.id) || !fits;
        box.checked = !box.disabled;
        box.title = fits ? '' : `loads ${b.formats.join('/')}; this model has ${formats.join('/')}`;
      }
    },
  };
}
