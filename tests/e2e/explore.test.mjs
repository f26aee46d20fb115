// End-to-end tests of the explore view (issue 7) on the release build in dist/: archives from
// ../shared/corpus/images read by the worker, checked against their .truth.json files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { startServer, launch, openPage, dropFiles, artifacts, shared, latinWords as latinWordsIn } from './harness.mjs';

const images = path.join(shared, 'corpus/images');
const haveCorpus = fs.existsSync(images);
let server; let browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const truthOf = (file) => JSON.parse(fs.readFileSync(`${file}.truth.json`, 'utf8'));

// Load one archive through the file picker and wait until it is read (or failed).
async function load(page, file) {
  await page.setInputFiles('#file-picker', file);
  await page.waitForFunction(() => !document.querySelector('[data-testid=progress]')
    && (document.querySelector('[data-testid=image-item]') || document.querySelector('[data-testid=load-error]')), null, { timeout: 60000 });
}

async function selectLayer(page, n) {
  await page.click(`[data-testid=layer-block][title^="layer ${n}:"]`);
  await page.waitForFunction((n) => document.querySelector('#pane-tree-title')?.textContent === `File tree — layer ${n}`, n);
}

// One archive per distinct format the reader knows.
const FORMATS = [
  'app/app.docker20.save.tar', // docker save, legacy layout
  'app/app.docker20.save.tar.gz', // the same, whole-archive gzip
  'app/app.docker26.save.tar', // docker save, OCI layout + manifest.json
  'app/app.docker26c.save.tar', // containerd image store, with attestations
  'app/app.buildah.skopeo-docker-archive.tar', // skopeo docker-archive
  'app/app.buildah.skopeo-oci-archive-gzip.tar', // OCI archive, gzip layers
  'app/app.buildah.skopeo-oci-archive-zstd.tar', // OCI archive, zstd layers
  'app/app.buildah.skopeo-oci-archive-uncompressed.tar', // OCI archive, plain layers
  'app/app.buildah.skopeo-oci-layout-dir.tar', // tarred OCI layout directory
  'multi/multi.docker20.save-3-refs.tar', // several tags
];

