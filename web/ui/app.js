// blastmap web explorer: the data map, node details, breach simulation with what-if toggles, the vendor
// ranking, paths and filters. Talks only to the JSON API (api.js); renders text only (dom.js).
import { api } from './api.js';
import { badge, clear, download, fmtRecords, h, where } from './dom.js';

/* global cytoscape, cytoscapeFcose, cytoscapeSvg */
if (!cytoscape('layout', 'fcose')) cytoscape.use(cytoscapeFcose);
if (!cytoscape('core', 'svg') && window.cytoscapeSvg) cytoscape.use(cytoscapeSvg);

const $ = (id) => document.getElementById(id);
const SENS = ['public', 'internal', 'confidential', 'restricted'];
const SERVER_LAYOUT = 2500; // maps with more elements are laid out on the server

const state = {
  info: null,
  graph: null,
  all: false,
  selected: null,
  seeds: [],
  flowsOff: new Set(), // flow ids ("f12") switched off
  catsOff: new Map(), // flow id -> Set of categories dropped from it
  base: null, // the blast without what-if edits
  result: null, // the blast shown (after the edits)
  whatIf: null, // {before, after, delta} from the server
  filters: { system: true, third: true, fourth: true, flows: true, access: true, sens: '', cat: '' },
  holders: null, // ids holding filters.cat
  rankSort: { key: 'rank', dir: 1 },
  rank: null,
};

let cy = null;
const flowIndex = new Map(); // "from|to|file|line" -> flow id

// ---------------------------------------------------------------- graph

const style = [
  { selector: 'node', style: {
    label: 'data(label)', 'font-size': 10, 'text-valign': 'bottom', 'text-margin-y': 4, 'text-wrap': 'wrap',
    'text-max-width': 130, width: 24, height: 24, 'background-color': '#2f6fb0', 'border-width': 2,
    'border-color': '#ffffff', color: '#1d2330', 'text-outline-color': '#ffffff', 'text-outline-width': 2 } },
  { selector: 'node[kind = "system"]', style: { shape: 'round-rectangle', 'background-color': '#2f6fb0' } },
  { selector: 'node[kind = "vendor"]', style: { shape: 'diamond', 'background-color': '#d9822b', width: 30, height: 30 } },
  { selector: 'node[kind = "vendor"][party > 3]', style: {
    shape: 'hexagon', 'background-color': '#8e5cc4', 'border-style': 'dashed', 'border-color': '#5b3a85' } },
  { selector: 'node[sens = "restricted"]', style: { 'border-color': '#c0392b', 'border-width': 3 } },
  { selector: 'node[sens = "confidential"]', style: { 'border-color': '#f0b27a', 'border-width': 3 } },
  { selector: 'edge', style: {
    width: 1.4, 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'line-color': '#8a94a6',
    'target-arrow-color': '#8a94a6', 'arrow-scale': 0.8, opacity: 0.8 } },
  { selector: 'edge[?forward]', style: { 'line-style': 'dotted' } },
  { selector: 'edge[type = "access"]', style: {
    'line-style': 'dashed', 'line-color': '#b03a2e', 'target-arrow-color': '#b03a2e', 'target-arrow-shape': 'tee',
    label: 'data(privilege)', 'font-size': 8, color: '#b03a2e', 'text-rotation': 'autorotate',
    'text-background-color': '#ffffff', 'text-background-opacity': 0.8 } },
  { selector: 'edge.off', style: { 'line-style': 'dotted', 'line-color': '#c8ccd4', 'target-arrow-color': '#c8ccd4', opacity: 0.5 } },
  { selector: '.faded', style: { opacity: 0.1, 'text-opacity': 0.15 } },
  { selector: 'node.exposed', style: { 'background-color': '#e67e22', opacity: 1, 'text-opacity': 1 } },
  { selector: 'node.compromised', style: {
    'background-color': '#c0392b', 'border-color': '#641e16', 'border-width': 4, opacity: 1, 'text-opacity': 1 } },
  { selector: 'node.holder', style: { opacity: 1, 'text-opacity': 1, 'underlay-color': '#e67e22', 'underlay-opacity': 0.3, 'underlay-padding': 6 } },
  { selector: 'edge.attack', style: { 'line-color': '#c0392b', 'target-arrow-color': '#c0392b', width: 3.5, opacity: 1 } },
  { selector: 'edge.leak', style: { 'line-color': '#e67e22', 'target-arrow-color': '#e67e22', width: 3.5, opacity: 1 } },
  { selector: '.path', style: { 'line-color': '#16a085', 'target-arrow-color': '#16a085', width: 4, opacity: 1, 'text-opacity': 1 } },
  { selector: 'node.path', style: { 'background-color': '#16a085' } },
  { selector: 'node.match', style: { 'border-color': '#16a085', 'border-width': 5, opacity: 1, 'text-opacity': 1 } },
  { selector: 'node:selected', style: { 'overlay-color': '#2f6fb0', 'overlay-opacity': 0.25, 'overlay-padding': 8 } },
  { selector: '.hidden', style: { display: 'none' } },
];

