// The left-hand panels: the vendor ranking, paths between two nodes, and the search box.
import { api } from './api.js';
import { select } from './details.js';
import { badge, clear, h } from './dom.js';
import { simulate } from './breach.js';
import { cy } from './map.js';
import { $, fail, setStatus, state } from './state.js';

const RANK_COLUMNS = [
  { key: 'rank', label: '#', num: true, value: (r) => r.rank },
  { key: 'name', label: 'Vendor', value: (r) => r.name.toLowerCase() },
  { key: 'severity', label: 'Severity', num: true, value: (r) => r.severity.score },
  { key: 'records', label: 'Records', num: true, value: (r) => r.records ?? -1 },
  { key: 'restricted', label: 'Restr.', num: true, value: (r) => r.restricted },
  { key: 'controlled', label: 'Reach', num: true, value: (r) => r.controlled },
];

export async function loadRank() {
  state.rank = await api.rank();
  renderRank();
}

function renderRank() {
  const { key, dir } = state.rankSort;
  const col = RANK_COLUMNS.find((c) => c.key === key);
  const rows = [...state.rank.rows].sort((a, b) => {
    const x = col.value(a), y = col.value(b);
    return (x < y ? -1 : x > y ? 1 : 0) * dir || a.rank - b.rank;
  });
  const head = h('tr', {}, RANK_COLUMNS.map((c) => h('th', {
    class: `sortable ${c.num ? 'num' : ''} ${c.key === key ? (dir > 0 ? 'sorted-asc' : 'sorted-desc') : ''}`,
    dataset: { key: c.key }, title: 'Sort',
    onclick: () => {
      state.rankSort = { key: c.key, dir: c.key === key ? -dir : (c.num && c.key !== 'rank' ? -1 : 1) };
      renderRank();
    } }, c.label)));
  const body = rows.map((r) => h('tr', { dataset: { id: r.id }, title: `Simulate a breach of ${r.name}`,
    onclick: () => { select(r.id); simulate([r.id]).catch(fail); } },
    h('td', { class: 'num' }, String(r.rank)), h('td', {}, r.name),
    h('td', { class: 'num' }, badge(String(r.severity.score), r.severity.level)),
    h('td', { class: 'num' }, r.records === null ? '?' : compact(r.records)),
    h('td', { class: 'num' }, String(r.restricted)), h('td', { class: 'num' }, String(r.controlled))));
  clear($('ranking')).append(h('table', { id: 'rank-table' }, h('thead', {}, head), h('tbody', {}, body)));
}

function compact(n) {
  return n >= 1e6 ? `${Math.round(n / 1e5) / 10}M` : n >= 1e3 ? `${Math.round(n / 100) / 10}k` : String(n);
}

export async function findPaths() {
  const from = $('path-from').value.trim(), to = $('path-to').value.trim();
  const out = clear($('path-results'));
  cy.elements().removeClass('path');
  if (!from || !to) return;
  let r;
  try {
    r = await api.paths(from, to, $('path-edges').value);
  } catch (err) {
    out.append(h('div', { class: 'error' }, err.message));
    return;
  }
  if (!r.paths.length) out.append(h('div', { class: 'hint' }, 'no path'));
  const lightPath = (path) => {
    cy.elements().removeClass('path');
    for (const hop of path) {
      const edges = cy.edges().filter((e) => {
        const raw = e.data('raw');
        return raw.from === hop.from && raw.to === hop.to && raw.line === hop.line && raw.file === hop.file;
      });
      edges.addClass('path');
      edges.connectedNodes().addClass('path');
    }
  };
  r.paths.forEach((path, i) => {
    out.append(h('div', { class: 'path', onclick: () => lightPath(path) },
      h('b', {}, `${path.length} hop${path.length > 1 ? 's' : ''}: `),
      path.map((hop) => `${hop.from} ${hop.edge === 'access' ? `-[${hop.privilege}]->` : '->'} `).join(''), to));
    if (i === 0) lightPath(path);
  });
  if (r.truncated) out.append(h('div', { class: 'hint' }, 'search budget ran out: longer paths may exist'));
}

let suggestions = [];
let active = 0;

function searchMatches(text) {
  const m = /^(vendor|system|category|id):(.*)$/i.exec(text.trim());
  const type = m ? m[1].toLowerCase() : '';
  const term = (m ? m[2] : text).trim().toLowerCase();
  if (!term) return [];
  if (type === 'category') {
    const cats = new Set();
    cy.nodes().forEach((n) => n.data('raw').held.forEach((c) => cats.add(c)));
    return [...cats].filter((c) => c.toLowerCase().includes(term)).sort((a, b) => a.length - b.length)
      .slice(0, 12).map((c) => ({ category: c, label: c, kind: 'category' }));
  }
  const out = [];
  cy.nodes().forEach((n) => {
    const raw = n.data('raw');
    if (type === 'vendor' && raw.kind !== 'vendor') return;
    if (type === 'system' && raw.kind !== 'system') return;
    const id = raw.id.toLowerCase(), name = raw.name.toLowerCase();
    const hit = type === 'id' ? id.includes(term) : id.includes(term) || name.includes(term);
    if (!hit) return;
    const score = id === term || name === term ? 0 : id.startsWith(term) || name.startsWith(term) ? 1 : 2;
    out.push({ id: raw.id, label: raw.name, kind: raw.kind, score });
  });
  return out.sort((a, b) => a.score - b.score || a.label.localeCompare(b.label)).slice(0, 12);
}

function renderSuggestions() {
  const ul = clear($('suggestions'));
  ul.hidden = suggestions.length === 0;
  suggestions.forEach((s, i) => ul.append(h('li', { class: i === active ? 'active' : '', role: 'option',
    onmousedown: (ev) => { ev.preventDefault(); pick(s); } },
    h('span', {}, s.label), h('span', { class: 'kind' }, s.kind === 'category' ? 'category' : `${s.kind} · ${s.id}`))));
}

async function pick(s) {
  $('suggestions').hidden = true;
  $('search').value = s.kind === 'category' ? `category:${s.category}` : s.label;
  cy.nodes().removeClass('match');
  if (s.kind === 'category') {
    const r = await api.whoHolds(s.category);
    const holders = cy.collection(r.holders.map((x) => cy.getElementById(x.id)).filter((n) => n.nonempty()));
    holders.addClass('match');
    if (holders.nonempty()) cy.animate({ fit: { eles: holders, padding: 60 } }, { duration: 250 });
    setStatus(`${r.holders.length} nodes hold ${r.category}`);
    return;
  }
  cy.getElementById(s.id).addClass('match');
  await select(s.id);
}

export function wireSearch() {
  const search = $('search');
  search.addEventListener('input', () => { suggestions = searchMatches(search.value); active = 0; renderSuggestions(); });
  search.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown') { active = Math.min(active + 1, suggestions.length - 1); renderSuggestions(); ev.preventDefault(); }
    else if (ev.key === 'ArrowUp') { active = Math.max(active - 1, 0); renderSuggestions(); ev.preventDefault(); }
    else if (ev.key === 'Enter') {
      suggestions = searchMatches(search.value);
      if (suggestions.length) pick(suggestions[Math.min(active, suggestions.length - 1)]).catch(fail);
      else setStatus('no match for ' + search.value);
    } else if (ev.key === 'Escape') { $('suggestions').hidden = true; }
  });
  search.addEventListener('blur', () => { $('suggestions').hidden = true; });
}
