// Breach simulation and what-if: the blast radius of the chosen seeds, the edits switched off in the UI,
// the highlighted map and the incident brief panel.
import { api } from './api.js';
import { flowToggle, showDetails } from './details.js';
import { badge, clear, fmtRecords, h, where } from './dom.js';
import { applyEdgeStates, cy, flowIndex } from './map.js';
import { $, SENS, fail, setStatus, state } from './state.js';
import { saveUrl } from './url.js';

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

export async function simulate(seeds) {
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

export function toggleFlow(id, off) {
  if (!id) return;
  if (off) state.flowsOff.add(id); else state.flowsOff.delete(id);
  onEdit();
}

export function toggleCategory(id, cat, off) {
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
    lastLit = lit;
  });
  if (result && lastLit.nonempty()) {
    // Frame what lit up, without zooming in further than a comfortable reading size.
    const bb = lastLit.boundingBox();
    const zoom = Math.min(1.2, (cy.width() - 120) / Math.max(bb.w, 1), (cy.height() - 120) / Math.max(bb.h, 1));
    cy.animate({ center: { eles: lastLit }, zoom: Math.max(zoom, cy.minZoom()) }, { duration: 300 });
  }
}

let lastLit = null;

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

  // The server lists at most max_nodes nodes (2,000 by default); totals stay complete (docs/http-api.md).
  const total = r.truncated ? r.truncated.nodes_total : r.compromised.length;
  const records = r.exposed.reduce((m, e) => Math.max(m, e.records_max || 0), 0);
  const subjects = [...new Set(r.exposed.flatMap((e) => e.subjects))];
  const places = [...new Set(r.exposed.flatMap((e) => e.jurisdictions))];
  panel.append(h('p', {}, `${r.exposed.length} categories exposed, up to ${fmtRecords(records)} records, subjects: `,
    subjects.join(', ') || 'none', places.length ? ` (${places.join(', ')})` : '', `; ${total} nodes reached.`));

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
        h('td', {}, e.nodes.join(', '), e.nodes_total ? ` (+${e.nodes_total - e.nodes.length} more)` : ''),
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

  panel.append(h('h4', {}, `Reached (${total})`));
  if (r.truncated) {
    panel.append(h('p', { class: 'hint', id: 'truncated' },
      `showing ${r.truncated.nodes_listed} of ${total} nodes, most likely first`));
  }
  panel.append(h('table', {},
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

function fix(x) {
  return Math.round(x * 100) / 100;
}
