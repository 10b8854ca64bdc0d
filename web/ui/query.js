// The query box: statements of the query language (docs/query-language.md) sent to POST /api/query, the
// same evaluator as `blastmap query`. Each statement's answer is a table; a statement that does not parse
// is shown with its LINE:COL and a caret under the column; the nodes a result names are lit on the map.
import { api } from './api.js';
import { select } from './details.js';
import { clear, h } from './dom.js';
import { cy } from './map.js';
import { $, setStatus, state } from './state.js';
import { saveUrl } from './url.js';

// Statements from docs/examples/*.bmq (the browser test checks each is there and runs on acme-ai).
export const EXAMPLES = [
  { label: 'Vendors without a signed DPA', file: 'vendor-review.bmq',
    text: 'vendors where dpa is missing or dpa = no show id, role, dpa, sensitivity' },
  { label: 'The five worst vendor compromises', file: 'vendor-review.bmq',
    text: 'rank vendors by severity limit 5 show rank, id, level, restricted, records' },
  { label: 'Who holds card data', file: 'vendor-review.bmq',
    text: 'who holds user.financial.credit_card show id, kind, categories' },
  { label: 'What Mixpanel\'s compromise exposes', file: 'incident-mixpanel.bmq',
    text: 'blast mixpanel show category, sensitivity, records, via' },
  { label: 'What if Mixpanel got no email', file: 'incident-mixpanel.bmq',
    text: 'what if drop user.contact.email from platform-web -> mixpanel,\n' +
      '        pseudonymise user.unique_id on platform-web -> mixpanel\nthen blast mixpanel show category, sensitivity' },
  { label: 'Okta\'s likely reach', file: 'access-review.bmq',
    text: 'blast okta nodes with min likelihood 0.5, max depth 2 where controlled = true order by id show id, via, likelihood' },
  { label: 'CircleCI to the production database', file: 'access-review.bmq',
    text: 'paths from circleci to users-db via access limit 3 show length, path' },
];

const MAX_ROWS = 500; // rows drawn per statement; the rest are counted

// Columns whose values are node ids; a paths row also names every node along its path.
const NODE_COLUMNS = ['id', 'nodes', 'from', 'to'];
const HOP = /\s+-\[[^\]]*\]->\s+/;

function cellText(v) {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.join(', ');
  return String(v);
}

// The node ids one row names (only those drawn on the map are lit).
function rowNodes(result, row) {
  const ids = [];
  for (const c of NODE_COLUMNS) {
    if (!result.columns.includes(c)) continue;
    const v = row[c];
    if (Array.isArray(v)) ids.push(...v);
    else if (typeof v === 'string' && v) ids.push(v);
  }
  if (result.columns.includes('path') && typeof row.path === 'string' && HOP.test(row.path)) {
    ids.push(...row.path.split(HOP));
  }
  return ids;
}

function resultNodes(result) {
  return [...new Set(result.rows.flatMap((row) => rowNodes(result, row)))];
}

// Lights the given nodes (and the edges among them) and fades the rest; [] clears.
export function highlightNodes(ids) {
  let hits = cy.collection();
  cy.batch(() => {
    cy.elements().removeClass('query-hit query-faded');
    if (!ids.length) return;
    hits = cy.collection(ids.map((id) => cy.getElementById(id)).filter((n) => n.nonempty()));
    hits = hits.union(hits.edgesWith(hits));
    hits.addClass('query-hit');
    cy.elements().not(hits).addClass('query-faded');
  });
  const nodes = hits.nodes();
  $('query-clear').hidden = ids.length === 0;
  if (nodes.nonempty()) cy.animate({ fit: { eles: nodes, padding: 60 }, duration: 250 });
  return nodes.length;
}

function lightAndSay(ids, what) {
  const n = highlightNodes(ids);
  setStatus(n ? `${n} node${n === 1 ? '' : 's'} lit: ${what}` : `no node of ${what} is on the map`);
}

function renderTable(result) {
  const shown = result.rows.slice(0, MAX_ROWS);
  const hasNodes = resultNodes(result).length > 0;
  const body = shown.map((row) => {
    const ids = hasNodes ? rowNodes(result, row) : [];
    return h('tr', { class: ids.length ? 'query-row names-nodes' : 'query-row', title: ids.length ? 'Show these nodes on the map' : null,
      onclick: ids.length ? () => {
        lightAndSay(ids, 'this row');
        if (ids.length === 1 && cy.getElementById(ids[0]).nonempty()) select(ids[0], { center: false });
      } : null },
    result.columns.map((c) => h('td', { class: typeof row[c] === 'number' ? 'num' : '' }, cellText(row[c]))));
  });
  return h('div', { class: 'table-scroll' }, h('table', { class: 'query-table' },
    h('thead', {}, h('tr', {}, result.columns.map((c) => h('th', {}, c)))), h('tbody', {}, body)));
}