function nodeLabel(n) {
  return n.restricted > 0 ? `${n.name}\n▲ ${n.restricted} restricted` : n.name;
}

function elementsOf(g) {
  const els = [];
  for (const n of g.nodes) {
    const el = { group: 'nodes', data: { id: n.id, label: nodeLabel(n), kind: n.kind, party: n.party || 0,
      sens: n.max_sensitivity || '', raw: n } };
    if (n.position) el.position = { x: n.position.x, y: n.position.y };
    els.push(el);
  }
  for (const f of g.flows) {
    els.push({ group: 'edges', data: { id: f.id, source: f.from, target: f.to, type: 'flow', forward: f.categories === '*', raw: f } });
  }
  for (const a of g.access) {
    els.push({ group: 'edges', data: { id: a.id, source: a.from, target: a.to, type: 'access', privilege: a.privilege, raw: a } });
  }
  return els;
}

function indexFlows() {
  flowIndex.clear();
  cy.edges('[type = "flow"]').forEach((e) => {
    const f = e.data('raw');
    flowIndex.set(`${f.from}|${f.to}|${f.file}|${f.line}`, f.id);
  });
}

function runLayout(els, laidOut) {
  const layout = laidOut
    ? { name: 'preset', fit: true, padding: 30 }
    : { name: 'fcose', quality: 'default', randomize: true, animate: false, nodeRepulsion: 9000,
        idealEdgeLength: 90, nodeSeparation: 90, packComponents: true, fit: true, padding: 30 };
  (els || cy.elements()).layout(layout).run();
}

async function loadGraph() {
  setStatus('loading the map…');
  const total = state.info ? state.info.nodes + state.info.flows + state.info.access : 0;
  const params = { all: state.all ? 1 : undefined, layout: total > SERVER_LAYOUT ? 'server' : undefined };
  const t0 = performance.now();
  const g = await api.graph(params);
  const t1 = performance.now();
  state.graph = g;
  cy.elements().remove();
  cy.add(elementsOf(g));
  indexFlows();
  const t2 = performance.now();
  runLayout(null, g.laid_out);
  const t3 = performance.now();
  fillNodeList();
  console.debug(`graph: fetch ${Math.round(t1 - t0)} ms, add ${Math.round(t2 - t1)} ms, layout ${Math.round(t3 - t2)} ms`);
  const banner = $('banner');
  if (g.overview) {
    clear(banner).append(
      `Overview: ${g.nodes.length} of ${g.total_nodes} nodes (vendors and the most connected systems). `,
      'Use “Expand neighbours” on a node, or ',
      h('button', { id: 'render-all', onclick: () => { state.all = true; saveUrl(); loadGraph().catch(fail); } },
        `Render anyway (${g.total_nodes + g.total_edges} elements)`));
    banner.hidden = false;
  } else {
    banner.hidden = true;
  }
  setStatus(`snapshot ${g.snapshot} · ${g.total_nodes} nodes · ${g.total_edges} edges`);
  applyFilters();
  applyEdgeStates();
}

async function expand(id) {
  const g = await api.graph({ focus: id, depth: 1, max: 0 });
  const fresh = elementsOf(g).filter((el) => cy.getElementById(el.data.id).empty());
  if (!fresh.length) return setStatus('nothing more around ' + id);
  const center = cy.getElementById(id).position();
  fresh.forEach((el) => { if (el.group === 'nodes') el.position = { x: center.x + Math.random() * 80 - 40, y: center.y + Math.random() * 80 - 40 }; });
  cy.add(fresh);
  indexFlows();
  fillNodeList();
  runLayout();
  applyFilters();
  applyEdgeStates();
}

