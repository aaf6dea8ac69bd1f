/**
 * Choosing a model: the bundled list, a file picker, a folder picker, and drag and drop of files
 * or whole folders (read through the File System entries API, keeping relative paths so TF.js
 * shards are found next to their model.json).
 */
import { errorMessage } from '../../src/kernel/core/errors.ts';
import { bundledModels, loadBundled, modelFromFiles, type PathedFile, type UserModel } from '../model-sources.ts';
import { el } from './dom.ts';

export interface PickerHosts {
  select: HTMLSelectElement;
  drop: HTMLElement;
  pickFiles: HTMLInputElement;
  pickFolder: HTMLInputElement;
  /** Visible, focusable buttons that open the (hidden) file inputs. */
  chooseFiles?: HTMLButtonElement;
  chooseFolder?: HTMLButtonElement;
  info: HTMLElement;
}

function readEntry(entry: FileSystemEntry, prefix: string): Promise<PathedFile[]> {
  if (entry.isFile) {
    return new Promise((res, rej) => (entry as FileSystemFileEntry).file((file) => res([{ path: prefix + file.name, file }]), rej));
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  return new Promise((res, rej) => {
    const all: Promise<PathedFile[]>[] = [];
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) return void Promise.all(all).then((lists) => res(lists.flat()), rej);
        for (const e of batch) all.push(readEntry(e, `${prefix}${entry.name}/`));
        next();
      }, rej);
    next();
  });
}

async function droppedFiles(dt: DataTransfer): Promise<PathedFile[]> {
  const entries = [...dt.items].map((i) => i.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => Boolean(e));
  if (entries.length) return (await Promise.all(entries.map((e) => readEntry(e, '')))).flat();
  return [...dt.files].map((file) => ({ path: file.name, file }));
}

const pathed = (list: FileList | null): PathedFile[] => [...(list ?? [])].map((file) => ({ path: file.webkitRelativePath || file.name, file }));

/** Wires the pickers; `onModel` gets each chosen model (bundled or the user's). `initial` names the bundled model to open (default: MNIST). */
export function setupModelPicker(h: PickerHosts, onModel: (m: UserModel, origin: string) => void, initial?: string): void {
  const fail = (e: unknown) => h.info.replaceChildren(el('span', { class: 'error' }, errorMessage(e)));
  const bundled = bundledModels();
  h.select.replaceChildren(
    el('option', { value: '' }, bundled.length ? '— choose —' : '(no bundled models found)'),
    ...bundled.map((b) => el('option', { value: b.key, title: b.description }, b.name)),
  );
  const chooseBundled = async (key: string) => {
    if (!key) return;
    h.info.textContent = 'loading…';
    try {
      onModel({ model: await loadBundled(key) }, `bundled ${key.replace(/^\.\.\//, '')}`);
    } catch (e) {
      fail(e);
    }
  };
  h.select.addEventListener('change', () => void chooseBundled(h.select.value));
  const fromFiles = async (files: PathedFile[]) => {
    // A picker closed without a choice.
    if (!files.length) return;
    try {
      const m = await modelFromFiles(files);
      h.select.value = '';
      onModel(
        m,
        `your files: ${files
          .map((f) => f.path)
          .slice(0, 4)
          .join(', ')}${files.length > 4 ? '…' : ''}`,
      );
    } catch (e) {
      fail(e);
    }
  };
  h.chooseFiles?.addEventListener('click', () => h.pickFiles.click());
  h.chooseFolder?.addEventListener('click', () => h.pickFolder.click());
  // The drop zone is keyboard-operable: Enter or Space on it opens the file picker, on key-up as a
  // native button does (Chrome opens no picker from an Enter key-down here).
  const opens = (e: KeyboardEvent) => e.target === h.drop && (e.key === 'Enter' || e.key === ' ');
  h.drop.addEventListener('keydown', (e) => opens(e) && e.preventDefault());
  h.drop.addEventListener('keyup', (e) => {
    if (!opens(e)) return;
    e.preventDefault();
    h.pickFiles.click();
  });
  h.pickFiles.addEventListener('change', () => void fromFiles(pathed(h.pickFiles.files)));
  h.pickFolder.addEventListener('change', () => void fromFiles(pathed(h.pickFolder.files)));
  h.drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    h.drop.classList.add('over');
  });
  h.drop.addEventListener('dragleave', () => h.drop.classList.remove('over'));
  h.drop.addEventListener('drop', (e) => {
    e.preventDefault();
    h.drop.classList.remove('over');
    if (e.dataTransfer) void droppedFiles(e.dataTransfer).then(fromFiles, fail);
  });
  const named = initial ? bundled.find((b) => b.name === initial) : undefined;
  if (initial && !named) fail(new Error(`no bundled model '${initial}'; bundled: ${bundled.map((b) => b.name).join(', ')}`));
  const first = named ?? (initial ? undefined : (bundled.find((b) => b.name.startsWith('mnist')) ?? bundled[0]));
  if (first) {
    h.select.value = first.key;
    void chooseBundled(first.key);
  }
}