function renderResult(result) {
  const box = h('div', { class: 'query-result', dataset: { statement: result.statement } },
    h('div', { class: 'mono query-statement' }, '> ', result.statement));
  const summary = Object.entries(result.summary || {});
  if (summary.length) {
    box.append(h('dl', { class: 'kv' }, summary.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])));
  }
  if (result.count !== undefined) {
    box.append(h('div', { class: 'query-count' }, h('b', {}, String(result.count))));
    return box;
  }
  const ids = resultNodes(result);
  const n = result.rows.length;
  box.append(h('div', { class: 'query-meta' },
    `${n} row${n === 1 ? '' : 's'}`, n > MAX_ROWS ? ` (first ${MAX_ROWS} shown)` : '',
    ids.length ? h('button', { class: 'query-light', onclick: () => lightAndSay(ids, result.statement) },
      `Show ${ids.length} node${ids.length === 1 ? '' : 's'}`) : null));
  if (n) box.append(renderTable(result));
  return box;
}

// "query:LINE:COL: message" from the API; a caret under the column of that line of the text.
function renderError(message, text) {
  const box = clear($('query-error'));
  box.hidden = false;
  box.append(h('div', { class: 'query-error-message' }, message));
  const m = /^query:(\d+):(\d+): /.exec(message);
  if (!m) return;
  const line = Number(m[1]), col = Number(m[2]);
  const lines = text.split('\n');
  if (line < 1 || line > lines.length) return;
  const points = Array.from(lines[line - 1]); // columns count code points
  const pad = points.slice(0, col - 1).map((c) => (c === '\t' ? '\t' : ' ')).join('');
  box.append(h('pre', { class: 'query-caret', dataset: { line: String(line), col: String(col) } },
    `${line} | ${lines[line - 1]}\n${' '.repeat(String(line).length)} | ${pad}^`));
  // Put the cursor where the error is.
  const ta = $('query');
  const offset = lines.slice(0, line - 1).reduce((s, l) => s + l.length + 1, 0) + points.slice(0, col - 1).join('').length;
  ta.setSelectionRange(offset, offset);
}

export async function runQuery() {
  const text = $('query').value;
  const out = $('query-results');
  $('query-error').hidden = true;
  state.query = text.trim() ? text : '';
  saveUrl();
  if (!state.query) {
    clearQuery();
    return;
  }
  const button = $('query-run');
  button.disabled = true;
  setStatus('running the query…');
  try {
    const results = await api.query(text);
    const panel = clear(out);
    panel.hidden = false;
    panel.append(h('div', { class: 'actions' }, h('h3', {}, 'Query'),
      h('button', { id: 'query-close', onclick: clearQuery }, 'Close')));
    results.forEach((r) => panel.append(renderResult(r)));
    const ids = [...new Set(results.flatMap(resultNodes))];
    highlightNodes(ids);
    setStatus(`query: ${results.length} statement${results.length === 1 ? '' : 's'}` +
      (ids.length ? `, ${ids.length} node${ids.length === 1 ? '' : 's'} named` : ''));
  } catch (err) {
    clear(out).hidden = true;
    highlightNodes([]);
    renderError(err && err.message ? err.message : String(err), text);
    setStatus('the query failed');
  } finally {
    button.disabled = false;
  }
}

function clearQuery() {
  clear($('query-results')).hidden = true;
  $('query-error').hidden = true;
  highlightNodes([]);
}

export function wireQuery() {
  const ta = $('query');
  ta.value = state.query;
  ta.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      runQuery();
    }
  });
  $('query-run').onclick = () => runQuery();
  $('query-clear').onclick = () => { highlightNodes([]); setStatus('highlight cleared'); };
  const examples = $('query-examples');
  EXAMPLES.forEach((e, i) => examples.append(h('option', { value: String(i), title: `docs/examples/${e.file}` }, e.label)));
  examples.onchange = () => {
    const e = EXAMPLES[Number(examples.value)];
    examples.value = '';
    if (!e) return;
    ta.value = e.text;
    ta.focus();
    runQuery();
  };
}
