// Browser tests of the web explorer: the real blastmap binary serving datasets/acme-ai (and a hostile
// fixture), driven in Debian's headless chromium by playwright-core (pinned in web/ui/package-lock.json).
//   node tests/web/browser_test.mjs BLASTMAP_BINARY SOURCE_DIR BUILD_DIR
// Prints one line per check and closes with "N passed, M failed"; exits 1 on any failure.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const [binary, sourceDir, buildDir] = process.argv.slice(2);
if (!binary || !sourceDir || !buildDir) {
  console.error('usage: browser_test.mjs BLASTMAP_BINARY SOURCE_DIR BUILD_DIR');
  process.exit(2);
}
const require = createRequire(path.join(sourceDir, 'web/ui/package.json'));
const { chromium } = require('playwright-core');
const CHROMIUM = process.env.BLASTMAP_CHROMIUM || '/usr/bin/chromium';
const ARTEFACTS = path.join(buildDir, 'browser');
fs.mkdirSync(ARTEFACTS, { recursive: true });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'blastmap-browser-'));

let passed = 0;
let failed = 0;
async function check(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    passed++;
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (err) {
    failed++;
    console.log(`FAIL ${name}: ${err && err.message ? err.message.split('\n')[0] : err}`);
  }
}
function assert(cond, message) {
  if (!cond) throw new Error(message);
}

function importMap(dir, db) {
  const r = spawnSync(binary, ['import', dir, '--db', db], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`import ${dir} failed: ${r.stderr}`);
}

// Starts `blastmap serve` on a free loopback port; resolves to {url, proc} once it prints its URL.
function serve(db, extra = []) {
  return new Promise((resolve, reject) => {
    const proc = spawn(binary, ['serve', '--db', db, '--port', '0', '--quiet', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error('the server did not start: ' + out)), 10000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], proc });
      }
    });
    proc.stderr.on('data', (d) => { out += d; });
    proc.on('exit', (code) => reject(new Error(`the server exited (${code}): ${out}`)));
  });
}

// A synthetic map too large to draw whole by default: 1400 systems in a ring with chords, 300 vendors.
function writeLargeMap(file) {
  const systems = [];
  for (let i = 0; i < 1400; i++) {
    const flows = [{ to: `s${(i + 1) % 1400}`, categories: ['user.contact.email'] },
      { to: `s${(i * 7 + 3) % 1400}`, categories: ['user.name'] }];
    if (i % 4 === 0 && i / 4 < 250) flows.push({ to: `v${i / 4}`, categories: ['user.contact.email', 'user.name'] });
    systems.push({ id: `s${i}`, name: `System ${i}`, flows });
  }
  const vendors = [];
  for (let j = 0; j < 300; j++) {
    vendors.push(j < 250 ? { id: `v${j}`, name: `Vendor ${j}`, flows: [{ to: `v${250 + (j % 50)}`, categories: '*' }] }
      : { id: `v${j}`, name: `Vendor ${j}` });
  }
  fs.writeFileSync(file, JSON.stringify({ blastmap: 1, systems, vendors }));
}

