/**
 * The benchmark page. `window.parity` (see src/contract/page-api.ts) is installed first, so a
 * driver can use the page as soon as it exists. With `?driver` in the URL (how `parity run
 * --browser` opens it) the interactive UI stays off: it would probe and start runtimes while the
 * driver's targets run.
 */
import { REPORT_CSS } from '../src/kernel/render/html.ts';
import { createBrowserRegistry } from './browser-registry.ts';
import { createPageApi } from './page-api.ts';
import './styles.css';

const registry = createBrowserRegistry();
window.parity = createPageApi(registry);

const style = document.createElement('style');
style.textContent = REPORT_CSS;
document.head.prepend(style);

if (new URLSearchParams(location.search).has('driver')) {
  document.body.replaceChildren(
    Object.assign(document.createElement('p'), { textContent: 'Driven by parity (Playwright): targets run through window.parity.' }),
  );
} else {
  const { startApp } = await import('./ui/app.ts');
  // The text panel (harness/text): tokens, ids and per-backend outputs for typed texts.
  void import('./text/text-panel.ts').then(({ mountTextPanel }) => mountTextPanel(document.querySelector('main') ?? document.body, registry));
  startApp(window.parity, registry).catch((e: unknown) => {
    const p = Object.assign(document.createElement('p'), {
      className: 'error',
      textContent: `the page failed to start: ${e instanceof Error ? e.message : String(e)}`,
    });
    document.body.prepend(p);
  });
}
export {};
