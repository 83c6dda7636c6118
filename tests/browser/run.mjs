#!/usr/bin/env node
// Browser tests of accord-searchd's demo page (/) and embeddable search box
// (/widget.js) in headless Debian Chromium, driven by playwright-core.
//
//   node run.mjs ACCORD_SEARCHD INDEX_DIR [ACCORD_INDEX]
//
// INDEX_DIR is the sample corpus index. ACCORD_INDEX (default: the accord-index
// in ACCORD_SEARCHD's folder, as in <build>/bin) builds a small hostile corpus in a temp
// folder. Output is TAP; exit status 1 when any test fails.
// Environment: ACCORD_CHROMIUM (default /usr/bin/chromium), ACCORD_BROWSER_DEBUG=1
// (daemon stderr and browser console on stderr).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.ACCORD_CHROMIUM || '/usr/bin/chromium';
const DEBUG = !!process.env.ACCORD_BROWSER_DEBUG;
const WAIT = 15000; // ms for any single condition
const HOSTILE_TITLE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> hostileword';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// ---------------------------------------------------------------- TAP ----
let nTest = 0, nFail = 0;
const out = (s) => process.stdout.write(s + '\n');
function report(ok, name, diag) {
  nTest++;
  if (!ok) nFail++;
  out(`${ok ? 'ok' : 'not ok'} ${nTest} - ${name}`);
  if (!ok && diag) {
    out('  ---');
    // the message and where in run.mjs, not the whole stack
    const lines = String(diag).split('\n');
    const msg = lines.filter((l) => !/^\s+at /.test(l));
    const here = lines.find((l) => /^\s+at .*run\.mjs:\d+/.test(l));
    for (const line of [...msg.slice(0, 30), ...(here ? [here.trim()] : [])]) out('  # ' + line);
    out('  ...');
  }
}
// Runs fn; a thrown error fails the test with its message. Every step that waits on the page
// has its own timeout (WAIT), but some of Playwright's calls have none (newPage, evaluate,
// close): a test that has not ended after TEST_LIMIT fails, says whether each daemon still
// answers /health, and the run goes on, rather than hanging until ctest's timeout.
const TEST_LIMIT = 90000;
const daemons = [];
async function probeDaemons() {
  const lines = [];
  for (const d of daemons) {
    const t0 = Date.now();
    try {
      const r = await fetch(d.base + 'health', { signal: AbortSignal.timeout(5000) });
      lines.push(`${d.base}health: HTTP ${r.status} in ${Date.now() - t0} ms`);
    } catch (e) {
      lines.push(`${d.base}health: no answer (${e.name}) in ${Date.now() - t0} ms`);
    }
  }
  return lines.join('\n');
}
async function test(name, fn) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out: not ended after ${TEST_LIMIT / 1000} s`)), TEST_LIMIT);
  });
  try {
    await Promise.race([fn(), limit]);
    report(true, name);
  } catch (e) {
    let diag = e && e.stack ? e.stack : String(e);
    if (/^Error: timed out: not ended/.test(diag)) diag += '\n' + await probeDaemons();
    report(false, name, diag);
  } finally {
    clearTimeout(timer);
  }
}
// page.close() has no timeout of its own; a page that does not close in WAIT is left to the
// context's close at the end (noted, not a failure: the tests on it have passed or failed).
async function closePage(page) {
  const closed = await Promise.race([page.close().then(() => true, () => true), sleep(WAIT).then(() => false)]);
  if (!closed) out(`# a page did not close in ${WAIT / 1000} s: left to the browser's close`);
}
function assert(cond, msg) { if (!cond) throw new Error('assertion failed: ' + msg); }
function eq(a, b, msg) {
  if (a !== b) throw new Error(`${msg}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`);
}

// ------------------------------------------------------------- setup ----
const [SEARCHD, INDEX_DIR, INDEX_ARG] = process.argv.slice(2);
if (!SEARCHD || !INDEX_DIR) {
  process.stderr.write('usage: node run.mjs ACCORD_SEARCHD INDEX_DIR [ACCORD_INDEX]\n');
  process.exit(2);
}
const ACCORD_INDEX = INDEX_ARG || path.join(path.dirname(path.resolve(SEARCHD)), 'accord-index');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-browser-'));
const children = [];
const servers = [];
let context = null;

async function cleanup() {
  if (context) {
    const c = context;
    context = null;
    const closed = await Promise.race([c.close().then(() => true, () => true), sleep(WAIT).then(() => false)]);
    if (!closed) out(`# the browser did not close in ${WAIT / 1000} s`);
  }
  for (const s of servers) { try { s.close(); } catch { /* closed */ } }
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGTERM');
      await Promise.race([new Promise((r) => c.once('exit', r)), sleep(3000)]);
      if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    }
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => { cleanup().finally(() => process.exit(1)); });
}

// Starts accord-searchd on a free port; resolves {port, base, cors, proc}.
function startDaemonOnce(index, args) {
  return new Promise((resolve, reject) => {
    const proc = spawn(SEARCHD, ['--index', index, '--port', '0', ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(proc);
    let stdout = '', stderr = '', done = false;
    const timer = setTimeout(() => finish(new Error('accord-searchd did not print its address in 15 s')), 15000);
    function finish(err, port) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) { err.stderr = stderr; reject(err); } else resolve({ port, proc });
    }
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (d) => {
      stdout += d;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(stdout);
      if (m) finish(null, Number(m[1]));
    });
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (d) => { stderr += d; if (DEBUG) process.stderr.write('[searchd] ' + d); });
    proc.on('error', (e) => finish(e));
    proc.on('exit', (code, sig) => finish(new Error(`accord-searchd exited (${code ?? sig}): ${stderr.trim()}`)));
  });
}