function fillNodeList() {
  const list = clear($('node-ids'));
  cy.nodes().forEach((n) => list.append(h('option', { value: n.id() }, n.data('raw').name)));
}

function setStatus(text) {
  $('status').textContent = text;
}

function fail(err) {
  console.error(err);
  setStatus('error: ' + (err && err.message ? err.message : String(err)));
}

// ---------------------------------------------------------------- filters

function nodeVisible(n) {
  const f = state.filters;
  const raw = n.data('raw');
  if (raw.kind === 'system' && !f.system) return false;
  if (raw.kind === 'vendor' && (raw.party || 3) <= 3 && !f.third) return false;
  if (raw.kind === 'vendor' && raw.party > 3 && !f.fourth) return false;
  if (f.sens && SENS.indexOf(raw.max_sensitivity || 'public') < SENS.indexOf(f.sens)) return false;
  if (f.cat && state.holders && !state.holders.has(raw.id)) return false;
  return true;
}

function applyFilters() {
  if (!cy) return;
  cy.batch(() => {
    cy.nodes().forEach((n) => n.toggleClass('hidden', !nodeVisible(n)));
    cy.edges().forEach((e) => {
      const type = e.data('type');
      const shown = (type === 'flow' ? state.filters.flows : state.filters.access) &&
        !e.source().hasClass('hidden') && !e.target().hasClass('hidden');
      e.toggleClass('hidden', !shown);
    });
  });
}

async function setCategoryFilter(cat) {
  state.filters.cat = cat.trim();
  state.holders = null;
  if (state.filters.cat) {
    try {
      const r = await api.whoHolds(state.filters.cat);
      state.holders = new Set(r.holders.map((x) => x.id));
      setStatus(`${r.holders.length} nodes hold ${r.category}`);
    } catch (err) {
      fail(err);
    }
  }
  applyFilters();
  saveUrl();
}

// ---------------------------------------------------------------- selection and details