const servers = [];
let context;
try {
  const acmeDb = path.join(tmp, 'acme.db');
  const hostileDb = path.join(tmp, 'hostile.db');
  importMap(path.join(sourceDir, 'datasets/acme-ai'), acmeDb);
  importMap(path.join(sourceDir, 'tests/web/fixtures/hostile'), hostileDb);
  const largeDb = path.join(tmp, 'large.db');
  writeLargeMap(path.join(tmp, 'large.json'));
  importMap(path.join(tmp, 'large.json'), largeDb);
  const acme = await serve(acmeDb);
  const hostile = await serve(hostileDb);
  const large = await serve(largeDb);
  const capped = await serve(acmeDb, ['--max-nodes', '2']);
  servers.push(acme.proc, hostile.proc, large.proc, capped.proc);

  context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1600, height: 1000 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] || (await context.newPage());
  // Generous: CI runs the sanitized server on two cores beside other tests, where loading the large map took
  // more than 10 s once (session 15); a wait still fails when what it waits for never comes.
  page.setDefaultTimeout(30000);
  const problems = [];
  const dialogs = [];
  page.on('pageerror', (err) => problems.push('page error: ' + err.message));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // A query that does not parse is answered 400 on purpose, and chromium logs every 4xx fetch.
    const expected = /status of 400/.test(msg.text()) && /\/api\/query$/.test(msg.location().url || '');
    if (!expected) problems.push('console: ' + msg.text());
  });
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  const ready = () => page.waitForSelector('body[data-ready="true"]');

  await check('loads the map of acme-ai', async () => {
    await page.goto(acme.url);
    await ready();
    const counts = await page.evaluate(() => ({ nodes: blastmap.cy.nodes().length, edges: blastmap.cy.edges().length }));
    assert(counts.nodes >= 90, `only ${counts.nodes} nodes drawn`);
    assert(counts.edges >= 200, `only ${counts.edges} edges drawn`);
    const status = await page.textContent('#status');
    assert(/snapshot \d+ · \d+ nodes/.test(status), `status line: ${status}`);
  });

  await check('search vendor:mix focuses Mixpanel and shows its panel', async () => {
    await page.fill('#search', 'vendor:mix');
    await page.waitForSelector('#suggestions li');
    await page.press('#search', 'Enter');
    await page.waitForFunction(() => document.querySelector('#node-title')?.textContent === 'Mixpanel');
    const selected = await page.evaluate(() => blastmap.cy.$(':selected').map((n) => n.id()));
    assert(selected.includes('mixpanel'), `selected: ${selected}`);
    const details = await page.textContent('#details');
    assert(details.includes('platform-web → mixpanel'), 'the flow in is not listed');
    assert(details.includes('datasets/acme-ai/systems/platform.yaml:14'), 'the flow has no file:line');
  });

  await check('simulate breach: panel lists the exposed categories, the rest is faded', async () => {
    await page.click('#simulate');
    await page.waitForSelector('#severity');
    const exposed = await page.$$eval('#exposed tr.exposed-row', (rows) => rows.map((r) => r.dataset.category));
    for (const c of ['user.name', 'user.contact.email', 'user.location.imprecise', 'user.device.browser_os',
      'user.behavior.referrer', 'user.unique_id', 'user.account.organization_id']) {
      assert(exposed.includes(c), `${c} missing from ${exposed}`);
    }
    const notExposed = await page.textContent('#not-exposed');
    assert(notExposed.includes('user.authorization.credentials'), 'credentials are not listed as not exposed');
    const classes = await page.evaluate(() => ({
      mixpanel: blastmap.cy.getElementById('mixpanel').hasClass('compromised'),
      faded: blastmap.cy.getElementById('okta').hasClass('faded'),
      leak: blastmap.cy.edges('.leak').length,
    }));
    assert(classes.mixpanel && classes.faded && classes.leak >= 1, JSON.stringify(classes));
    await page.screenshot({ path: path.join(ARTEFACTS, 'blastmap-mixpanel-breach.png') });
  });

  await check('what-if: switching user.contact.email off the flow shows the delta', async () => {
    const box = '#whatif input[data-category="user.contact.email"]';
    await page.waitForSelector(box);
    await page.uncheck(box);
    await page.waitForSelector('#delta');
    const delta = await page.textContent('#delta');
    assert(delta.includes('No longer exposed') && delta.includes('user.contact.email'), `delta: ${delta}`);
    const rows = await page.$$eval('#exposed tr.exposed-row', (r) => r.map((x) => x.dataset.category));
    assert(!rows.includes('user.contact.email'), 'email is still listed as exposed');
    assert(page.url().includes('drop='), `the URL does not hold the edit: ${page.url()}`);
    await page.screenshot({ path: path.join(ARTEFACTS, 'blastmap-whatif.png') });
  });

  await check('what-if: switching the whole flow off, then reset', async () => {
    await page.locator('#whatif .edge-toggle input').first().click();
    await page.waitForFunction(() => document.querySelector('#exposed') && !document.querySelector('#exposed tr'));
    const delta = await page.textContent('#delta');
    assert(delta.includes('exposed categories 7 → 0'), `delta: ${delta}`);
    await page.screenshot({ path: path.join(ARTEFACTS, 'blastmap-flow-off.png') });
    await page.click('#reset-whatif');
    await page.waitForFunction(() => !document.querySelector('#delta'));
    const rows = await page.$$eval('#exposed tr.exposed-row', (r) => r.length);
    assert(rows === 7, `${rows} exposed categories after reset`);
  });

  await check('the URL holds the view: a reload restores selection and simulation', async () => {
    const url = page.url();
    assert(url.includes('seed=mixpanel'), url);
    await page.goto('about:blank');
    await page.goto(url);
    await ready();
    await page.waitForSelector('#severity');
    const title = await page.textContent('#node-title');
    assert(title === 'Mixpanel', `title after reload: ${title}`);
  });

  await check('the ranking sorts by column and a row simulates that vendor', async () => {
    await page.waitForSelector('#rank-table tbody tr');
    await page.click('#rank-table th[data-key="name"]');
    const names = await page.$$eval('#rank-table tbody tr td:nth-child(2)', (tds) => tds.map((t) => t.textContent));
    const key = (s) => s.toLowerCase();
    const sorted = [...names].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    assert(JSON.stringify(names) === JSON.stringify(sorted), `not sorted by name: ${names.slice(0, 5)}`);
    await page.click('#rank-table th[data-key="severity"]');
    const scores = await page.$$eval('#rank-table tbody tr td:nth-child(3)', (tds) => tds.map((t) => parseFloat(t.textContent)));
    assert(scores.every((s, i) => i === 0 || scores[i - 1] >= s), `not sorted by severity: ${scores.slice(0, 5)}`);
    await page.click('#rank-table tbody tr[data-id="okta"]');
    await page.waitForFunction(() => document.querySelector('#breach h3')?.textContent.includes('Okta'));
    await page.screenshot({ path: path.join(ARTEFACTS, 'blastmap-okta-ranking.png') });
  });

  await check('paths between two nodes are listed and lit', async () => {
    await page.fill('#path-from', 'okta');
    await page.fill('#path-to', 'users-db');
    await page.click('#path-find');
    await page.waitForSelector('#path-results .path');
    const lit = await page.evaluate(() => blastmap.cy.edges('.path').length);
    assert(lit >= 1, 'no edge lit');
  });

  await check('filters by sensitivity and by category hide the other nodes', async () => {
    await page.selectOption('#f-sensitivity', 'restricted');
    let hidden = await page.evaluate(() => ({ mixpanel: blastmap.cy.getElementById('mixpanel').hasClass('hidden'),
      stripe: blastmap.cy.getElementById('stripe').hasClass('hidden') }));
    assert(hidden.mixpanel && !hidden.stripe, JSON.stringify(hidden));
    await page.selectOption('#f-sensitivity', '');
    await page.fill('#f-category', 'user.financial.credit_card');
    await page.press('#f-category', 'Enter');
    await page.waitForFunction(() => blastmap.cy.getElementById('mixpanel').hasClass('hidden'));
    const stripe = await page.evaluate(() => blastmap.cy.getElementById('stripe').hasClass('hidden'));
    assert(!stripe, 'stripe holds card data but is hidden');
    assert(page.url().includes('cat=user.financial.credit_card'), page.url());
    await page.fill('#f-category', '');
    await page.press('#f-category', 'Enter');
    await page.waitForFunction(() => !blastmap.cy.getElementById('mixpanel').hasClass('hidden'));
  });

  await check('SVG export downloads a drawing', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
    const file = path.join(ARTEFACTS, 'export.svg');
    await download.saveAs(file);
    const text = fs.readFileSync(file, 'utf8');
    assert(text.includes('<svg'), 'not an SVG');
  });

  await check('PNG export downloads an image', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
    const file = path.join(ARTEFACTS, 'export.png');
    await download.saveAs(file);
    const head = fs.readFileSync(file).subarray(0, 8);
    assert(head.toString('hex') === '89504e470d0a1a0a', 'not a PNG');
  });

  // The query box: the same evaluator as `blastmap query` (POST /api/query).
  const cliQuery = (text) => {
    const r = spawnSync(binary, ['query', '--db', acmeDb, '--format', 'json', '-e', text], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`blastmap query failed: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  const queryRows = () => page.$$eval('#query-results .query-result', (boxes) => boxes.map((b) => ({
    statement: b.dataset.statement,
    columns: [...b.querySelectorAll('thead th')].map((th) => th.textContent),
    rows: [...b.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent)),
  })));
  const runQueryBox = async (text) => {
    await page.fill('#query', text);
    await page.evaluate(() => { document.querySelector('#query-results').hidden = true; });
    await page.focus('#query');
    await page.keyboard.press('Control+Enter');
    await page.waitForFunction(() => !document.querySelector('#query-results').hidden ||
      !document.querySelector('#query-error').hidden);
  };

  await check('the query box runs a script with Ctrl+Enter and shows the rows of acme-ai', async () => {
    await page.goto(acme.url);
    await ready();
    const text = 'who holds user.financial.credit_card order by id show id, kind\n' +
      '# the worst compromises\nrank vendors by severity limit 3 show rank, id, level';
    await runQueryBox(text);
    assert(await page.isHidden('#query-error'), await page.textContent('#query-error'));
    const shown = await queryRows();
    assert(shown.length === 2, `${shown.length} results`);
    assert(JSON.stringify(shown[0].columns) === '["id","kind"]', `columns ${shown[0].columns}`);
    const holders = Object.fromEntries(shown[0].rows.map(([id, kind]) => [id, kind]));
    assert(holders.stripe === 'vendor' && holders.aws === 'vendor' && holders['billing-service'] === 'system',
      `card holders: ${JSON.stringify(holders)}`);
    assert(!('mixpanel' in holders), 'mixpanel listed as holding card data');
    // The same rows as the CLI prints for the same text, in the same order.
    const cli = cliQuery(text);
    for (let i = 0; i < 2; i++) {
      const expected = cli[i].rows.map((r) => cli[i].columns.map((c) =>
        (r[c] === null ? '' : Array.isArray(r[c]) ? r[c].join(', ') : String(r[c]))));
      assert(JSON.stringify(shown[i].rows) === JSON.stringify(expected),
        `statement ${i + 1}: ${JSON.stringify(shown[i].rows)} != CLI ${JSON.stringify(expected)}`);
    }
    assert(shown[1].rows.length === 3 && shown[1].rows[0][0] === '1', `ranking: ${JSON.stringify(shown[1].rows)}`);
    // The nodes the results name are lit on the map, the others faded; Clear highlight undoes it.
    const lit = await page.evaluate(() => ({ stripe: blastmap.cy.getElementById('stripe').hasClass('query-hit'),
      mixpanel: blastmap.cy.getElementById('mixpanel').hasClass('query-faded') }));
    assert(lit.stripe && lit.mixpanel, JSON.stringify(lit));
    assert(page.url().includes('q=who+holds'), `the URL does not hold the query: ${page.url()}`);
    await page.screenshot({ path: path.join(ARTEFACTS, 'blastmap-query.png') });
    await page.click('#query-clear');
    const after = await page.evaluate(() => blastmap.cy.elements('.query-hit, .query-faded').length);
    assert(after === 0, `${after} elements still lit`);
  });

  await check('a query in the URL runs again on reload; a row click lights its node', async () => {
    const url = page.url();
    await page.goto('about:blank');
    await page.goto(url);
    await ready();
    assert((await page.inputValue('#query')).startsWith('who holds user.financial.credit_card'), 'query text not restored');
    const shown = await queryRows();
    assert(shown.length === 2 && shown[0].rows.some((r) => r[0] === 'stripe'), `after reload: ${JSON.stringify(shown)}`);
    await page.click('#query-results .query-result:nth-child(3) tbody tr:first-child');
    const hit = await page.evaluate(() => blastmap.cy.nodes('.query-hit').map((n) => n.id()));
    const first = shown[1].rows[0][1];
    assert(hit.length === 1 && hit[0] === first, `row click lit ${hit}, expected ${first}`);
  });

  await check('a query error shows its LINE:COL with a caret under the column', async () => {
    await runQueryBox('vendors\n  where rol = analytics show id');
    const message = await page.textContent('#query-error .query-error-message');
    assert(message.startsWith("query:2:9: unknown column 'rol'") && message.includes("did you mean 'role'"), message);
    const caret = await page.$eval('#query-error .query-caret', (pre) => ({ text: pre.textContent, ...pre.dataset }));
    assert(caret.line === '2' && caret.col === '9', JSON.stringify(caret));
    const [source, marks] = caret.text.split('\n');
    const code = source.slice(source.indexOf('| ') + 2), under = marks.slice(marks.indexOf('| ') + 2);
    assert(code === '  where rol = analytics show id', `source line: ${source}`);
    assert(under.indexOf('^') === 8 && code.slice(under.indexOf('^')).startsWith('rol'), `caret: ${JSON.stringify(caret.text)}`);
    assert(await page.isHidden('#query-results'), 'stale results shown beside the error');
    await page.screenshot({ path: path.join(ARTEFACTS, 'blastmap-query-error.png') });
  });

  await check('every example query comes from docs/examples and runs on acme-ai', async () => {
    const norm = (t) => t.split('\n').map((l) => l.replace(/#.*/, '')).join(' ').replace(/\s+/g, ' ').trim();
    const docs = fs.readdirSync(path.join(sourceDir, 'docs/examples')).filter((f) => f.endsWith('.bmq'))
      .map((f) => norm(fs.readFileSync(path.join(sourceDir, 'docs/examples', f), 'utf8'))).join(' ');
    const options = await page.$$eval('#query-examples option', (os) => os.map((o) => o.value).filter(Boolean));
    assert(options.length >= 5, `${options.length} examples`);
    for (const value of options) {
      await page.evaluate(() => { document.querySelector('#query-results').hidden = true; });
      await page.selectOption('#query-examples', value);
      await page.waitForFunction(() => !document.querySelector('#query-results').hidden ||
        !document.querySelector('#query-error').hidden);
      const text = await page.inputValue('#query');
      assert(docs.includes(norm(text)), `example not in docs/examples: ${text}`);
      assert(await page.isHidden('#query-error'), `${text}: ${await page.textContent('#query-error')}`);
      const shown = await queryRows();
      assert(shown.length === 1 && shown[0].rows.length > 0, `${text}: no rows`);
    }
  });

  await check('no script errors and no CSP violations on the page', async () => {
    assert(problems.length === 0, problems.join(' | '));
  });

  await check('a node named <img src=x onerror=alert(1)> renders as text', async () => {
    await page.goto(hostile.url);
    await ready();
    await page.fill('#search', 'evil');
    await page.press('#search', 'Enter');
    await page.waitForSelector('#node-title');
    const title = await page.textContent('#node-title');
    assert(title === '<img src=x onerror=alert(1)>', `title: ${title}`);
    await page.click('#simulate');
    await page.waitForSelector('#severity');
    const breach = await page.textContent('#breach h3');
    assert(breach.includes('<img src=x onerror=alert(1)>'), `brief title: ${breach}`);
    const injected = await page.evaluate(() => document.querySelectorAll('main img, main script').length);
    assert(injected === 0, `${injected} injected elements`);
    assert(dialogs.length === 0, `a dialog opened: ${dialogs}`);
    await page.screenshot({ path: path.join(ARTEFACTS, 'blastmap-hostile.png') });
  });
  await check('hostile names in query results and errors render as text', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    await runQueryBox('nodes order by id show id, name, description');
    const rows = (await queryRows())[0].rows;
    const row = rows.find((r) => r[0] === 'evil-vendor');
    assert(row && row[1] === evil && row[2] === "<script>alert('description')</script>", JSON.stringify(rows));
    assert(rows.some((r) => r[1] === 'Shop <b>bold</b>'), 'the shop name is not shown as text');
    await runQueryBox(`blast '${evil}'`);
    const message = await page.textContent('#query-error');
    assert(message.includes(evil), `error: ${message}`);
    const injected = await page.evaluate(() => document.querySelectorAll('main img, main script').length +
      [...document.querySelectorAll('main b')].filter((b) => b.textContent === 'bold').length);
    assert(injected === 0, `${injected} injected elements`);
    assert(dialogs.length === 0, `a dialog opened: ${dialogs}`);
  });
  await check('a large map opens as an overview, and "render anyway" draws all of it', async () => {
    await page.goto(large.url);
    await ready();
    const overview = await page.evaluate(() => blastmap.cy.nodes().length);
    assert(overview < 1700 && overview > 100, `${overview} nodes in the overview`);
    assert(await page.isVisible('#banner'), 'no overview banner');
    await page.click('#render-all');
    await page.waitForFunction(() => blastmap.cy.nodes().length === 1700, null, { timeout: 30000 });
    assert(page.url().includes('all=1'), 'the URL does not remember "render anyway"');
    await page.screenshot({ path: path.join(ARTEFACTS, 'blastmap-large.png') });
  });
  await check('a brief cut by the server\'s --max-nodes says "showing N of M"; totals stay complete', async () => {
    await page.goto(capped.url + '#seed=okta');
    await ready();
    await page.waitForSelector('#truncated');
    const note = await page.textContent('#truncated');
    const m = /showing 2 of (\d+) nodes/.exec(note);
    assert(m && Number(m[1]) > 2, `note: ${note}`);
    const panel = await page.textContent('#breach');
    assert(panel.includes(`Reached (${m[1]})`) && panel.includes(`; ${m[1]} nodes reached.`), 'the totals are cut');
    await page.screenshot({ path: path.join(ARTEFACTS, 'blastmap-truncated.png') });
  });
} catch (err) {
  failed++;
  console.log(`FAIL setup: ${err && err.stack ? err.stack : err}`);
} finally {
  if (context) await context.close().catch(() => {});
  for (const p of servers) p.kill('SIGTERM');
  fs.rmSync(tmp, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
