// Shared state of the web explorer: what is selected, simulated, filtered and edited, and the status line.
export const $ = (id) => document.getElementById(id);
export const SENS = ['public', 'internal', 'confidential', 'restricted'];

export const state = {
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
  query: '', // the query-language text last run in the query box
};

export function setStatus(text) {
  $('status').textContent = text;
}

export function fail(err) {
  console.error(err);
  setStatus('error: ' + (err && err.message ? err.message : String(err)));
}
