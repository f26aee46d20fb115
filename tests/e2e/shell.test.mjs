// End-to-end tests of the page shell (issue 2) on the release build in dist/; the default view is
// the lab (issue 8).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, launch, openPage, dropFiles, artifacts } from './harness.mjs';

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