function select(id, { center = true } = {}) {
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

function flowToggle(f, showCats) {
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

async function showDetails(id) {
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

// ---------------------------------------------------------------- breach simulation and what-if

function hasEdits() {
  return state.flowsOff.size > 0 || [...state.catsOff.values()].some((s) => s.size > 0);
}

// The what-if overlay as the API takes it (docs/what-if.md): flows are named by their ends and their
// position among the flows between the same two nodes.
function overlay() {
  const edits = [];
  const flow = (id) => cy.getElementById(id).data('raw');
  for (const id of state.flowsOff) {
    const f = flow(id);
    if (f) edits.push({ remove_flow: { from: f.from, to: f.to, index: f.index } });
  }
  for (const [id, cats] of state.catsOff) {
    if (state.flowsOff.has(id)) continue;
    const f = flow(id);
    for (const c of cats) if (f) edits.push({ drop_category: { from: f.from, to: f.to, index: f.index, category: c } });
  }
  return { what_if: edits };
}

async function simulate(seeds) {
  state.seeds = [...new Set(seeds)];
  saveUrl();
  if (!state.seeds.length) return clearSimulation();
  setStatus('simulating…');
  state.base = await api.blast(state.seeds);
  await recompute();
}

async function recompute() {
  if (!state.seeds.length) return;
  if (hasEdits()) {
    state.whatIf = await api.whatIf(state.seeds, overlay());
    state.result = state.whatIf.after;
  } else {
    state.whatIf = null;
    state.result = state.base;
  }
  highlight(state.result);
  renderBrief();
  setStatus(`breach of ${state.seeds.join(' + ')}: ${state.result.severity.level}`);
}

function clearSimulation() {
  state.seeds = [];
  state.base = state.result = state.whatIf = null;
  highlight(null);
  $('breach').hidden = true;
  saveUrl();
}

function toggleFlow(id, off) {
  if (!id) return;
  if (off) state.flowsOff.add(id); else state.flowsOff.delete(id);
  onEdit();
}

function toggleCategory(id, cat, off) {
  if (!id) return;
  const set = state.catsOff.get(id) || new Set();
  if (off) set.add(cat); else set.delete(cat);
  if (set.size) state.catsOff.set(id, set); else state.catsOff.delete(id);
  onEdit();
}

function onEdit() {
  applyEdgeStates();
  saveUrl();
  const work = [];
  if (state.seeds.length) work.push(recompute());
  if (state.selected) work.push(showDetails(state.selected));
  Promise.all(work).catch(fail);
}

function resetWhatIf() {
  state.flowsOff.clear();
  state.catsOff.clear();
  onEdit();
}

function applyEdgeStates() {
  if (!cy) return;
  cy.batch(() => cy.edges('[type = "flow"]').forEach((e) => e.toggleClass('off', state.flowsOff.has(e.id()))));
}

function highlight(result) {
  cy.batch(() => {
    cy.elements().removeClass('compromised exposed attack leak faded holder');
    if (!result) return;
    let lit = cy.collection();
    const edgeFor = (hop, type) => {
      if (type === 'flow') {
        const id = flowIndex.get(`${hop.from}|${hop.to}|${hop.file}|${hop.line}`);
        return id ? cy.getElementById(id) : cy.collection();
      }
      return cy.edges('[type = "access"]').filter((e) => {
        const a = e.data('raw');
        return a.from === hop.from && a.to === hop.to && a.line === hop.line && a.file === hop.file;
      });
    };
    for (const c of result.compromised) {
      const n = cy.getElementById(c.id);
      n.addClass(c.controlled ? 'compromised' : 'exposed');
      lit = lit.union(n);
      for (const hop of c.access) lit = lit.union(edgeFor(hop, 'access').addClass('attack'));
    }
    for (const e of result.exposed) {
      for (const id of e.nodes) lit = lit.union(cy.getElementById(id).addClass('holder'));
      for (const hop of e.provenance) {
        if (hop.kind === 'stores') continue;
        const edge = edgeFor(hop, 'flow').addClass('leak');
        lit = lit.union(edge).union(edge.connectedNodes());
      }
    }
    cy.elements().not(lit).addClass('faded');
  });
}

function groupBySensitivity(list) {
  const groups = new Map();
  for (const x of list) {
    if (!groups.has(x.sensitivity)) groups.set(x.sensitivity, []);
    groups.get(x.sensitivity).push(x);
  }
  return [...groups.entries()].sort((a, b) => SENS.indexOf(b[0]) - SENS.indexOf(a[0]));
}

function renderDelta(w) {
  const d = w.delta;
  const sens = new Map([...w.before.exposed, ...w.after.exposed].map((e) => [e.category, e.sensitivity]));
  const dScore = d.severity_after.score - d.severity_before.score;
  const box = h('div', { class: 'delta' + (dScore > 0 ? ' worse' : ''), id: 'delta' },
    h('b', {}, 'What-if: '),
    `severity ${d.severity_before.level} ${d.severity_before.score} → ${d.severity_after.level} ${d.severity_after.score} `,
    `(${dScore <= 0 ? '' : '+'}${fix(dScore)}); exposed categories ${w.before.exposed.length} → ${w.after.exposed.length}; `,
    `records ${fmtRecords(d.records_before)} → ${fmtRecords(d.records_after)}.`);
  if (d.categories_removed.length) box.append(h('div', {}, 'No longer exposed: ', d.categories_removed.map((k) => badge(k, sens.get(k) || ''))));
  if (d.categories_added.length) box.append(h('div', {}, 'Newly exposed: ', d.categories_added.map((k) => badge(k, sens.get(k) || ''))));
  if (d.nodes_removed.length) box.append(h('div', {}, 'No longer reached: ', d.nodes_removed.join(', ')));
  box.append(h('div', { class: 'actions' }, h('button', { id: 'reset-whatif', onclick: resetWhatIf }, 'Reset what-if')));
  return box;
}

function renderBrief() {
  const r = state.result;
  const panel = clear($('breach'));
  panel.hidden = false;
  const name = (id) => { const n = cy.getElementById(id); return n.nonempty() ? n.data('raw').name : id; };
  panel.append(
    h('h3', {}, 'Breach: ', state.seeds.map(name).join(' + ')),
    h('div', { class: 'seeds' }, state.seeds.map((s) => h('button', { title: 'Remove from the breach',
      onclick: () => simulate(state.seeds.filter((x) => x !== s)).catch(fail) }, `${s} ×`)),
      h('button', { id: 'clear-breach', onclick: clearSimulation }, 'Clear')),
    h('div', {}, h('span', { class: `badge sev ${r.severity.level}`, id: 'severity' }, r.severity.level.toUpperCase()),
      ` score ${r.severity.score} = data ${fix(r.severity.factors.data)} × volume ${fix(r.severity.factors.volume)} × jurisdiction ${fix(r.severity.factors.jurisdiction)}`));
  if (state.whatIf) panel.append(renderDelta(state.whatIf));

  const records = r.exposed.reduce((m, e) => Math.max(m, e.records_max || 0), 0);
  const subjects = [...new Set(r.exposed.flatMap((e) => e.subjects))];
  const places = [...new Set(r.exposed.flatMap((e) => e.jurisdictions))];
  panel.append(h('p', {}, `${r.exposed.length} categories exposed, up to ${fmtRecords(records)} records, subjects: `,
    subjects.join(', ') || 'none', places.length ? ` (${places.join(', ')})` : '', `; ${r.compromised.length} nodes reached.`));

  const exposed = h('div', { id: 'exposed' });
  for (const [sens, list] of groupBySensitivity(r.exposed)) {
    exposed.append(h('h4', {}, `${sens} (${list.length})`));
    const table = h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Category'), h('th', { class: 'num' }, 'Records'),
      h('th', {}, 'Where'), h('th', { class: 'num' }, 'Likelihood'))));
    const body = h('tbody');
    for (const e of list) {
      const via = e.provenance.filter((p) => p.kind !== 'stores').map((p) => `${p.from} → ${p.to} (${where(p)})`).join('; ');
      body.append(h('tr', { class: 'exposed-row', dataset: { category: e.category } },
        h('td', {}, h('div', { class: 'mono' }, e.category), e.flags.map((f) => badge(f, 'flag')),
          via ? h('div', { class: 'where' }, 'via ', via) : null),
        h('td', { class: 'num' }, fmtRecords(e.records_max)),
        h('td', {}, e.nodes.join(', ')),
        h('td', { class: 'num' }, String(e.likelihood))));
    }
    table.append(body);
    exposed.append(table);
  }
  panel.append(h('h4', {}, 'Exposed data'), exposed);

  // What-if toggles: every flow that brought exposed data in the unedited breach, plus any switched off.
  const flows = new Map();
  for (const e of state.base.exposed) {
    for (const p of e.provenance) {
      if (p.kind === 'stores') continue;
      const id = flowIndex.get(`${p.from}|${p.to}|${p.file}|${p.line}`);
      if (id && !flows.has(id)) flows.set(id, cy.getElementById(id).data('raw'));
    }
  }
  for (const id of [...state.flowsOff, ...state.catsOff.keys()]) {
    if (!flows.has(id) && cy.getElementById(id).nonempty()) flows.set(id, cy.getElementById(id).data('raw'));
  }
  panel.append(h('h4', {}, 'What-if: flows that brought the data'),
    h('div', { id: 'whatif' }, flows.size ? [...flows.values()].map((f) => flowToggle(f, true)) : h('span', { class: 'hint' }, 'none: the data sits where it is stored')));

  panel.append(h('h4', {}, `Reached (${r.compromised.length})`), h('table', {},
    h('thead', {}, h('tr', {}, h('th', {}, 'Node'), h('th', {}, 'How'), h('th', { class: 'num' }, 'Likelihood'))),
    h('tbody', {}, r.compromised.map((c) => h('tr', {},
      h('td', {}, c.name, h('div', { class: 'where' }, c.path.join(' → '))),
      h('td', {}, badge(c.via, c.controlled ? 'restricted' : 'confidential')),
      h('td', { class: 'num' }, String(c.likelihood)))))));

  const ne = r.not_exposed_sensitive;
  panel.append(h('h4', {}, `Not exposed: sensitive data this breach does not reach (${ne.length})`),
    h('ul', { class: 'plain', id: 'not-exposed' }, ne.map((n) => h('li', {}, badge(n.sensitivity, n.sensitivity), ' ',
      h('span', { class: 'mono' }, n.category), ' ', h('span', { class: 'where' }, 'at ', n.held_at.join(', '))))));
}

