// Node details: what a node holds, its flows (with what-if toggles) and access edges, and where each was declared.
import { api } from './api.js';
import { toggleCategory, toggleFlow, simulate } from './breach.js';
import { badge, clear, fmtRecords, h, where } from './dom.js';
import { cy, expand, flowIndex } from './map.js';
import { $, fail, state } from './state.js';
import { saveUrl } from './url.js';

export function select(id, { center = true } = {}) {
  const n = cy.getElementById(id);
  state.selected = id;
  cy.$(':selected').unselect();
  if (n.nonempty()) {
    n.select();
    if (center) cy.animate({ center: { eles: n }, zoom: Math.max(cy.zoom(), 1.1) }, { duration: 250 });
  }
  saveUrl();
  return showDetails(id).catch(fail);
}

function flowKey(f) {
  return `${f.from}|${f.to}|${f.file}|${f.line}`;
}

export function flowToggle(f, showCats) {
  const id = flowIndex.get(flowKey(f));
  const off = id && state.flowsOff.has(id);
  const cats = f.categories === '*' ? ['*'] : f.categories;
  const row = h('div', { class: 'edge-toggle' + (off ? ' off' : '') },
    h('input', { type: 'checkbox', checked: !off, disabled: !id, title: 'Switch this flow off (what-if)',
      'aria-label': `flow ${f.from} to ${f.to}`, dataset: { flow: id || '' },
      onchange: (ev) => toggleFlow(id, !ev.target.checked) }),
    h('span', {}, h('span', { class: 'mono' }, `${f.from} → ${f.to}`), ' ',
      h('span', { class: 'where' }, where(f))));
  const wrap = h('div', {}, row);
  if (showCats && f.categories !== '*') {
    const dropped = (id && state.catsOff.get(id)) || new Set();
    wrap.append(h('div', { class: 'cats' }, cats.map((c) =>
      h('label', { class: dropped.has(c) ? 'off' : '' },
        h('input', { type: 'checkbox', checked: !dropped.has(c) && !off, disabled: !id || off,
          dataset: { flow: id || '', category: c }, 'aria-label': `${c} on ${f.from} to ${f.to}`,
          onchange: (ev) => toggleCategory(id, c, !ev.target.checked) }),
        ' ', h('span', { class: 'mono' }, c)))));
  } else if (f.categories === '*') {
    wrap.append(h('div', { class: 'cats' }, h('span', { class: 'hint' }, 'forwards everything its source holds (*)')));
  }
  return wrap;
}

export async function showDetails(id) {
  const d = await api.node(id);
  const panel = clear($('details'));
  const party = d.kind === 'vendor' ? (cy.getElementById(id).data('party') || 3) : 0;
  panel.append(
    h('h3', { id: 'node-title' }, d.name),
    h('div', {}, badge(d.kind === 'system' ? 'our system' : party > 3 ? `${party}th party (sub-processor)` : 'third party', 'flag'),
      ' ', h('span', { class: 'mono' }, d.id)),
    h('div', { class: 'where' }, 'declared at ', where(d)),
    h('div', { class: 'actions' },
      h('button', { class: 'danger', id: 'simulate', onclick: () => simulate([d.id]) }, 'Simulate breach'),
      state.seeds.length && !state.seeds.includes(d.id)
        ? h('button', { onclick: () => simulate([...state.seeds, d.id]) }, 'Add to breach') : null,
      h('button', { onclick: () => expand(d.id).catch(fail) }, 'Expand neighbours'),
      h('button', { onclick: () => { $('path-from').value = d.id; $('path-to').focus(); } }, 'Paths from here')));
  const attrs = h('dl', { class: 'kv' });
  for (const [k, v] of Object.entries(d.attributes)) {
    attrs.append(h('dt', {}, k), h('dd', {}, Array.isArray(v) ? v.join(', ') : String(v)));
  }
  panel.append(h('h4', {}, 'Attributes'), attrs);
  panel.append(h('h4', {}, `Holds (${d.held.length})`),
    h('div', {}, d.held.length ? d.held.map((x) => badge(x.category + (x.stored ? ' ●' : ''), x.sensitivity)) : 'nothing'));
  if (d.stores.length) {
    panel.append(h('h4', {}, 'Stores at rest'), h('ul', { class: 'plain' }, d.stores.map((s) =>
      h('li', {}, h('span', { class: 'mono' }, s.categories.join(', ')), ` · ${fmtRecords(s.records)} records · `,
        h('span', { class: 'where' }, where(s))))));
  }
  panel.append(h('h4', {}, `Flows out (${d.flows_out.length})`), h('div', {}, d.flows_out.map((f) => flowToggle(f, true))));
  panel.append(h('h4', {}, `Flows in (${d.flows_in.length})`), h('div', {}, d.flows_in.map((f) => flowToggle(f, true))));
  const access = (list) => h('ul', { class: 'plain' }, list.map((a) => h('li', {},
    h('span', { class: 'mono' }, `${a.from} → ${a.to}`), ' ', badge(a.privilege, a.privilege === 'admin' || a.privilege === 'code' ? 'restricted' : 'internal'),
    ` ${a.mechanism} · likelihood ${a.likelihood} `, h('span', { class: 'where' }, where(a)))));
  panel.append(h('h4', {}, `Access it holds (${d.access_out.length})`), access(d.access_out));
  panel.append(h('h4', {}, `Access into it (${d.access_in.length})`), access(d.access_in));
}
