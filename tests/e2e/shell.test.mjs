// End-to-end tests of the page shell (issue 2) on the release build in dist/; the default view is
// the lab (issue 8).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { startServer, launch, openPage, dropFiles, artifacts, dist } from './harness.mjs';

let server; let browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('the page loads with every pane and the seed lab, no console error, no foreign request', async () => {
  const { page, context, errors, foreign, requests } = await openPage(browser, server.origin);
  assert.equal(await page.title(), 'layerscope — container image layers, explained');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.textContent('h1'), '▤layerscope');
  const titles = await page.$$eval('.pane h2', (hs) => hs.map((h) => h.textContent));
  assert.deepEqual(titles, ['Dockerfile', 'Build context', 'docker image history', 'Images', 'Containers']);
  const text = await page.$$eval('[data-testid=dockerfile-text] .code-line[data-line] .src', (ls) => ls.map((l) => l.textContent).join('\n'));
  assert.equal(text, 'FROM python:3.8-alpine\nRUN pip install flask\nCMD ["python","app.py"]\nCOPY app.py /app.py');
  await page.click('.pane-dockerfile button.tab:text-is("app2")');
  const text2 = await page.$$eval('[data-testid=dockerfile-text] .code-line[data-line] .src', (ls) => ls.map((l) => l.textContent).join('\n'));
  assert.equal(text2, 'FROM python:3.8-alpine\nRUN pip install flask\nCMD ["python","app2.py"]\nCOPY app2.py /app2.py');
  const icon = await page.getAttribute('link[rel=icon]', 'href');
  assert.ok(icon && icon.endsWith('.svg'), `favicon ${icon}`);
  await page.screenshot({ path: path.join(artifacts, 'shell-1280-light.png'), fullPage: true });
  // The lab alone never downloads the archive worker; reaching for the file picker starts it.
  await page.waitForTimeout(1500);
  const workerFetched = () => requests.some((u) => u.includes('layerscope-worker'));
  assert.equal(workerFetched(), false, requests.join('\n'));
  await page.focus('#file-picker');
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.includes('layerscope-worker')), null, { timeout: 10000 });
  assert.deepEqual(foreign(), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('readable at 800 px and in dark mode', async () => {
  const { page, context, errors } = await openPage(browser, server.origin, { width: 800, height: 900, colorScheme: 'dark' });
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(bg, 'rgb(15, 18, 22)');
  // One column: every pane as wide as the main area, none overflowing the viewport.
  const widths = await page.$$eval('.pane', (ps) => ps.map((p) => p.getBoundingClientRect().right));
  for (const w of widths) assert.ok(w <= 800, `pane overflows: ${w}`);
  const scrollW = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollW <= 800, `horizontal scroll ${scrollW}`);
  await page.screenshot({ path: path.join(artifacts, 'shell-800-dark.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('dropping a Dockerfile shows it; dropping something else says what was expected', async () => {
  const { page, context, errors, foreign } = await openPage(browser, server.origin);
  await dropFiles(page, [{ name: 'Dockerfile', data: 'FROM scratch\nCOPY hello /\n' }]);
  await page.waitForSelector('button.tab:has-text("Dockerfile")');
  const text = await page.$$eval('[data-testid=dockerfile-text] .code-line[data-line] .src', (ls) => ls.map((l) => l.textContent).join('\n'));
  assert.equal(text, 'FROM scratch\nCOPY hello /');
  assert.equal(await page.textContent('[data-testid=status]'), 'Loaded Dockerfile Dockerfile (2 lines).');
  await dropFiles(page, [{ name: 'photo.png', data: 'x' }]);
  assert.equal(await page.textContent('[data-testid=status]'),
    'Not an image archive or a Dockerfile: photo.png. Expected .tar, .tar.gz, .tgz or a Dockerfile.');
  assert.ok(await page.$('.status.error'));
  // The file picker takes files the same way.
  await page.setInputFiles('#file-picker', { name: 'x.Dockerfile', mimeType: 'text/plain', buffer: Buffer.from('FROM alpine\n') });
  await page.waitForSelector('button.tab:has-text("x.Dockerfile")');
  assert.deepEqual(foreign(), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('download weight: what the page fetches to start, and each worker, gzip -9', async () => {
  // Issue 7's budget is the page's wasm+js+css, gzip: at most 350 KB. The page here is what the
  // document loads to draw and to take a drop; the lab simulator and the archive reader are Web
  // Workers with their own wasm, listed apart.
  const { page, context, requests, foreign } = await openPage(browser, server.origin);
  await page.focus('#file-picker'); // a sign of an archive: the archive worker is fetched too
  for (let i = 0; i < 100 && !requests.some((u) => u.endsWith('/layerscope-worker_bg.wasm')); i++) await page.waitForTimeout(100);
  const files = [...new Set(requests.map((u) => new URL(u).pathname.slice(1)))].filter((f) => /\.(wasm|js|css)$/.test(f));
  const group = (f) => (/^(lab-loader|layerscope-lab)/.test(f) ? 'lab worker' : /^layerscope-worker/.test(f) ? 'archive worker' : 'page');
  const sizes = {};
  for (const f of files) {
    const gz = zlib.gzipSync(fs.readFileSync(path.join(dist, f)), { level: 9 }).length;
    const g = group(f);
    sizes[g] = (sizes[g] || 0) + gz;
    console.log(`# ${g.padEnd(14)} ${f.padEnd(44)} ${String(gz).padStart(8)} B gzip`);
  }
  for (const [g, n] of Object.entries(sizes)) console.log(`# ${g.padEnd(14)} total ${String(n).padStart(8)} B gzip`);
  // The page's own wasm, js and css were all fetched, and they are within the budget.
  assert.ok(files.some((f) => /^layerscope-[0-9a-f]+_bg\.wasm$/.test(f)), files.join(' '));
  assert.ok(files.some((f) => /^style-[0-9a-f]+\.css$/.test(f)), files.join(' '));
  assert.ok(sizes.page <= 350_000, `page ${sizes.page} B gzip`);
  assert.ok(sizes['lab worker'] > 0 && sizes['archive worker'] > 0);
  assert.deepEqual(foreign(), []);
  await context.close();
});

test('?view=explore opens the explorer without the lab simulator; the lab starts it when shown', async () => {
  const { page, context, requests, errors, foreign } = await openPage(browser, server.origin, { path: '/?view=explore', lab: false });
  await page.waitForSelector('.view-explore');
  await page.waitForTimeout(1000);
  const labFetched = () => requests.some((u) => /\/(lab-loader\.js|layerscope-lab)/.test(u));
  assert.equal(labFetched(), false, requests.join('\n'));
  await page.click('[data-testid=view-lab]');
  await page.waitForSelector('html[data-lab-answered]', { state: 'attached' });
  assert.equal(labFetched(), true);
  assert.equal(await page.getAttribute('[data-testid=stack-app]', 'data-layers'), '7');
  assert.deepEqual(foreign(), []);
  assert.deepEqual(errors, []);
  await context.close();
});
