/**
 * The only script of report.html, inline and optional: the status bar's buttons filter every
 * element carrying `data-status`, the search box filters on `data-search`, and a `#t-…` link
 * whose card is hidden by a filter clears the filter. The same text wires the benchmark page's
 * results (harness/ui/results-view.ts runs it on its results element), so both behave alike.
 * Without it the report is complete, just unfiltered. Plain ES2017, no imports.
 */

/** Body of a function of one argument, `root` (a Document or an Element holding the report). */
const REPORT_SCRIPT_BODY = `
var state = { status: '', query: '' };
var q = function (sel) { return Array.prototype.slice.call(root.querySelectorAll(sel)); };
function apply() {
  q('[data-status]').forEach(function (el) {
    var okStatus = !state.status || el.getAttribute('data-status') === state.status;
    var okQuery = !state.query || (el.getAttribute('data-search') || '').indexOf(state.query) >= 0;
    el.classList.toggle('filtered-out', !(okStatus && okQuery));
  });
  q('[data-filter]').forEach(function (b) {
    b.setAttribute('aria-pressed', String(b.getAttribute('data-filter') === state.status));
  });
}
q('[data-filter]').forEach(function (b) {
  b.addEventListener('click', function () {
    var f = b.getAttribute('data-filter') || '';
    state.status = state.status === f ? '' : f;
    apply();
  });
});
q('input.search').forEach(function (input) {
  input.addEventListener('input', function () {
    state.query = input.value.trim().toLowerCase();
    apply();
  });
});
q('a[href^="#t-"]').forEach(function (a) {
  a.addEventListener('click', function () {
    var card = root.querySelector(a.getAttribute('href'));
    if (card && card.classList.contains('filtered-out')) { state.status = ''; state.query = ''; q('input.search').forEach(function (i) { i.value = ''; }); apply(); }
  });
});
`;

/** The inline `<script>` of report.html. */
export const REPORT_SCRIPT = `<script>(function (root) {${REPORT_SCRIPT_BODY}})(document);</script>`;

/** Runs the same wiring on an element (the benchmark page's results). */
export function wireReport(root: ParentNode): void {
  // Built from the same text as report.html's script, so both filter alike.
  new Function('root', REPORT_SCRIPT_BODY)(root);
}