test('every format: as many layers and history rows as the truth', { skip: !haveCorpus && 'no ../shared corpus' }, async () => {
  const { page, context, errors, foreign } = await openPage(browser, server.origin);
  for (const rel of FORMATS) {
    const file = path.join(images, rel);
    if (!fs.existsSync(file)) continue;
    await page.reload();
    await page.waitForSelector('.app');
    await load(page, file);
    assert.equal(await page.$('[data-testid=load-error]'), null, `${rel}: ${await page.textContent('[data-testid=status]')}`);
    const truth = truthOf(file);
    const first = truth.images[0];
    assert.equal(await page.$$eval('[data-testid=layer-block]', (b) => b.length), first.layer_count, `${rel} layers`);
    assert.equal(await page.$$eval('[data-testid=empty-step]', (b) => b.length), first.history_count - first.non_empty_history_count, `${rel} empty steps`);
    assert.equal(await page.$$eval('[data-testid=history-row]', (r) => r.length), first.history_count, `${rel} history rows`);
    // Only the newest row has an id; every other one is <missing>, explained on hover.
    const missing = await page.$$eval('[data-testid=history-row].missing', (r) => r.map((x) => x.getAttribute('title')));
    assert.equal(missing.length, first.history_count - 1);
    assert.ok(missing.every((t) => t.startsWith('<missing>: ')));
    const tags = await page.$$eval('[data-testid=image-item] .image-tag', (t) => t.map((x) => x.textContent));
    assert.ok(tags.length >= 1, rel);
    // Every tag of an image is shown: the first as its name, the others below it.
    const more = await page.$$eval('[data-testid=more-tags]', (t) => t.map((x) => x.textContent));
    for (const ti of truth.images) {
      const rt = ti.repo_tags || [];
      if (rt.length > 1) assert.ok(more.includes(`also tagged ${rt.slice(1).join(', ')}`), `${rel}: ${more}`);
    }
  }
  await page.screenshot({ path: path.join(artifacts, 'explore-formats-last.png'), fullPage: true });
  assert.deepEqual(foreign(), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('dropping an archive: layer changes with the corpus whiteouts marked Deleted; search; preview', { skip: !haveCorpus && 'no ../shared corpus' }, async () => {
  const { page, context, errors, foreign } = await openPage(browser, server.origin);
  const file = path.join(images, 'edge/edge.docker26c.save.tar');
  await dropFiles(page, [{ name: 'edge.docker26c.save.tar', data: fs.readFileSync(file) }]);
  await page.waitForSelector('[data-testid=layer-block]', { timeout: 60000 });
  const truth = truthOf(file);
  // Whiteouts of paths that exist below them (checked by the native corpus test too).
  const deleted = [
    [1, 'bin/vi'], [4, 'data/delete-me.txt'], [4, 'data/readd-me.txt'], [6, 'data/dir-to-delete'],
  ];
  for (const [layer, p] of deleted) {
    const w = truth.images[0].layers[layer].whiteouts.map((x) => x.deletes);
    assert.ok(w.includes(p), `truth: layer ${layer} whiteouts ${w}`);
    await selectLayer(page, layer);
    await page.fill('[data-testid=tree-search]', p.split('/').pop());
    const row = await page.waitForSelector(`[data-testid=tree-row][data-path="/${p}"]`);
    assert.equal(await row.getAttribute('data-change'), 'D', `/${p} in layer ${layer}`);
    assert.equal(await row.$eval('.marker', (m) => m.getAttribute('aria-label')), 'Deleted');
    await page.fill('[data-testid=tree-search]', '');
  }
  await selectLayer(page, 4);
  await page.screenshot({ path: path.join(artifacts, 'explore-changes-layer4.png'), fullPage: true });
  // Filter by change type: only the deletions (and the directories holding them) stay.
  await page.click('label.chip.chg-added input');
  await page.click('label.chip.chg-modified input');
  const kept = await page.$$eval('[data-testid=tree-row]', (r) => r.map((x) => x.getAttribute('data-change')));
  assert.ok(kept.includes('D') && kept.every((c) => c === 'D' || c === ' '), kept.join(','));
  await page.click('label.chip.chg-added input');
  await page.click('label.chip.chg-modified input');
  // Arrow keys on the stack move the layer selection (up is newer).
  await page.focus('.layer-stack');
  await page.keyboard.press('ArrowUp');
  await page.waitForFunction(() => document.querySelector('#pane-tree-title')?.textContent === 'File tree — layer 5');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => document.querySelector('#pane-tree-title')?.textContent === 'File tree — layer 3');
  await selectLayer(page, 4);
  // Glob search over the merged view finds a known path of the truth listing.
  await page.click('button.seg:has-text("Merged view")');
  await page.fill('[data-testid=tree-search]', '/etc/*wd');
  await page.waitForSelector('[data-testid=tree-row][data-path="/etc/passwd"]');
  await page.click('[data-testid=tree-row][data-path="/etc/passwd"]');
  await page.click('[data-testid=preview-btn]');
  const text = await (await page.waitForSelector('[data-testid=preview]')).textContent();
  assert.ok(text.startsWith('root:x:0:0:'), text.slice(0, 40));
  await page.screenshot({ path: path.join(artifacts, 'explore-merged-preview.png'), fullPage: true });
  // Keyboard: the tree is an ARIA tree; arrows move the focus.
  await page.fill('[data-testid=tree-search]', '');
  await page.focus('[role=tree]');
  await page.keyboard.press('ArrowDown');
  const active = await page.getAttribute('[role=tree]', 'aria-activedescendant');
  assert.equal(active, 'tree-row-1');
  // Analysis panel: dive's figures and ours, labelled.
  await page.click('button[role=tab]:has-text("Analysis")');
  const heads = await page.$$eval('[data-testid=analysis] thead th', (t) => t.map((x) => x.textContent));
  assert.deepEqual(heads, ['', 'dive', 'layerscope']);
  await page.screenshot({ path: path.join(artifacts, 'explore-analysis.png'), fullPage: true });
  assert.deepEqual(foreign(), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a corrupt archive shows an error naming what is wrong, and the page still works', { skip: !haveCorpus && 'no ../shared corpus' }, async () => {
  const { page, context, errors, foreign } = await openPage(browser, server.origin);
  const good = fs.readFileSync(path.join(images, 'app/app.docker20.save.tar'));
  // Keep the first members, then garbage where a tar header should be.
  const bad = Buffer.concat([good.subarray(0, 4096), Buffer.alloc(2048, 0x41)]);
  await dropFiles(page, [{ name: 'broken.tar', data: bad }]);
  const err = await (await page.waitForSelector('[data-testid=load-error]', { timeout: 30000 })).textContent();
  assert.ok(err.startsWith('Could not read broken.tar: '), err);
  assert.ok(await page.$('.status.error'));
  await page.screenshot({ path: path.join(artifacts, 'explore-error.png'), fullPage: true });
  await dropFiles(page, [{ name: 'app.docker20.save.tar', data: good }]);
  await page.waitForSelector('[data-testid=layer-block]', { timeout: 30000 });
  assert.equal(await page.$$eval('[data-testid=layer-block]', (b) => b.length), 3);
  // Two images: compare them.
  await dropFiles(page, [{ name: 'app2.docker20.save.tar', data: fs.readFileSync(path.join(images, 'app2/app2.docker20.save.tar')) }]);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=image-item]').length === 2, null, { timeout: 30000 });
  await page.click('button.compare-pick');
  const cmp = await (await page.waitForSelector('[data-testid=compare]')).textContent();
  assert.ok(/2 shared layer\(s\)/.test(cmp), cmp.slice(0, 200));
  await page.screenshot({ path: path.join(artifacts, 'explore-compare.png'), fullPage: true });
  assert.deepEqual(foreign(), []);
  // The worker's failure is reported on the page, not as a console error.
  assert.deepEqual(errors, []);
  await context.close();
});

// Resident memory (MB) of each of this test's Chromium renderer processes (every process under
// this Node process started with --type=renderer), by pid. The page and its workers run in one
// of them; `tabMemory` picks the one that grew the most between two snapshots.
function renderers() {
  const parent = new Map();
  const cmd = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      cmd.set(Number(d), fs.readFileSync(`/proc/${d}/cmdline`, 'utf8'));
    } catch { /* gone */ }
  }
  const mine = (pid) => { for (let p = pid; p > 1; p = parent.get(p)) if (p === process.pid) return true; return false; };
  const out = new Map();
  for (const [pid, c] of cmd) {
    if (!c.includes('--type=renderer') || !mine(pid)) continue;
    try { out.set(pid, Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024); } catch { /* gone */ }
  }
  return out;
}