async function startDaemon(index) {
  try {
    const d = await startDaemonOnce(index, ['--cors', '*']);
    return { ...d, cors: true, base: `http://127.0.0.1:${d.port}/` };
  } catch (e) {
    // an accord-searchd without --cors: go on without it (the cross-origin tests will fail)
    out(`# accord-searchd refused --cors '*' (${e.message.split('\n')[0]}); started without it`);
    const d = await startDaemonOnce(index, []);
    return { ...d, cors: false, base: `http://127.0.0.1:${d.port}/` };
  }
}

async function getJSON(url) {
  const r = await fetch(url);
  const body = await r.json();
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status} ${JSON.stringify(body)}`);
  return body;
}

// A page of another origin (another port) that embeds the widget of daemon API.
function hostPage(apiPort, withWidget) {
  const widget = withWidget ? `
<script src="http://127.0.0.1:${apiPort}/widget.js" data-accord-target="#box" data-placeholder="Search agreements" defer></script>
<script>
  document.addEventListener('DOMContentLoaded', function () {
    if (window.AccordWidget) window.AccordWidget.mount('#box2', { lang: 'fr', placeholder: 'Rechercher' });
  });
</script>` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Host page</title>
<link rel="icon" href="data:,">
<style>
  body { font-family: Georgia, serif; font-size: 17px; color: rgb(20, 30, 40); }
  .host-para { color: rgb(1, 2, 3); }
</style>
</head>
<body>
<h1>Some other site</h1>
<p class="host-para">Text of the host page, with <mark>its own mark</mark>.</p>
<form><input id="host-input" type="text" value="host"> <select id="host-select"><option>a</option></select></form>
<ul id="host-list" role="listbox"><li role="option">host option</li></ul>
<div id="box"></div>
<div id="box2"></div>
${widget}
</body>
</html>`;
}