// ---------------------------------------------------------------- ranking

const RANK_COLUMNS = [
  { key: 'rank', label: '#', num: true, value: (r) => r.rank },
  { key: 'name', label: 'Vendor', value: (r) => r.name.toLowerCase() },
  { key: 'severity', label: 'Severity', num: true, value: (r) => r.severity.score },
  { key: 'records', label: 'Records', num: true, value: (r) => r.records ?? -1 },
  { key: 'restricted', label: 'Restr.', num: true, value: (r) => r.restricted },
  { key: 'controlled', label: 'Reach', num: true, value: (r) => r.controlled },
];

async function loadRank() {
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

function fix(x) {
  return Math.round(x * 100) / 100;
}

function compact(n) {
  return n >= 1e6 ? `${Math.round(n / 1e5) / 10}M` : n >= 1e3 ? `${Math.round(n / 100) / 10}k` : String(n);
}

// ---------------------------------------------------------------- paths

async function findPaths() {
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

// ---------------------------------------------------------------- search

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

// ---------------------------------------------------------------- URL state

function saveUrl() {
  const p = new URLSearchParams();
  if (state.selected) p.set('node', state.selected);
  state.seeds.forEach((s) => p.append('seed', s));
  state.flowsOff.forEach((id) => p.append('off', id));
  for (const [id, cats] of state.catsOff) cats.forEach((c) => p.append('drop', `${id}:${c}`));
  const f = state.filters;
  const hidden = ['system', 'third', 'fourth', 'flows', 'access'].filter((k) => !f[k]);
  if (hidden.length) p.set('hide', hidden.join(','));
  if (f.sens) p.set('sens', f.sens);
  if (f.cat) p.set('cat', f.cat);
  if (state.all) p.set('all', '1');
  const hash = p.toString();
  history.replaceState(null, '', hash ? `#${hash}` : location.pathname);
}

function readUrl() {
  const p = new URLSearchParams(location.hash.slice(1));
  state.selected = p.get('node');
  state.seeds = p.getAll('seed');
  state.flowsOff = new Set(p.getAll('off'));
  state.catsOff = new Map();
  for (const d of p.getAll('drop')) {
    const i = d.indexOf(':');
    if (i < 0) continue;
    const id = d.slice(0, i), c = d.slice(i + 1);
    if (!state.catsOff.has(id)) state.catsOff.set(id, new Set());
    state.catsOff.get(id).add(c);
  }
  const hidden = (p.get('hide') || '').split(',');
  for (const k of ['system', 'third', 'fourth', 'flows', 'access']) state.filters[k] = !hidden.includes(k);
  state.filters.sens = SENS.includes(p.get('sens')) ? p.get('sens') : '';
  state.filters.cat = p.get('cat') || '';
  state.all = p.get('all') === '1';
  for (const k of ['system', 'third', 'fourth', 'flows', 'access']) $(`f-${k}`).checked = state.filters[k];
  $('f-sensitivity').value = state.filters.sens;
  $('f-category').value = state.filters.cat;
}

// ---------------------------------------------------------------- wiring

function wire() {
  cy.on('tap', 'node', (ev) => select(ev.target.id(), { center: false }));
  cy.on('dbltap', 'node', (ev) => expand(ev.target.id()).catch(fail));
  $('fit').onclick = () => cy.fit(cy.elements(':visible'), 30);
  $('relayout').onclick = () => runLayout(cy.elements(':visible'));
  $('export-png').onclick = () => download('blastmap.png', cy.png({ output: 'blob', full: true, scale: 2, bg: '#ffffff' }));
  $('export-svg').onclick = () => download('blastmap.svg', new Blob([cy.svg({ full: true, scale: 1, bg: '#ffffff' })], { type: 'image/svg+xml' }));
  $('copy-link').onclick = async () => {
    saveUrl();
    try { await navigator.clipboard.writeText(location.href); setStatus('link copied'); } catch { setStatus(location.href); }
  };
  for (const k of ['system', 'third', 'fourth', 'flows', 'access']) {
    $(`f-${k}`).onchange = (ev) => { state.filters[k] = ev.target.checked; applyFilters(); saveUrl(); };
  }
  $('f-sensitivity').onchange = (ev) => { state.filters.sens = ev.target.value; applyFilters(); saveUrl(); };
  $('f-category').onchange = (ev) => setCategoryFilter(ev.target.value);
  $('path-find').onclick = () => findPaths().catch(fail);
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

async function main() {
  cy = cytoscape({ container: $('cy'), style, minZoom: 0.05, maxZoom: 2.5 });
  window.blastmap = { cy, state }; // for the browser tests and the console
  readUrl();
  wire();
  state.info = await api.info();
  await loadGraph();
  if (state.filters.cat) await setCategoryFilter(state.filters.cat);
  await loadRank().catch(fail);
  if (state.selected && cy.getElementById(state.selected).nonempty()) await select(state.selected, { center: false });
  if (state.seeds.length) await simulate(state.seeds);
  document.body.dataset.ready = 'true';
}

main().catch(fail);