function tabMemory(before, ...later) {
  let pid = null;
  let grew = -Infinity;
  for (const [p, mb] of later.at(-1)) if (mb - (before.get(p) ?? 0) > grew) { grew = mb - (before.get(p) ?? 0); pid = p; }
  return [before, ...later].map((m) => `${(m.get(pid) ?? 0).toFixed(0)} MB`).join(' → ');
}

// Record, in the page, when the picker's change event fires (the drop) and when the first tree
// row is in the DOM and then painted (the next animation frame), with the page's own clock.
async function watchRender(page) {
  await page.evaluate(() => {
    window.__t = { progress: [] };
    new MutationObserver(() => {
      const p = document.querySelector('[data-testid=progress] label')?.textContent;
      if (p && window.__t.progress.at(-1) !== p) window.__t.progress.push(p);
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
    document.querySelector('#file-picker').addEventListener('change', () => { window.__t.drop = Date.now(); }, { capture: true, once: true });
    new MutationObserver((_, o) => {
      if (!document.querySelector('[data-testid=tree-row]')) return;
      o.disconnect();
      window.__t.dom = Date.now();
      requestAnimationFrame(() => { window.__t.painted = Date.now(); });
    }).observe(document.body, { childList: true, subtree: true });
  });
}

async function renderTimes(page) {
  await page.waitForFunction(() => window.__t.painted);
  return page.evaluate(() => window.__t);
}

// Drop-to-render time and memory for the 20,000-file archive (measured and printed, not asserted).
const manyCandidates = [path.join(images, 'many/many.docker20.save.tar'), '/tmp/corpus/many/many.docker20.save.tar'];
const many = manyCandidates.find((f) => fs.existsSync(f));
test('the 20,000-file archive: drop-to-render time and memory', { skip: !many && 'many.docker20.save.tar not built' }, async () => {
  const { page, context, errors } = await openPage(browser, server.origin);
  const timings = [];
  page.on('console', (m) => { if (m.text().startsWith('layerscope: ')) timings.push(m.text()); });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  // A user clicks the file picker (which starts the spare worker), then picks the file.
  await page.focus('#file-picker');
  await page.waitForTimeout(1000);
  const memBefore = renderers();
  await watchRender(page);
  const t0 = Date.now();
  await page.setInputFiles('#file-picker', many);
  await page.waitForSelector('[data-testid=tree-row]', { timeout: 120000 });
  const ms = Date.now() - t0;
  const t = await renderTimes(page);
  // The layers above 0 arrive after the first render: wait for them (layer 1 has the 20,000 files).
  await page.waitForFunction(() => !document.querySelector('[data-testid=progress]'));
  await selectLayer(page, 1);
  await page.waitForSelector('[data-testid=tree-row]');
  const rows = Number((await page.textContent('[data-testid=tree-count]')).split(' ')[0]);
  const inDom = await page.$$eval('[data-testid=tree-row]', (r) => r.length);
  const memAfter = renderers();
  console.log(`# progress shown: ${t.progress.join(' | ')}`);
  console.log(`# in the page: drop to first tree row in the DOM ${t.dom - t.drop} ms, painted ${t.painted - t.drop} ms (as the test sees it: ${ms} ms); drop at ${t.drop}; ${timings.join('; ')}`);
  // Scroll to the end: still only a window of rows in the DOM.
  await page.$eval('.tree-scroll', (el) => { el.scrollTop = el.scrollHeight; el.dispatchEvent(new Event('scroll')); });
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=tree-row]')].some((r) => r.getAttribute('aria-posinset') === r.getAttribute('aria-setsize')));
  const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  console.log(`# many.docker20.save.tar: layer 1 ${rows} tree rows, ${inDom} in the DOM; page JS heap ${(metrics.JSHeapUsedSize / 1e6).toFixed(1)} MB; tab renderer process RSS (page + workers) before the drop → after: ${tabMemory(memBefore, memAfter)}`);
  assert.ok(rows > 20000, `${rows} rows`);
  assert.ok(inDom < 100, `${inDom} rows in the DOM`);
  await page.screenshot({ path: path.join(artifacts, 'explore-many.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

// The layer members manifest.json lists for its first image, read from the tar headers here
// (an independent reference for the layer count).
function manifestLayers(file) {
  const fd = fs.openSync(file, 'r');
  const h = Buffer.alloc(512);
  try {
    for (let off = 0; fs.readSync(fd, h, 0, 512, off) === 512 && h[0] !== 0;) {
      const name = h.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
      const size = parseInt(h.subarray(124, 136).toString('utf8').replace(/\0.*$/s, '').trim() || '0', 8);
      if (name === 'manifest.json') {
        const body = Buffer.alloc(size);
        fs.readSync(fd, body, 0, size, off + 512);
        return JSON.parse(body.toString('utf8'))[0].Layers.length;
      }
      off += 512 + Math.ceil(size / 512) * 512;
    }
  } finally { fs.closeSync(fd); }
  return null;
}

// A 1 GB docker save (make one with `python3 tests/e2e/make-big-archive.py OUT.tar 1000`, or
// use any docker save, and point LAYERSCOPE_BIG_ARCHIVE at it): drop-to-render time and memory,
// printed, not asserted.
const big = process.env.LAYERSCOPE_BIG_ARCHIVE;
test('a 1 GB docker save: drop-to-render time', { skip: !(big && fs.existsSync(big)) && 'LAYERSCOPE_BIG_ARCHIVE not set' }, async () => {
  const { page, context, errors } = await openPage(browser, server.origin);
  const timings = [];
  page.on('console', (m) => { if (m.text().startsWith('layerscope: ')) timings.push(m.text()); });
  await page.focus('#file-picker');
  await page.waitForTimeout(1000);
  const memBefore = renderers();
  await watchRender(page);
  const t0 = Date.now();
  await page.setInputFiles('#file-picker', big);
  await page.waitForSelector('[data-testid=tree-row]', { timeout: 300000 });
  const ms = Date.now() - t0;
  const t = await renderTimes(page);
  const memAtRender = renderers();
  console.log(`# progress shown: ${t.progress.length} states, the last: ${t.progress.at(-1)}`);
  await page.waitForFunction(() => !document.querySelector('[data-testid=progress]'));
  // Wait for the other layers' changes too (the page logs their arrival).
  for (let i = 0; i < 3000 && !timings.some((x) => x.includes("other layers' changes")); i++) await page.waitForTimeout(100);
  console.log(`# ${path.basename(big)} (${(fs.statSync(big).size / 1e9).toFixed(2)} GB): in the page: drop to first tree row ${t.dom - t.drop} ms, painted ${t.painted - t.drop} ms (as the test sees it: ${ms} ms); drop at ${t.drop}; tab renderer process RSS (page + workers) before → first render → all read: ${tabMemory(memBefore, memAtRender, renderers())}; ${timings.join('; ')}`);
  const want = manifestLayers(big);
  if (want !== null) assert.equal(await page.$$eval('[data-testid=layer-block]', (b) => b.length), want);
  assert.deepEqual(errors, []);
  await context.close();
});

// A tar of [name, Buffer] files (ustar headers), for archives made here.
function tarOf(files) {
  const parts = [];
  for (const [name, data] of files) {
    const h = Buffer.alloc(512);
    h.write(name, 0, 'utf8');
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    h.write('14540000000\0', 136);
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    parts.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

// An OCI archive whose index lists one image per architecture, each with one layer holding
// /etc/arch (its architecture's name).
function multiPlatformArchive(arches) {
  const sha = (b) => crypto.createHash('sha256').update(b).digest('hex');
  const blobs = [];
  const blob = (b) => { const d = sha(b); blobs.push([`blobs/sha256/${d}`, b]); return { digest: `sha256:${d}`, size: b.length }; };
  const manifests = arches.map((arch) => {
    const layer = tarOf([['etc/arch', Buffer.from(arch)]]);
    const l = blob(layer);
    const config = blob(Buffer.from(JSON.stringify({
      architecture: arch, os: 'linux', config: {},
      rootfs: { type: 'layers', diff_ids: [`sha256:${sha(layer)}`] },
      history: [{ created: '2026-01-01T00:00:00Z', created_by: `ADD arch-${arch} /etc/arch` }],
    })));
    const m = blob(Buffer.from(JSON.stringify({
      schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...l }],
    })));
    return { mediaType: 'application/vnd.oci.image.manifest.v1+json', ...m, platform: { os: 'linux', architecture: arch },
      annotations: { 'org.opencontainers.image.ref.name': 'latest' } };
  });
  return tarOf([
    ['oci-layout', Buffer.from('{"imageLayoutVersion":"1.0.0"}')],
    ['index.json', Buffer.from(JSON.stringify({ schemaVersion: 2, manifests }))],
    ...blobs,
  ]);
}

test('a multi-platform archive: linux/amd64 is read, the other platform on demand', async () => {
  const { page, context, errors, foreign } = await openPage(browser, server.origin);
  await dropFiles(page, [{ name: 'multi-arch.tar', data: multiPlatformArchive(['arm64', 'amd64']) }]);
  await page.waitForSelector('[data-testid=image-item]', { timeout: 30000 });
  assert.equal(await page.$(' [data-testid=load-error]'), null);
  const meta = async () => page.$$eval('[data-testid=image-item] .image-meta', (m) => m.map((x) => x.textContent.split(' · ')[0]));
  assert.deepEqual(await meta(), ['linux/amd64']);
  const picks = await page.$$eval('[data-testid=platform-pick]', (b) => b.map((x) => x.textContent));
  assert.deepEqual(picks, ['linux/arm64']);
  await page.screenshot({ path: path.join(artifacts, 'explore-platform-pick.png'), clip: { x: 0, y: 60, width: 420, height: 300 } });
  await page.click('[data-testid=platform-pick]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=image-item]').length === 2, null, { timeout: 30000 });
  assert.deepEqual(await meta(), ['linux/amd64', 'linux/arm64']);
  // Both read: no platform left to offer.
  assert.equal(await page.$('[data-testid=platform-pick]'), null);
  // The arm64 image's own layer: its /etc/arch says so (previewed from the archive).
  await page.click('[data-testid=image-item] >> nth=1');
  await page.click('[data-testid=tree-row][data-path="/etc/arch"]');
  await page.click('[data-testid=preview-btn]');
  const text = await (await page.waitForSelector('[data-testid=preview]')).textContent();
  assert.ok(text.startsWith('arm64'), text);
  await page.screenshot({ path: path.join(artifacts, 'explore-platforms.png'), fullPage: true });
  assert.deepEqual(foreign(), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('cancelling a load stops its worker; the next archive is read by a fresh one', { skip: !many && 'many.docker20.save.tar not built' }, async () => {
  const { page, context, errors, foreign } = await openPage(browser, server.origin);
  const logs = [];
  page.on('console', (m) => { if (m.text().startsWith('layerscope: job')) logs.push(m.text()); });
  // Press Cancel as soon as the progress bar is drawn.
  await page.evaluate(() => {
    new MutationObserver((_, o) => {
      const b = document.querySelector('[data-testid=progress] button.cancel');
      if (b) { o.disconnect(); b.click(); }
    }).observe(document.body, { childList: true, subtree: true });
  });
  await page.setInputFiles('#file-picker', many);
  await page.waitForFunction(() => document.querySelector('[data-testid=status]')?.textContent.startsWith('Cancelled reading many.docker20.save.tar'));
  assert.equal(await page.$('[data-testid=progress]'), null);
  await page.waitForTimeout(1500);
  // Nothing arrived from the stopped worker.
  assert.equal(await page.$('[data-testid=image-item]'), null);
  assert.deepEqual(logs, []);
  if (haveCorpus) {
    await dropFiles(page, [{ name: 'app.docker20.save.tar', data: fs.readFileSync(path.join(images, 'app/app.docker20.save.tar')) }]);
    await page.waitForSelector('[data-testid=layer-block]', { timeout: 30000 });
    assert.equal(await page.$$eval('[data-testid=layer-block]', (b) => b.length), 3);
  }
  assert.deepEqual(foreign(), []);
  assert.deepEqual(errors, []);
  await context.close();
});

// Latin words allowed in the Russian explore view: the lab scan's (tests/e2e/lab.test.mjs), plus
// format and tool names (docker save, OCI, dive), a key name, a glob's suffix and units.
const LATIN_OK = new Set(['layerscope', 'Dockerfile', 'Docker', 'docker', 'BuildKit', 'DOCKER_BUILDKIT',
  'EN', 'RU', 'CMD', 'RUN', 'COPY', 'ADD', 'FROM', 'app', 'app2', 'lab', 'commit', 'push', 'run', 'diff', 'ps',
  'image', 'history', 'py', 'util', 'tar', 'gz', 'tgz', 'whiteout', 'copy-up', 'echo', 'hi', 'tmp', 'kB', 'MB', 'GB',
  'save', 'OCI', 'dive', 'opaque', 'Enter', 'so', 'KiB']);

// Visible interface text of the page (text, titles, aria-labels, placeholders), minus names and
// Docker's output: image names and tags, archive names, platforms, paths and file names, the
// history table, CREATED BY texts of the layer blocks, file contents, dates, the status bar
// (checked on its own: it names the archive and image).
const latinWords = (page) => latinWordsIn(page, {
  ok: LATIN_OK,
  skip: 'pre, code, time, .history, .layer-block, .image-tag, .image-name, .platform, .archive-name, .tree-row .name, .status',
});

test('no English left in the explore view with a Russian locale', { skip: !haveCorpus && 'no ../shared corpus' }, async () => {
  const { page, context, errors, foreign } = await openPage(browser, server.origin, { locale: 'ru-RU', height: 1000 });
  await page.click('[data-testid=view-explore]');
  await page.waitForSelector('.view-explore[lang=ru]');
  assert.deepEqual(await latinWords(page), [], 'empty explore view');
  // The progress text while reading, recorded as it changes.
  await page.evaluate(() => {
    window.__progress = [];
    new MutationObserver(() => {
      const p = document.querySelector('[data-testid=progress] label')?.textContent;
      if (p && window.__progress.at(-1) !== p) window.__progress.push(p);
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  const file = path.join(images, 'edge/edge.docker26c.save.tar');
  await dropFiles(page, [{ name: 'edge.docker26c.save.tar', data: fs.readFileSync(file) }]);
  await page.waitForSelector('[data-testid=layer-block]', { timeout: 60000 });
  await page.waitForFunction(() => !document.querySelector('[data-testid=progress]'));
  const progress = await page.evaluate(() => window.__progress);
  assert.ok(progress.length > 0);
  for (const p of progress) assert.match(p, /^Чтение edge\.docker26c\.save\.tar — \S+ k?M?B из \S+ [kMG]?B(, слоёв: \d+( из \d+)?)?$/);
  const layers = truthOf(file).images[0].layer_count;
  const status = await page.textContent('[data-testid=status]');
  assert.match(status, /^Прочитан edge\.docker26c\.save\.tar: \S+ \(\d+ сло(й|я|ёв)\)(, \S+ \(\d+ сло(й|я|ёв)\))*\.$/);
  assert.ok(status.includes(`corpus/edge:latest (${layers} слоёв)`), status);
  assert.equal(await page.getAttribute('[data-testid=layer-block] >> nth=0', 'title').then((t) => t.split(':')[0]), `слой ${layers - 1}`);
  assert.deepEqual(await latinWords(page), [], 'layer 0');
  // A layer with deletions, a deleted path's details.
  await page.click('[data-testid=layer-block][title^="слой 4:"]');
  await page.waitForFunction(() => document.querySelector('#pane-tree-title')?.textContent === 'Дерево файлов — слой 4');
  await page.fill('[data-testid=tree-search]', 'delete-me.txt');
  await page.click('[data-testid=tree-row][data-path="/data/delete-me.txt"]');
  assert.equal(await page.getAttribute('[data-testid=tree-row][data-path="/data/delete-me.txt"] .marker', 'aria-label'), 'Удалено');
  await page.fill('[data-testid=tree-search]', '');
  assert.deepEqual(await latinWords(page), [], 'layer 4 with a deleted path');
  await page.screenshot({ path: path.join(artifacts, 'explore-ru-layer4.png'), fullPage: true });
  // The merged view, a file's details and its preview.
  await page.click('.pane-tree button.seg >> nth=1');
  await page.waitForFunction(() => document.querySelector('.pane-tree button.seg.on')?.textContent === 'Объединённый вид до этого слоя');
  await page.fill('[data-testid=tree-search]', '/etc/*wd');
  await page.click('[data-testid=tree-row][data-path="/etc/passwd"]');
  await page.click('[data-testid=preview-btn]');
  await page.waitForSelector('[data-testid=preview]');
  assert.equal(await page.textContent('[data-testid=details] dd >> nth=1'), 'файл');
  assert.deepEqual(await latinWords(page), [], 'merged view with a preview');
  await page.screenshot({ path: path.join(artifacts, 'explore-ru-merged-preview.png'), fullPage: true });
  // The analysis (with the waste reasons) and the compare tab.
  await page.click('.pane-output button[role=tab] >> nth=1');
  await page.waitForSelector('[data-testid=analysis] .waste li');
  const reasons = await page.$$eval('[data-testid=analysis] .waste li .muted', (r) => r.map((x) => x.textContent));
  assert.ok(reasons.every((r) => r.startsWith('слой ')), reasons.join(' | '));
  assert.deepEqual(await latinWords(page), [], 'analysis');
  await page.screenshot({ path: path.join(artifacts, 'explore-ru-analysis.png'), fullPage: true });
  await page.click('.pane-output button[role=tab] >> nth=2');
  assert.deepEqual(await latinWords(page), [], 'compare');
  // A broken archive: the reader's error stays as it is, the sentence around it is Russian.
  await dropFiles(page, [{ name: 'broken.tar', data: Buffer.alloc(2048, 0x41) }]);
  const err = await (await page.waitForSelector('[data-testid=load-error]', { timeout: 30000 })).textContent();
  assert.ok(err.startsWith('Не удалось прочитать broken.tar: '), err);
  assert.ok((await page.textContent('[data-testid=status]')).startsWith('Не удалось прочитать broken.tar'));
  assert.deepEqual(foreign(), []);
  assert.deepEqual(errors, []);
  await context.close();
});

// A legacy docker save made here of three layers of 2,200 files of 12 KB (about 80 MB in all, so
// the worker reads its layers on its pool of sub-workers), the second layer deleting a file of
// the first.
function pooledSave(dir) {
  const sha = (b) => crypto.createHash('sha256').update(b).digest('hex');
  const body = (l, i) => Buffer.alloc(12000, `${l}-${i};`);
  const layerFiles = [0, 1, 2].map((l) => Array.from({ length: 2200 }, (_, i) => [`data/l${l}/f-${String(i).padStart(4, '0')}`, body(l, i)]));
  layerFiles[1].push(['data/l0/.wh.f-0007', Buffer.alloc(0)]);
  const layers = layerFiles.map((f) => tarOf(f));
  const ids = layers.map(sha);
  const config = Buffer.from(JSON.stringify({
    architecture: 'amd64', os: 'linux', config: {},
    rootfs: { type: 'layers', diff_ids: ids.map((i) => `sha256:${i}`) },
    history: [0, 1, 2].map((l) => ({ created: '2026-01-01T00:00:00Z', created_by: `/bin/sh -c make l${l}` })),
  }));
  const file = path.join(dir, 'pooled.docker-save.tar');
  fs.writeFileSync(file, tarOf([
    ...layers.map((l, i) => [`${ids[i]}/layer.tar`, l]),
    [`${sha(config)}.json`, config],
    ['manifest.json', Buffer.from(JSON.stringify([{ Config: `${sha(config)}.json`, RepoTags: ['pooled:1'], Layers: ids.map((i) => `${i}/layer.tar`) }]))],
  ]));
  return file;
}

test('an archive of large layers is read on the pool of sub-workers and shows the same changes', async () => {
  const dir = fs.mkdtempSync(path.join(artifacts, 'pooled-'));
  try {
    const file = pooledSave(dir);
    assert.ok(fs.statSync(file).size > 64 << 20);
    const { page, context, errors, foreign } = await openPage(browser, server.origin);
    const logs = [];
    page.on('console', (m) => { if (m.text().startsWith('layerscope: ')) logs.push(m.text()); });
    await load(page, file);
    assert.equal(await page.$('[data-testid=load-error]'), null);
    assert.equal(await page.$$eval('[data-testid=layer-block]', (b) => b.length), 3);
    // Each blob was scanned by a sub-worker, and the archive assembled from their scans (the
    // worker logs that after posting the images).
    for (let i = 0; i < 100 && !logs.some((l) => l.startsWith('layerscope: pool: assembled')); i++) await page.waitForTimeout(100);
    assert.equal(logs.filter((l) => /pool: sub-worker \d sent a \d+-byte blob's scan/.test(l)).length, 3, logs.join('\n'));
    assert.ok(logs.some((l) => l.startsWith('layerscope: pool: assembled')), logs.join('\n'));
    await page.waitForFunction(() => !document.querySelector('[data-testid=progress]'));
    await selectLayer(page, 1);
    // 2,200 files added, 1 deleted, and the folders data/, data/l0/ and data/l1/ holding them.
    assert.equal(await page.textContent('[data-testid=tree-count]'), '2204 rows');
    await page.fill('[data-testid=tree-search]', 'f-0007');
    const row = await page.waitForSelector('[data-testid=tree-row][data-path="/data/l0/f-0007"]');
    assert.equal(await row.getAttribute('data-change'), 'D');
    await page.fill('[data-testid=tree-search]', '');
    await selectLayer(page, 2);
    await page.fill('[data-testid=tree-search]', 'f-2199');
    const added = await page.waitForSelector('[data-testid=tree-row][data-path="/data/l2/f-2199"]');
    assert.equal(await added.getAttribute('data-change'), 'A');
    assert.deepEqual(errors, []);
    assert.deepEqual(foreign(), []);
    await context.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