function startHostServer() {
  return new Promise((resolve) => {
    const srv = http.createServer((req, res) => {
      const u = new URL(req.url, 'http://127.0.0.1');
      const api = Number(u.searchParams.get('api'));
      if (u.pathname === '/inline' && api > 0) {
        // no data-accord-target, no defer: the box goes right after the script tag
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
        res.end(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>inline</title>
<link rel="icon" href="data:,"></head><body><p id="before">before</p>
<script src="http://127.0.0.1:${api}/widget.js" data-lang="de"></script>
<p id="after">after</p></body></html>`);
        return;
      }
      if ((u.pathname === '/embed' || u.pathname === '/plain') && api > 0) {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
        res.end(hostPage(api, u.pathname === '/embed'));
        return;
      }
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
    });
    servers.push(srv);
    srv.listen(0, '127.0.0.1', () => resolve(srv.address().port));
  });
}

// Hostile corpus: a document whose title and body are markup, with a
// javascript: url, a markup type and a markup party (sidecar metadata).
function buildHostileIndex() {
  const dir = path.join(tmp, 'hostile-corpus');
  const db = path.join(tmp, 'hostile.db');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'hostile.txt'),
    `${HOSTILE_TITLE}\n${HOSTILE_TITLE}\n` +
    'Article 1 The parties agree that hostileword <b>bold</b> & "quoted" \'text\' ' +
    '</mark><mark onclick="window.__pwned=4">x</mark> <svg onload="window.__pwned=5">.\n');
  fs.writeFileSync(path.join(dir, 'hostile.txt.json'), JSON.stringify({
    language: 'en', date: '2020-01-01', url: 'javascript:window.__pwned=3',
    type: '<svg onload=window.__pwned=6>', parties: ['<img src=x onerror="window.__pwned=7">'],
  }));
  fs.writeFileSync(path.join(dir, 'plain.txt'),
    'An ordinary agreement on hostileword reduction\nArticle 1 The parties reduce hostileword emissions.\n');
  if (!fs.existsSync(ACCORD_INDEX)) throw new Error(`accord-index not found at ${ACCORD_INDEX} (3rd argument)`);
  const r = spawnSync(ACCORD_INDEX, ['--quiet', '--index', db, dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`accord-index failed (${r.status}): ${r.stderr}`);
  return db;
}

// -------------------------------------------------------- page helpers ----
// Collects console errors and uncaught exceptions of a page.
function watch(page, label) {
  const errors = [];
  page.on('console', (m) => {
    if (DEBUG) process.stderr.write(`[${label} console.${m.type()}] ${m.text()}\n`);
    if (m.type() === 'error') errors.push(`console.error: ${m.text()} (${m.location().url || ''})`);
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  return errors;
}

// The demo page has rendered the search of its URL (q=...) completely.
async function demoSettled(page, q) {
  await page.waitForFunction((want) => {
    const r = document.getElementById('results');
    const st = document.getElementById('status');
    return (new URLSearchParams(location.search).get('q') || '') === want &&
      !r.hasAttribute('aria-busy') && st.hasAttribute('data-total') && !/Searching/.test(st.textContent);
  }, q, { timeout: WAIT });
}

// The box is open with options; with q, they are those of the query q.
async function widgetOpen(page, box, q) {
  await page.waitForFunction(([sel, want]) => {
    const i = document.querySelector(sel + ' input[role="combobox"]');
    const root = document.querySelector(sel + ' .accord-widget');
    return i && i.getAttribute('aria-expanded') === 'true' &&
      (want == null || root.getAttribute('data-accord-query') === want) &&
      document.querySelectorAll(sel + ' [role="option"]').length > 0;
  }, [box, q ?? null], { timeout: WAIT });
}

async function comboState(page, box) {
  return page.evaluate((sel) => {
    const i = document.querySelector(sel + ' input[role="combobox"]');
    const opts = [...document.querySelectorAll(sel + ' [role="option"]')];
    return {
      expanded: i.getAttribute('aria-expanded'),
      active: i.getAttribute('aria-activedescendant'),
      controls: i.getAttribute('aria-controls'),
      autocomplete: i.getAttribute('aria-autocomplete'),
      listboxRole: document.getElementById(i.getAttribute('aria-controls'))?.getAttribute('role') ?? null,
      selected: opts.filter((o) => o.getAttribute('aria-selected') === 'true').map((o) => o.id),
      ids: opts.map((o) => o.id),
      kinds: opts.map((o) => (o.className.match(/accord-option-(\w+)/) || [])[1] || ''),
      live: document.querySelector(sel + ' [aria-live]')?.textContent ?? null,
    };
  }, box);
}

async function noActiveMarkup(page, scope) {
  return page.evaluate((sel) => {
    const root = document.querySelector(sel);
    const bad = [...root.querySelectorAll('script, img, svg, iframe, object, embed, b')]
      .map((e) => e.outerHTML.slice(0, 80));
    for (const e of root.querySelectorAll('*')) {
      for (const a of e.attributes) {
        if (/^on/i.test(a.name)) bad.push(`${e.tagName} ${a.name}`);
        if ((a.name === 'href' || a.name === 'src') && /^\s*javascript:/i.test(a.value)) bad.push(`${e.tagName} ${a.name}=${a.value}`);
      }
    }
    return bad;
  }, scope);
}

const COMPARE_PROPS = ['font-family', 'font-size', 'color', 'background-color', 'margin-top', 'padding-top',
  'padding-left', 'border-top-width', 'border-top-style', 'box-sizing', 'display', 'line-height', 'position'];
async function hostStyles(page) {
  return page.evaluate((props) => {
    const sels = ['body', 'h1', '.host-para', 'mark', '#host-input', '#host-select', '#host-list', '#host-list li', 'form'];
    const o = {};
    for (const s of sels) {
      const cs = getComputedStyle(document.querySelector(s));
      o[s] = props.map((p) => `${p}:${cs.getPropertyValue(p)}`).join(';');
    }
    return o;
  }, COMPARE_PROPS);
}

// Every selector of widget.css must be scoped under .accord-widget.
function unscopedSelectors(css) {
  const bad = [];
  css = css.replace(/\/\*[\s\S]*?\*\//g, '');
  const re = /([^{}]+)\{/g;
  let m;
  while ((m = re.exec(css))) {
    const sel = m[1].trim();
    if (!sel || sel.startsWith('@') || /^(from|to|\d+%)$/.test(sel)) continue;
    for (const part of sel.split(',')) {
      if (!/^\.accord-widget(?![\w-])/.test(part.trim())) bad.push(part.trim());
    }
  }
  return bad;
}

// ------------------------------------------------------------- tests ----
async function main() {
  out('TAP version 13');
  if (!fs.existsSync(CHROMIUM)) {
    out(`Bail out! Chromium not found at ${CHROMIUM} (apt-get install -y chromium, or set ACCORD_CHROMIUM)`);
    return 1;
  }

  const A = await startDaemon(INDEX_DIR);
  daemons.push(A);
  out(`# accord-searchd on the sample index: ${A.base}${A.cors ? ' (--cors *)' : ''}`);
  let B = null, hostileError = null;
  try {
    B = await startDaemon(buildHostileIndex());
    daemons.push(B);
    out(`# accord-searchd on the hostile index: ${B.base}`);
  } catch (e) {
    hostileError = e;
  }
  const hostPort = await startHostServer();
  const host = `http://127.0.0.1:${hostPort}/`;
  out(`# host page of another origin: ${host}`);

  context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS,
    viewport: { width: 1200, height: 900 }, locale: 'en-US',
  });
  context.setDefaultTimeout(WAIT);
  out(`# chromium ${context.browser()?.version() ?? ''}`.trimEnd());

  // ---------------------------------------------- 1. demo page ----
  {
    const page = await context.newPage();
    const errors = watch(page, 'demo');
    let ok = true;
    const t = async (name, fn) => test(name, async () => {
      if (!ok) throw new Error('skipped: an earlier demo page step failed');
      try { await fn(); } catch (e) { ok = false; throw e; }
    });

    await t('demo page: loads, footer shows /health counts', async () => {
      const r = await page.goto(A.base, { waitUntil: 'load' });
      eq(r.status(), 200, 'HTTP status of /');
      const health = await getJSON(A.base + 'health');
      await page.waitForFunction(() => /\d+ documents? indexed/.test(document.getElementById('health').textContent));
      const txt = await page.textContent('#health');
      assert(txt.includes(String(health.documents)), `footer "${txt}" shows ${health.documents}`);
    });

    let climateTotal = 0;
    await t('demo page: typing "climate" shows results and the total', async () => {
      await demoSettled(page, '');
      await page.locator('#q').pressSequentially('climate', { delay: 40 });
      await demoSettled(page, 'climate');
      const api = await getJSON(A.base + 'search?q=climate&limit=0');
      climateTotal = api.total;
      assert(climateTotal > 0, 'the sample corpus has climate documents');
      const n = await page.locator('#results li.result').count();
      eq(n, Math.min(10, climateTotal), 'results shown');
      const status = await page.textContent('#status');
      assert(new RegExp(`\\b${climateTotal} results?\\b`).test(status), `status "${status}" has the total ${climateTotal}`);
      const firstTitle = await page.locator('#results li.result .title').first().textContent();
      assert(firstTitle.trim().length > 0, 'a result has a title');
      assert(await page.locator('#results mark').count() > 0, 'snippets are highlighted with <mark>');
    });

    let langValue = '', langCount = 0;
    await t('demo page: facets lang, type, topic, year, party with counts; year histogram', async () => {
      for (const f of ['lang', 'type', 'topic', 'year', 'party']) {
        const vals = await page.$$eval(`#facet-${f} .facet-value`, (bs) => bs.map((b) => ({
          value: b.getAttribute('data-value'), count: Number(b.querySelector('.count').textContent),
        })));
        assert(vals.length > 0, `facet ${f} has values`);
        assert(vals.every((v) => v.value && v.count > 0), `facet ${f} values have counts: ${JSON.stringify(vals)}`);
        if (f === 'lang') {
          // take a language that is not every result's, so the filter visibly narrows
          const pick = vals.find((v) => v.count < climateTotal) || vals[0];
          langValue = pick.value; langCount = pick.count;
        }
      }
      assert(await page.isVisible('#histogram'), 'histogram shown');
      assert(await page.locator('#bars .bar:not(.zero)').count() > 0, 'histogram has bars');
    });

    await t(`demo page: clicking a language facet value filters the results`, async () => {
      await page.click(`#facet-lang .facet-value[data-value="${langValue}"]`);
      await page.waitForFunction((l) => new URLSearchParams(location.search).get('lang') === l, langValue);
      await demoSettled(page, 'climate');
      const langs = await page.$$eval('#results li.result', (lis) => lis.map((li) => li.getAttribute('data-lang')));
      assert(langs.length > 0, 'results after filtering');
      assert(langs.every((l) => l === langValue), `every result is ${langValue}: ${langs}`);
      eq(Number(await page.getAttribute('#status', 'data-total')), langCount, 'total equals the facet count');
      eq(await page.getAttribute(`#facet-lang .facet-value[data-value="${langValue}"]`, 'aria-pressed'), 'true', 'facet value pressed');
      eq(await page.inputValue('#lang'), langValue, 'language select follows the facet');
      const chips = await page.$$eval('#chips .chip', (cs) => cs.map((c) => c.textContent));
      eq(chips.length, 1, 'one filter chip');
    });

    await t('demo page: removing the chip clears the filter; URL state restores on reload', async () => {
      await page.click('#chips .chip button');
      await page.waitForFunction(() => !new URLSearchParams(location.search).get('lang'));
      await demoSettled(page, 'climate');
      eq(Number(await page.getAttribute('#status', 'data-total')), climateTotal, 'total without the filter');
      await page.goto(`${A.base}?q=climate&type=resolution&sort=newest`);
      await demoSettled(page, 'climate');
      eq(await page.inputValue('#q'), 'climate', 'query from the URL');
      eq(await page.inputValue('#sort'), 'newest', 'sort from the URL');
      const types = await page.$$eval('#results li.result .meta', (ms) => ms.map((m) => m.textContent));
      assert(types.length > 0 && types.every((m) => /resolution/.test(m)), `all resolutions: ${types}`);
    });

    await t('demo page: commitments as facets, a target-year histogram, the hit\'s commitment and the document\'s list', async () => {
      await page.goto(`${A.base}?target=netzero`);
      await page.waitForFunction(() => document.querySelector('#results li.result'));
      await page.waitForFunction(() => document.querySelector('#results')?.getAttribute('aria-busy') !== 'true');
      const api = await getJSON(A.base + 'search?target=netzero&limit=10');
      eq(await page.locator('#results li.result').count(), Math.min(10, api.total), 'results of target=netzero');
      eq(await page.getAttribute('#facet-target .facet-value[data-value="netzero"]', 'aria-pressed'), 'true',
        'the commitment facet value is pressed');
      const lines = await page.$$eval('#results li.result .commitment', (ps) => ps.map((p) => p.textContent));
      eq(lines.length, api.hits.length, 'every hit shows its commitment');
      assert(lines.every((l) => /Net zero/.test(l) && /by \d{4}/.test(l)), `commitment lines: ${lines}`);
      assert(await page.isVisible('#thistogram'), 'target-year histogram shown');
      const bar = page.locator('#tbars .bar:not(.zero)').first();
      await bar.click();
      await page.waitForFunction(() => /^\d{4}$/.test(new URLSearchParams(location.search).get('target_year') || ''));
      const ty = await page.evaluate(() => new URLSearchParams(location.search).get('target_year'));
      const inYear = await getJSON(A.base + 'search?target=netzero&target_year=' + ty + '&limit=10');
      await page.waitForFunction(([y, n]) => {
        const ps = [...document.querySelectorAll('#results li.result .commitment')];
        return ps.length === n && ps.every((p) => p.textContent.includes('by ' + y));
      }, [ty, inYear.hits.length], { timeout: WAIT });
      const years = await page.$$eval('#results li.result .commitment', (ps) => ps.map((p) => p.textContent));
      assert(years.length > 0 && years.every((l) => l.includes('by ' + ty)), `all by ${ty}: ${years}`);
      const id = 'de-klimaschutzvertrag-stadt';
      await page.goto(`${A.base}?target=netzero&target_year=2035`);
      await page.waitForSelector(`#results li.result[data-id="${id}"]`);
      await page.click(`#results li.result[data-id="${id}"] details.fulltext summary`);
      await page.waitForSelector(`#results li.result[data-id="${id}"] .doc-commitments li`);
      const items = await page.$$eval(`#results li.result[data-id="${id}"] .doc-commitments li`, (ls) => ls.map((l) => l.textContent));
      assert(items.some((x) => /by 2035/.test(x) && /klimaneutral/.test(x)), `document commitments: ${items}`);
    });

    await t('demo page: "group language versions" sets collapse=1 and lists "Also in"', async () => {
      await page.goto(`${A.base}?q=paris`);
      await demoSettled(page, 'paris');
      const api = await getJSON(A.base + 'search?q=paris&collapse=1&limit=10');
      const withVersions = api.hits.filter((h) => h.versions && h.versions.length);
      assert(withVersions.length > 0, 'the sample corpus groups versions for "paris"');
      await page.check('#collapse');
      await page.waitForFunction(() => new URLSearchParams(location.search).get('collapse') === '1');
      await demoSettled(page, 'paris');
      const also = await page.locator(`#results li.result[data-id="${withVersions[0].id}"] .also`).textContent();
      for (const v of withVersions[0].versions) assert(also.includes(v.lang), `"${also}" names ${v.lang}`);
    });

    await t('demo page: "Full text" shows the document from /doc/ID', async () => {
      const id = await page.getAttribute('#results li.result', 'data-id');
      const doc = await getJSON(A.base + 'doc/' + encodeURIComponent(id));
      await page.click(`#results li.result[data-id="${id}"] details.fulltext summary`);
      await page.waitForFunction((i) => {
        const b = document.querySelector(`#results li.result[data-id="${i}"] .doc-text`);
        return b && !/^Loading/.test(b.textContent);
      }, id);
      const text = await page.textContent(`#results li.result[data-id="${id}"] .doc-text`);
      eq(text, doc.text, 'document text');
    });

    await t('demo page: "did you mean" link from the suggestion', async () => {
      await page.goto(`${A.base}?q=climte`);
      await demoSettled(page, 'climte');
      const api = await getJSON(A.base + 'search?q=climte&limit=0');
      assert(api.suggestion, 'the daemon suggests something for "climte"');
      await page.click('#dym a');
      await demoSettled(page, api.suggestion);
      eq(await page.inputValue('#q'), api.suggestion, 'query replaced by the suggestion');
    });

    await test('demo page: no console errors', async () => {
      assert(errors.length === 0, errors.join('\n'));
    });
    await closePage(page);
  }

  // ----------------------------------- 2. widget on another origin ----
  {
    const page = await context.newPage();
    const errors = watch(page, 'widget');
    let ok = true;
    const t = async (name, fn) => test(name, async () => {
      if (!ok) throw new Error('skipped: an earlier widget step failed');
      try { await fn(); } catch (e) { ok = false; throw e; }
    });
    const box = '#box';

    await t('widget.css: every rule is scoped under .accord-widget', async () => {
      const r = await fetch(A.base + 'widget.css');
      eq(r.status, 200, 'HTTP status of /widget.css');
      assert(/^text\/css/.test(r.headers.get('content-type') || ''), `content type ${r.headers.get('content-type')}`);
      const bad = unscopedSelectors(await r.text());
      assert(bad.length === 0, 'unscoped selectors: ' + bad.join(' | '));
      const js = await fetch(A.base + 'widget.js');
      eq(js.status, 200, 'HTTP status of /widget.js');
      assert(/javascript/.test(js.headers.get('content-type') || ''), `content type ${js.headers.get('content-type')}`);
    });

    let plainStyles = null;
    await t('widget: mounts on a page of another origin with an accessible combobox', async () => {
      await page.goto(`${host}plain?api=${A.port}`);
      plainStyles = await hostStyles(page);
      await page.goto(`${host}embed?api=${A.port}`);
      await page.waitForSelector(`${box} input[role="combobox"]`);
      await page.waitForFunction(() => {
        const p = document.querySelector('#box .accord-popup');
        return p && getComputedStyle(p).position === 'absolute'; // widget.css applied
      });
      const s = await comboState(page, box);
      eq(s.expanded, 'false', 'aria-expanded before typing');
      eq(s.autocomplete, 'list', 'aria-autocomplete');
      eq(s.listboxRole, 'listbox', 'aria-controls points to the listbox');
      const ph = await page.getAttribute(`${box} input`, 'placeholder');
      eq(ph, 'Search agreements', 'data-placeholder');
      const label = await page.evaluate(() => {
        const i = document.querySelector('#box input');
        return i.labels && i.labels[0] ? i.labels[0].textContent : '';
      });
      assert(label.trim(), 'the input has a label');
      const classes = await page.$$eval('#box *', (els) => els.flatMap((e) => [...e.classList]));
      assert(classes.length && classes.every((c) => c.startsWith('accord-')), 'class names prefixed accord-: ' +
        classes.filter((c) => !c.startsWith('accord-')).join(' '));
    });

    await t('widget: no style leaks into the host page', async () => {
      const after = await hostStyles(page);
      for (const k of Object.keys(plainStyles)) eq(after[k], plainStyles[k], `computed style of ${k}`);
    });

    await t('widget: typing shows suggestions and results in one listbox, and announces the count', async () => {
      await page.locator(`${box} input`).pressSequentially('climat', { delay: 40 });
      await widgetOpen(page, box, 'climat');
      await page.waitForFunction(() => /\d+ results?/.test(document.querySelector('#box [aria-live]').textContent));
      const s = await comboState(page, box);
      const api = await getJSON(A.base + 'search?q=climat&limit=8&facets=topic,lang');
      const results = await page.$$eval('#box .accord-option-result', (os) => os.map((o) => o.getAttribute('data-id')));
      eq(JSON.stringify(results), JSON.stringify(api.hits.map((h) => h.id)), 'result options = /search hits');
      assert(s.active === null, 'no active option yet');
      assert(s.live.includes(`${api.total} result`), `live region "${s.live}" has ${api.total}`);
      assert(await page.locator('#box .accord-result-snippet mark').count() > 0, 'highlighted snippets');
      // /suggest answers, less the query itself and titles already among the results
      const sugg = await getJSON(A.base + 'suggest?q=climat&limit=8');
      const ids = new Set(api.hits.map((h) => h.id));
      const want = sugg.suggestions.filter((x) => x.text.toLowerCase() !== 'climat' &&
        !(x.kind === 'title' && ids.has(x.id))).slice(0, 6).map((x) => x.text);
      const got = await page.$$eval('#box .accord-option-suggestion .accord-suggestion-text', (os) => os.map((o) => o.textContent));
      eq(JSON.stringify(got), JSON.stringify(want), 'suggestion options');
      assert(want.length > 0, 'the sample corpus has completions of "climat"');
      eq(s.kinds.indexOf('suggestion'), 0, 'suggestions come first');
    });

    await t('widget: ArrowDown/ArrowUp move aria-activedescendant and aria-selected; Escape closes', async () => {
      const input = page.locator(`${box} input`);
      await input.press('ArrowDown');
      let s = await comboState(page, box);
      eq(s.active, s.ids[0], 'ArrowDown activates the first option');
      eq(JSON.stringify(s.selected), JSON.stringify([s.ids[0]]), 'only it is aria-selected');
      await input.press('ArrowDown');
      s = await comboState(page, box);
      eq(s.active, s.ids[1], 'second ArrowDown activates the second option');
      eq(JSON.stringify(s.selected), JSON.stringify([s.ids[1]]), 'aria-selected moved');
      await input.press('ArrowUp');
      s = await comboState(page, box);
      eq(s.active, s.ids[0], 'ArrowUp goes back');
      await input.press('Escape');
      s = await comboState(page, box);
      eq(s.expanded, 'false', 'aria-expanded after Escape');
      eq(s.active, null, 'no aria-activedescendant after Escape');
      eq(s.selected.length, 0, 'no aria-selected option after Escape');
      assert(!(await page.isVisible('#box .accord-popup')), 'popup hidden');
      eq(await input.inputValue(), 'climat', 'Escape with the list open keeps the text');
      await input.press('ArrowDown');
      s = await comboState(page, box);
      eq(s.expanded, 'true', 'ArrowDown reopens');
      await input.press('Escape');
    });

    await t('widget: filters are selects filled from the facets; a second instance works with its own ids', async () => {
      const langs = await page.$$eval('#box select.accord-lang option', (os) => os.map((o) => o.value));
      const topics = await page.$$eval('#box select.accord-topic option', (os) => os.map((o) => o.value));
      assert(langs.length > 2 && langs[0] === '', `language options: ${langs}`);
      assert(topics.length > 2 && topics[0] === '', `topic options: ${topics}`);
      const pick = langs.find((l) => l === 'en') || langs[1];
      await page.selectOption('#box select.accord-lang', pick);
      await widgetOpen(page, box);
      await page.waitForFunction((l) => {
        const r = [...document.querySelectorAll('#box .accord-option-result')];
        return r.length && r.every((o) => o.getAttribute('data-lang') === l);
      }, pick);
      await page.selectOption('#box select.accord-lang', '');
      await page.locator('#box input').press('Escape');
      // #box2: mounted by AccordWidget.mount('#box2', {lang: 'fr'})
      await page.waitForSelector('#box2 input[role="combobox"]');
      const ids = await page.evaluate(() => [...document.querySelectorAll('input[role="combobox"]')].map((i) => i.id));
      eq(ids.length, 2, 'two comboboxes');
      assert(ids[0] !== ids[1], 'distinct ids');
      await page.waitForFunction(() => document.querySelector('#box2 select.accord-lang').value === 'fr');
      await page.locator('#box2 input').pressSequentially('eau', { delay: 30 });
      await widgetOpen(page, '#box2', 'eau');
      const l2 = await page.$$eval('#box2 .accord-option-result', (os) => os.map((o) => o.getAttribute('data-lang')));
      assert(l2.length && l2.every((l) => l === 'fr'), `second box searches French only: ${l2}`);
      eq(await page.getAttribute('#box input', 'aria-expanded'), 'false', 'the first box stays closed');
      await page.locator('#box2 input').press('Escape');
    });

    await t('widget: a slow stale response never overwrites a newer one', async () => {
      // "wat" is held back; "water" (typed after) must be what stays on screen
      await page.route(/\/search\?/, async (route) => {
        const q = new URL(route.request().url()).searchParams.get('q');
        if (q === 'wat') await sleep(1500);
        try { await route.continue(); } catch { /* aborted by the widget */ }
      });
      const input = page.locator(`${box} input`);
      await input.fill('');
      await input.pressSequentially('wat', { delay: 20 });
      await sleep(400); // the debounced "wat" request is in flight
      await input.pressSequentially('er', { delay: 20 });
      const api = await getJSON(A.base + 'search?q=water&limit=8&facets=topic,lang');
      await page.waitForFunction((id) => {
        const o = document.querySelector('#box .accord-option-result');
        return o && o.getAttribute('data-id') === id;
      }, api.hits[0].id);
      await sleep(1700); // the held "wat" answer would have arrived by now
      const first = await page.getAttribute('#box .accord-option-result', 'data-id');
      eq(first, api.hits[0].id, 'first result is still the one for "water"');
      eq(await page.getAttribute('#box .accord-widget', 'data-accord-total'), String(api.total), 'total for "water"');
      await page.unroute(/\/search\?/);
    });

    await test('widget: no console errors on the host page', async () => {
      assert(errors.length === 0, errors.join('\n'));
    });

    await t('widget: Enter on a result opens BASE/doc/ID', async () => {
      const input = page.locator(`${box} input`);
      await input.fill('');
      await input.pressSequentially('climate', { delay: 20 });
      await widgetOpen(page, box, 'climate');
      const s = await comboState(page, box);
      const k = s.kinds.indexOf('result');
      for (let i = 0; i <= k; i++) await input.press('ArrowDown');
      const id = await page.getAttribute(`#${(await comboState(page, box)).active}`, 'data-id');
      const req = page.waitForRequest((r) => r.isNavigationRequest() && r.url().includes('/doc/'));
      await input.press('Enter');
      eq((await req).url(), `${A.base}doc/${encodeURIComponent(id)}`, 'navigation target');
      await page.waitForURL(/\/doc\//); // closing a page in mid-navigation is not what is tested
    });
    await closePage(page);
  }

  await test('widget: without data-accord-target the box follows the script tag; data-lang applies', async () => {
    const page = await context.newPage();
    const errors = watch(page, 'widget-inline');
    try {
      await page.goto(`${host}inline?api=${A.port}`);
      await page.waitForSelector('input[role="combobox"]');
      const where = await page.evaluate(() => {
        const s = document.querySelector('script[src$="widget.js"]');
        const n = s.nextElementSibling;
        return { next: n && n.className, inner: !!(n && n.querySelector('.accord-widget')),
          after: n && n.nextElementSibling && n.nextElementSibling.id };
      });
      eq(JSON.stringify(where), JSON.stringify({ next: 'accord-host', inner: true, after: 'after' }), 'placement');
      await page.waitForFunction(() => document.querySelector('select.accord-lang').options.length > 2);
      eq(await page.inputValue('select.accord-lang'), 'de', 'data-lang preselects the language');
      await page.locator('input[role="combobox"]').pressSequentially('wasser', { delay: 20 });
      await widgetOpen(page, 'body', 'wasser');
      const langs = await page.$$eval('.accord-option-result', (os) => os.map((o) => o.getAttribute('data-lang')));
      assert(langs.length && langs.every((l) => l === 'de'), `German results only: ${langs}`);
      assert(errors.length === 0, errors.join('\n'));
    } finally {
      await closePage(page);
    }
  });

  // ------------------------------------ 3. a hostile document is inert ----
  if (!B) {
    await test('hostile document: index and daemon', async () => { throw hostileError; });
  } else {
    const pwned = (page) => page.evaluate(() => window.__pwned);
    {
      const page = await context.newPage();
      const errors = watch(page, 'demo-hostile');
      await test('hostile document: inert on the demo page, title shown literally', async () => {
        await page.goto(B.base);
        await demoSettled(page, '');
        await page.locator('#q').pressSequentially('hostileword', { delay: 20 });
        await demoSettled(page, 'hostileword');
        await sleep(500); // let any onerror/onload fire
        eq(await pwned(page), undefined, 'window.__pwned');
        const title = page.locator('#results li.result[data-id="hostile"] .title');
        eq(await title.textContent(), HOSTILE_TITLE, 'title text');
        assert(await title.isVisible(), 'title visible');
        const bad = await noActiveMarkup(page, '.layout');
        assert(bad.length === 0, 'active markup in the page: ' + bad.join(' | '));
        const href = await page.getAttribute('#results li.result[data-id="hostile"] .title a', 'href');
        eq(href, 'doc/hostile', 'a javascript: url is not linked');
        const typeVals = await page.$$eval('#facet-type .facet-value .label', (ls) => ls.map((l) => l.textContent));
        assert(typeVals.includes('<svg onload=window.__pwned=6>'), `type facet literal: ${typeVals}`);
        const snippet = await page.textContent('#results li.result[data-id="hostile"] .snippet');
        assert(snippet.includes('<script>window.__pwned=1</script>'), `snippet text literal: ${snippet}`);
      });
      await test('hostile document: a snippet with raw markup is escaped by the demo page', async () => {
        await page.route(/\/search\?/, async (route) => {
          const r = await route.fetch();
          const body = await r.json();
          for (const h of body.hits || []) h.snippet = '<img src=x onerror="window.__pwned=8"><mark>hostileword</mark> &amp; <b>b</b>';
          await route.fulfill({ response: r, json: body });
        });
        await page.goto(`${B.base}?q=hostileword&page=1&sort=newest`);
        await demoSettled(page, 'hostileword');
        await sleep(500);
        eq(await pwned(page), undefined, 'window.__pwned');
        const sn = page.locator('#results li.result[data-id="hostile"] .snippet');
        eq(await sn.textContent(), '<img src=x onerror="window.__pwned=8">hostileword &amp; <b>b</b>', 'snippet text');
        eq(await sn.locator('mark').count(), 1, 'the <mark> stays a tag');
        const bad = await noActiveMarkup(page, '#results');
        assert(bad.length === 0, 'active markup: ' + bad.join(' | '));
        await page.unroute(/\/search\?/);
      });
      await test('hostile document: no console errors on the demo page', async () => {
        assert(errors.length === 0, errors.join('\n'));
      });
      await closePage(page);
    }
    {
      const page = await context.newPage();
      const errors = watch(page, 'widget-hostile');
      await test('hostile document: inert in the widget, title shown literally', async () => {
        await page.goto(`${host}embed?api=${B.port}`);
        await page.waitForSelector('#box input[role="combobox"]');
        await page.locator('#box input').pressSequentially('hostileword', { delay: 20 });
        await widgetOpen(page, '#box', 'hostileword');
        await page.waitForSelector('#box .accord-option-result[data-id="hostile"]');
        await sleep(500);
        eq(await pwned(page), undefined, 'window.__pwned');
        const title = page.locator('#box .accord-option-result[data-id="hostile"] .accord-result-title');
        eq(await title.textContent(), HOSTILE_TITLE, 'title text');
        assert(await title.isVisible(), 'title visible');
        const bad = await noActiveMarkup(page, '#box');
        assert(bad.length === 0, 'active markup in the widget: ' + bad.join(' | '));
        const topics = await page.$$eval('#box select option', (os) => os.map((o) => o.textContent));
        assert(topics.some((t) => t.startsWith('English')), `language select filled: ${topics}`);
      });
      await test('hostile document: a snippet with raw markup is escaped by the widget', async () => {
        await page.route(/\/search\?/, async (route) => {
          const r = await route.fetch();
          const body = await r.json();
          for (const h of body.hits || []) h.snippet = '<img src=x onerror="window.__pwned=9"><mark>hostileword</mark> <b>b</b>';
          await route.fulfill({ response: r, json: body });
        });
        const input = page.locator('#box input');
        await input.press('Escape');
        await input.fill('');
        await input.pressSequentially('hostileword', { delay: 20 });
        await widgetOpen(page, '#box');
        await page.waitForFunction(() => {
          const s = document.querySelector('#box .accord-option-result[data-id="hostile"] .accord-result-snippet');
          return s && s.textContent.startsWith('<img');
        });
        await sleep(500);
        eq(await pwned(page), undefined, 'window.__pwned');
        const sn = page.locator('#box .accord-option-result[data-id="hostile"] .accord-result-snippet');
        eq(await sn.textContent(), '<img src=x onerror="window.__pwned=9">hostileword <b>b</b>', 'snippet text');
        eq(await sn.locator('mark').count(), 1, 'the <mark> stays a tag');
        await page.unroute(/\/search\?/);
      });
      await test('hostile document: no console errors in the widget', async () => {
        assert(errors.length === 0, errors.join('\n'));
      });
      await test('hostile document: Enter on it opens BASE/doc/hostile, not its javascript: url', async () => {
        const input = page.locator('#box input');
        const s = await comboState(page, '#box');
        const k = s.ids.indexOf(await page.getAttribute('#box .accord-option-result[data-id="hostile"]', 'id'));
        assert(k >= 0, 'hostile result option');
        for (let i = 0; i <= k; i++) await input.press('ArrowDown');
        const req = page.waitForRequest((r) => r.isNavigationRequest() && r.url().includes('/doc/'));
        await input.press('Enter');
        eq((await req).url(), `${B.base}doc/hostile`, 'navigation target');
        await sleep(200);
        const v = await page.evaluate(() => window.__pwned).catch(() => undefined);
        eq(v, undefined, 'window.__pwned');
      });
      await closePage(page);
    }
  }
  return nFail ? 1 : 0;
}

let code = 1;
try {
  code = await main();
} catch (e) {
  report(false, 'harness', e && e.stack ? e.stack : String(e));
  code = 1;
}
out(`1..${nTest}`);
out(`browser: ${nTest - nFail} passed, ${nFail} failed`);
await cleanup();
process.exit(code || (nFail ? 1 : 0));
