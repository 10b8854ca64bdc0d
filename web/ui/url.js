// The view in the URL's hash, so that a link (or a reload) restores it.
import { $, SENS, state } from './state.js';

export function saveUrl() {
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
  if (state.query) p.set('q', state.query);
  const hash = p.toString();
  history.replaceState(null, '', hash ? `#${hash}` : location.pathname);
}

export function readUrl() {
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
  state.query = p.get('q') || '';
  for (const k of ['system', 'third', 'fourth', 'flows', 'access']) $(`f-${k}`).checked = state.filters[k];
  $('f-sensitivity').value = state.filters.sens;
  $('f-category').value = state.filters.cat;
}
