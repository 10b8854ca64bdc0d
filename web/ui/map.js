// The map: Cytoscape's styles and elements, loading and expanding the graph, filters, and flow lookup.
import { api } from './api.js';
import { clear, h } from './dom.js';
import { $, SENS, fail, setStatus, state } from './state.js';
import { saveUrl } from './url.js';

/* global cytoscape, cytoscapeFcose, cytoscapeSvg */
if (!cytoscape('layout', 'fcose')) cytoscape.use(cytoscapeFcose);
if (!cytoscape('core', 'svg') && window.cytoscapeSvg) cytoscape.use(cytoscapeSvg);

const SERVER_LAYOUT = 2500; // maps with more elements are laid out on the server

export let cy = null;
export const flowIndex = new Map(); // "from|to|file|line" -> flow id

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
  { selector: '.query-faded', style: { opacity: 0.1, 'text-opacity': 0.15 } },
  { selector: 'node.query-hit', style: { opacity: 1, 'text-opacity': 1, 'underlay-color': '#2f6fb0', 'underlay-opacity': 0.3, 'underlay-padding': 7 } },
  { selector: 'edge.query-hit', style: { opacity: 1, width: 2.5 } },
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

export function runLayout(els, laidOut) {
  const layout = laidOut
    ? { name: 'preset', fit: true, padding: 30 }
    : { name: 'fcose', quality: 'default', randomize: true, animate: false, nodeRepulsion: 9000,
        idealEdgeLength: 90, nodeSeparation: 90, packComponents: true, fit: true, padding: 30 };
  (els || cy.elements()).layout(layout).run();
}

export async function loadGraph() {
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

export async function expand(id) {
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

export function createMap() {
  cy = cytoscape({ container: $('cy'), style, minZoom: 0.05, maxZoom: 2.5 });
  return cy;
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

export function applyFilters() {
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

export async function setCategoryFilter(cat) {
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

export function applyEdgeStates() {
  if (!cy) return;
  cy.batch(() => cy.edges('[type = "flow"]').forEach((e) => e.toggleClass('off', state.flowsOff.has(e.id()))));
}
