// blastmap web explorer: the data map, node details, breach simulation with what-if toggles, the vendor
// ranking, paths, filters and the query box. Talks only to the JSON API (api.js); renders text only (dom.js).
// This file wires the modules together:
//   state.js   shared state and the status line      map.js     Cytoscape, loading, filters
//   details.js node details and flow toggles         breach.js  breach simulation and what-if
//   panels.js  ranking, paths and search             query.js   the query box (POST /api/query)
//   url.js     the view in the URL hash              api.js, dom.js  the HTTP API and DOM helpers
import { api } from './api.js';
import { simulate } from './breach.js';
import { select } from './details.js';
import { download } from './dom.js';
import { applyFilters, createMap, expand, loadGraph, runLayout, setCategoryFilter } from './map.js';
import { findPaths, loadRank, wireSearch } from './panels.js';
import { runQuery, wireQuery } from './query.js';
import { $, fail, setStatus, state } from './state.js';
import { readUrl, saveUrl } from './url.js';

function wire(cy) {
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
  wireSearch();
  wireQuery();
}

async function main() {
  const cy = createMap();
  window.blastmap = { cy, state }; // for the browser tests and the console
  readUrl();
  wire(cy);
  state.info = await api.info();
  await loadGraph();
  if (state.filters.cat) await setCategoryFilter(state.filters.cat);
  await loadRank().catch(fail);
  if (state.selected && cy.getElementById(state.selected).nonempty()) await select(state.selected, { center: false });
  if (state.seeds.length) await simulate(state.seeds);
  if (state.query) await runQuery();
  document.body.dataset.ready = 'true';
}

main().catch(fail);
