// The HTTP API (docs/http-api.md). Errors come back as {"error": "..."}; they are thrown as Error.
async function request(url, options) {
  const res = await fetch(url, options);
  let body = null;
  try {
    body = await res.json();
  } catch {
    throw new Error(`${res.status} ${res.statusText}`);
  }
  if (!res.ok) throw new Error(body && body.error ? body.error : `${res.status} ${res.statusText}`);
  return body;
}

const q = (params) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) v.forEach((x) => s.append(k, x));
    else s.append(k, v);
  }
  const str = s.toString();
  return str ? `?${str}` : '';
};

export const api = {
  info: () => request('/api/info'),
  graph: (params = {}) => request('/api/graph' + q(params)),
  node: (id) => request('/api/node/' + encodeURIComponent(id)),
  blast: (seeds) => request('/api/blast' + q({ seed: seeds })),
  whatIf: (seeds, overlay) =>
    request('/api/blast', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ seeds, overlay }),
    }),
  rank: (params = {}) => request('/api/rank' + q(params)),
  paths: (from, to, edges) => request('/api/paths' + q({ from, to, edges })),
  // Only the holders: the UI's category filter does not list the vendors that would expose them.
  whoHolds: (category) => request('/api/who-holds' + q({ category, holders_only: 1 })),
  // The query language (docs/query-language.md): one result per statement, as `blastmap query --format json`.
  query: (text) =>
    request('/api/query', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: text }),
    }),
};
