// End-to-end tests of the lab view (issue 8) on the release build in dist/: the seed images with
// their shared layers joined, cache marks after edits, the builder switch, a container write with
// copy-up and docker diff, Share/Embed links that round-trip, the guided lab start to end (one
// screenshot per step in tests/e2e/artifacts/), Russian with a Russian browser locale, and links
// whose state the browser inflater refuses.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import zlib from 'node:zlib';
import { startServer, launch, openPage, artifacts, labSettled, latinWords as latinWordsIn } from './harness.mjs';

let server; let browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const mark = (page, line) => page.getAttribute(`.pane-dockerfile .code-line[data-line="${line}"]`, 'data-mark');
const waitMark = (page, line, want) => page.waitForSelector(`.pane-dockerfile .code-line[data-line="${line}"][data-mark="${want}"]`);

test('the default page shows both seed images with the shared layers joined', async () => {
  const { page, context, errors, foreign } = await openPage(browser, server.origin);
  assert.equal(await page.getAttribute('[data-testid=stack-app]', 'data-layers'), '7');
  assert.equal(await page.getAttribute('[data-testid=stack-app2]', 'data-layers'), '7');
  assert.equal(await page.getAttribute('[data-testid=shared-block]', 'data-layers'), '6');
  // Each image's own column holds only its top layer; the six shared ones are drawn once.
  assert.equal(await page.locator('[data-testid=stack-app] .layer').count(), 1);
  assert.equal(await page.locator('[data-testid=stack-app2] .layer').count(), 1);
  assert.equal(await page.locator('[data-testid=shared-block] .layer').count(), 6);
  assert.match(await page.textContent('[data-testid=shared-block] .shared-label'), /app \+ app2: 6 shared layers/);
  assert.match(await page.textContent('[data-testid=store-bytes]'), /stored once .* if each image stored its own/);
  // First build: RUN ran for app; CMD is config-only with BuildKit.
  assert.deepEqual([await mark(page, 1), await mark(page, 2), await mark(page, 3), await mark(page, 4)],
    ['base', 'rebuilt', 'config', 'rebuilt']);
  // Selecting a layer highlights its instruction, and the other way round.
  await page.click('[data-testid=stack-app] .layer');
  assert.ok(await page.$('.pane-dockerfile .code-line.lit[data-line="4"]'));
  await page.click('[data-testid=shared-block] .layer[data-layer="5"]');
  assert.ok(await page.$('.pane-dockerfile .code-line.lit[data-line="2"]'));
  // Push: app uploads all 7 layers, then app2 only its own.
  await page.click('button:text-is("docker push lab/app")');
  await page.click('button:text-is("docker push lab/app2")');
  await labSettled(page);
  const out = await page.textContent('[data-testid=push-output]');
  assert.match(out, /app2: 1 ↑ \/ 6 ✓/);
  assert.equal((out.match(/Mounted from lab\/app/g) || []).length, 6);
  await page.screenshot({ path: path.join(artifacts, 'lab-default.png'), fullPage: true });
  assert.deepEqual(foreign(), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('editing app.py rebuilds only COPY; moving COPY above RUN rebuilds RUN; builder switch', async () => {
  const { page, context, errors } = await openPage(browser, server.origin);
  await page.click('.pane-context button.tab:text-is("app.py")');
  await page.fill('[data-testid=context-input]', 'print("changed")\n');
  await waitMark(page, 2, 'cached');
  assert.deepEqual([await mark(page, 1), await mark(page, 2), await mark(page, 3), await mark(page, 4)],
    ['base', 'cached', 'config', 'rebuilt']);
  const ms1 = Number(await page.getAttribute('html', 'data-last-rebuild-ms'));
  await page.fill('[data-testid=dockerfile-input]',
    'FROM python:3.8-alpine\nCOPY app.py /app.py\nRUN pip install flask\nCMD ["python","app.py"]\n');
  await waitMark(page, 3, 'rebuilt');
  assert.deepEqual([await mark(page, 2), await mark(page, 3), await mark(page, 4)], ['rebuilt', 'rebuilt', 'config']);
  const ms2 = Number(await page.getAttribute('html', 'data-last-rebuild-ms'));
  console.log(`# rebuild of both images after an edit: ${ms1} ms (app.py edit), ${ms2} ms (COPY moved)`);
  // The classic builder: CMD is a step of its own, and history has an id per local step.
  await page.click('[data-testid=builder-classic]');
  await page.waitForSelector('[data-testid=builder-classic][aria-checked=true]');
  assert.notEqual(await mark(page, 4), 'config');
  const hist = await page.textContent('[data-testid=history]');
  assert.match(hist, /^IMAGE {10}CREATED/);
  assert.ok(!hist.split('\n')[2].startsWith('<missing>'), hist);
  await page.screenshot({ path: path.join(artifacts, 'lab-edited-classic.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a text file dropped on the build context replaces app.py and rebuilds only COPY', async () => {
  const { page, context, errors } = await openPage(browser, server.origin);
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['print("dropped")\n'], 'app.py', { type: 'text/x-python' }));
    const pane = document.querySelector('[data-testid=context-pane]');
    pane.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    pane.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await waitMark(page, 2, 'cached');
  assert.equal(await page.inputValue('[data-testid=context-input]'), 'print("dropped")\n');
  assert.equal(await mark(page, 4), 'rebuilt');
  assert.equal(await page.textContent('[data-testid=stack-app] .layer .layer-size'), '17 B');
  // The page's own drop zone did not take it for an archive.
  assert.match(await page.textContent('[data-testid=status]'), /^Ready\./);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a container write copies the file up and shows in docker diff and ps -s', async () => {
  const { page, context, errors } = await openPage(browser, server.origin);
  assert.match(await page.textContent('.pane-containers'), /No container yet/);
  await page.click('[data-testid=start-app]');
  await page.fill('[data-testid=console-input]', "echo '# edited' >> /app.py");
  await page.press('[data-testid=console-input]', 'Enter');
  await page.waitForSelector('[data-testid=copy-up]');
  assert.equal(await page.textContent('[data-testid=copy-up]'), 'copy-up /app.py ← layer 6 (24 B)');
  assert.equal(await page.textContent('[data-testid=docker-diff]'), 'C /app.py\n');
  assert.match(await page.textContent('[data-testid=docker-ps]'), /app-1 +33B \(virtual /);
  await page.fill('[data-testid=console-input]', 'rm /usr/local/bin/pip && cat /app.py');
  await page.press('[data-testid=console-input]', 'Enter');
  await page.waitForSelector('[data-testid=whiteout]');
  assert.equal(await page.textContent('[data-testid=docker-diff]'), 'C /app.py\nC /usr/local/bin\nD /usr/local/bin/pip\n');
  assert.match(await page.textContent('[data-testid=console]'), /print\("Hello from app"\)\n# edited\n/);
  await page.screenshot({ path: path.join(artifacts, 'lab-container.png'), fullPage: true });
  await page.click('.container-card button:text-is("Reset")');
  await labSettled(page);
  assert.equal(await page.textContent('[data-testid=docker-diff]'), '(no changes: run a command that writes a file)');
  assert.deepEqual(errors, []);
  await context.close();
});

test('Commit makes a new image on the joined layers, with its history row, stored and pushed once', async () => {
  const { page, context, errors } = await openPage(browser, server.origin);
  await page.click('[data-testid=start-app]');
  await page.fill('[data-testid=console-input]', "echo '# edited' >> /app.py");
  await page.press('[data-testid=console-input]', 'Enter');
  await page.waitForSelector('[data-testid=copy-up]');
  await page.$eval('[data-testid=copy-up]', (el) => { el.dataset.seen = '1'; });
  await page.click('.container-card [data-testid=commit]');
  const stack = '[data-testid=stack-app-1-commit]';
  await page.waitForSelector(stack);
  // app's 7 layers plus the read-write layer; it stands on the joined block like app and app2,
  // so its column holds only layer 6 (app's, the same layer) and its own layer 7.
  assert.equal(await page.getAttribute(stack, 'data-layers'), '8');
  assert.deepEqual(await page.$$eval(`${stack} .layer`, (ls) => ls.map((l) => l.dataset.layer)), ['7', '6']);
  assert.equal(await page.textContent(`${stack} .layer[data-layer="6"] .layer-same`), '= app');
  assert.equal(await page.textContent(`${stack} .layer[data-layer="7"] .layer-size`), '33 B');
  assert.equal(await page.getAttribute('[data-testid=shared-block]', 'data-layers'), '6');
  assert.match(await page.textContent('[data-testid=shared-block] .shared-label'), /^app \+ app2 \+ app-1-commit: 6 shared layers/);
  // The committed image is selected: its docker image history, with the commit row on top
  // (CREATED BY is the container's command), app's own id below it, then <missing>.
  assert.equal(await page.getAttribute('[data-testid=history]', 'data-image'), 'app-1-commit');
  const hist = (await page.textContent('[data-testid=history]')).split('\n');
  assert.match(hist[1], /^[0-9a-f]{12} {3}(Less than a second|\d+ seconds?) ago {3,}python app\.py {3,}33B {3,}$/);
  assert.match(hist[2], /^[0-9a-f]{12} {3}.* ago {3,}COPY app\.py \/app\.py # buildkit {3,}24B {3,}buildkit\.dockerfile\.v0$/);
  assert.match(hist[3], /^<missing> /);
  assert.match(await page.textContent('[data-testid=note]'), /^\$ docker commit app-1 app-1-commit\nsha256:[0-9a-f]{64}\n$/);
  // Push app, then the committed image: only its own layer uploads.
  await page.click('button:text-is("docker push lab/app")');
  await page.click('button:text-is("docker push lab/app-1-commit")');
  await labSettled(page);
  assert.match(await page.textContent('[data-testid=push-output]'), /app-1-commit: 1 ↑ \/ 7 ✓/);
  // A container of the committed image sees the committed file.
  await page.click('[data-testid=start-app-1-commit]');
  const card = '[data-testid=container-app-1-commit-2]';
  await page.fill(`${card} [data-testid=console-input]`, 'cat /app.py');
  await page.press(`${card} [data-testid=console-input]`, 'Enter');
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.includes('# edited'), `${card} [data-testid=console]`);
  // The first container's copy-up event is the same element (its animation does not replay).
  assert.equal(await page.$eval('[data-testid=container-app-1] [data-testid=copy-up]', (el) => el.dataset.seen), '1');
  await page.waitForTimeout(1000);
  await page.screenshot({ path: path.join(artifacts, 'lab-commit.png'), fullPage: true });
  await page.click(`${stack} button[aria-label="Remove this image"]`);
  await labSettled(page);
  assert.equal(await page.$(stack), null);
  assert.deepEqual(errors, []);
  await context.close();
});

test('Share and Embed links round-trip to the same view; ?embed=1 fits 600×400', async () => {
  const { page, context, errors } = await openPage(browser, server.origin);
  await page.click('.pane-dockerfile button.tab:text-is("app2")');
  await page.click('[data-testid=builder-classic]');
  await page.click('[data-testid=stack-app2] .layer');
  await labSettled(page);
  await page.click('[data-testid=share]');
  const share = await page.inputValue('[data-testid=copied-text]');
  assert.ok(share.startsWith(server.origin + '/#s='), share);
  await page.click('[data-testid=embed]');
  const snippet = await page.inputValue('[data-testid=copied-text]');
  const src = snippet.match(/src="([^"]+)"/)[1];
  assert.ok(src.startsWith(server.origin + '/?embed=1#s='), src);
  assert.equal(src.split('#')[1], share.split('#')[1]);
  const hash = await page.evaluate(() => location.hash);
  assert.equal(hash, '#' + share.split('#')[1]);
  await context.close();

  const e = await openPage(browser, server.origin, { width: 600, height: 400, path: src.slice(server.origin.length) });
  await e.page.waitForSelector('.view-lab.embed');
  assert.equal(await e.page.$('.header'), null);
  assert.equal(await e.page.getAttribute('[data-testid=builder-classic]', 'aria-checked'), 'true');
  assert.equal(await e.page.getAttribute('.pane-dockerfile button.tab.selected', 'aria-selected'), 'true');
  assert.equal(await e.page.textContent('.pane-dockerfile button.tab.selected'), 'app2');
  assert.ok(await e.page.$('.pane-dockerfile .code-line.lit[data-line="4"]'));
  assert.equal(await e.page.evaluate(() => location.hash), hash);
  const scrollW = await e.page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollW <= 600, `horizontal scroll ${scrollW}`);
  await e.page.screenshot({ path: path.join(artifacts, 'lab-embed-600x400.png') });
  assert.deepEqual(e.errors, []);
  await e.context.close();
  assert.deepEqual(errors, []);
});

test('a link whose state cannot be read says so in the status bar and shows the seed lab', async () => {
  const { page, context, errors } = await openPage(browser, server.origin, { locale: 'ru-RU', path: '/#s=%%%' });
  await page.waitForSelector('.status.error');
  assert.match(await page.textContent('[data-testid=status]'), /^Состояние из ссылки не удалось прочитать \(link state at byte \d+: expected .+\); показана исходная лабораторная\.$/);
  assert.equal(await page.getAttribute('[data-testid=stack-app]', 'data-layers'), '7');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the guided lab runs start to end', async () => {
  const { page, context, errors, foreign } = await openPage(browser, server.origin);
  await page.click('[data-testid=guide-start]');
  for (let i = 0; i < 8; i++) {
    await page.waitForSelector(`[data-testid=guide][data-step="${i}"]`);
    await page.click('[data-testid=guide-try]');
    // Let the copy-up animation finish so the screenshot shows the end state.
    await page.waitForTimeout(1000);
    await page.screenshot({ path: path.join(artifacts, `lab-step-${i + 1}.png`), fullPage: true });
    if (i === 5) {
      // The cache step: app.py edited, so app's COPY is rebuilt and RUN comes from the cache.
      await waitMark(page, 4, 'rebuilt');
      assert.equal(await mark(page, 2), 'cached');
    }
    if (i < 7) await page.click('[data-testid=guide-next]');
  }
  assert.equal(await page.$('[data-testid=guide-next]'), null);
  assert.equal(await page.textContent('[data-testid=docker-diff]'), 'C /app.py\nA /hello.txt\nC /usr/local/bin\nD /usr/local/bin/pip\n');
  assert.equal(await page.getAttribute('[data-testid=builder-classic]', 'aria-checked'), 'true');
  assert.match(await page.textContent('[data-testid=push-output]'), /Mounted from lab\/app/);
  await page.click('button:text-is("Leave the guide")');
  await labSettled(page);
  assert.ok(await page.$('[data-testid=guide-start]'));
  assert.deepEqual(foreign(), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('Russian text with a Russian browser locale, and the switch back', async () => {
  const { page, context, errors } = await openPage(browser, server.origin, { locale: 'ru-RU' });
  await page.waitForSelector('.view-lab[lang=ru]');
  assert.equal(await page.textContent('#pane-containers-title'), 'Контейнеры');
  assert.equal(await page.textContent('#pane-layers-title'), 'Образы');
  assert.equal(await page.textContent('[data-testid=guide-start]'), 'Начать лабораторную работу');
  await page.click('[data-testid=guide-start]');
  assert.equal(await page.textContent('#guide-title'), 'Слой на каждую инструкцию');
  await page.screenshot({ path: path.join(artifacts, 'lab-ru.png'), fullPage: true });
  await page.click('[data-testid=lang-en]');
  assert.equal(await page.textContent('#guide-title'), 'A layer per instruction');
  assert.deepEqual(errors, []);
  await context.close();
});

// Latin words allowed in Russian text: product and Docker names, commands, file names and units.
const LATIN_OK = new Set(['layerscope', 'Dockerfile', 'Docker', 'docker', 'BuildKit', 'DOCKER_BUILDKIT',
  'EN', 'RU', 'CMD', 'RUN', 'COPY', 'ADD', 'FROM', 'app', 'app2', 'lab', 'commit', 'push', 'run', 'diff', 'ps',
  'image', 'history', 'py', 'util', 'tar', 'gz', 'tgz', 'whiteout', 'copy-up', 'echo', 'hi', 'tmp', 'kB', 'MB', 'GB']);

// Visible interface text of the page (text, titles, labels, placeholders), minus what is code,
// commands, file names or Docker output: the editor, <pre> outputs, commands, layer texts.
const latinWords = (page) => latinWordsIn(page, {
  ok: LATIN_OK,
  skip: 'pre, textarea, .code, .cmd, .layer-by, .push-btn, [data-testid^=start-], .tab, .stack h3, .container-card .card-head strong, .container-card .card-head .muted, .shared-label strong',
  attrSkip: '.layer',
  // Image and container names (app2, app-1-commit) are names.
  names: '\\bapp2?(-[a-z0-9]+)*',
});

test('no English left on the page with a Russian locale (header, lab, containers, status bar)', async () => {
  const { page, context, errors } = await openPage(browser, server.origin, { locale: 'ru-RU' });
  await page.waitForSelector('.view-lab[lang=ru]');
  assert.equal(await page.getAttribute('html', 'lang'), 'ru');
  assert.equal(await page.textContent('.header .tagline'), 'Слои образов контейнеров с объяснениями — целиком в вашем браузере.');
  assert.match(await page.textContent('[data-testid=status]'), /^Готово\. /);
  assert.deepEqual(await latinWords(page), []);
  // With a container, a copy-up, a whiteout, a commit, a push and the guide open.
  await page.click('[data-testid=start-app]');
  await page.fill('[data-testid=console-input]', "echo '# edited' >> /app.py && rm /usr/local/bin/pip");
  await page.press('[data-testid=console-input]', 'Enter');
  await page.waitForSelector('[data-testid=whiteout]');
  assert.equal(await page.textContent('[data-testid=copy-up]'), 'copy-up /app.py ← слой 6 (24 B)');
  await page.click('.container-card [data-testid=commit]');
  await page.waitForSelector('[data-testid=stack-app-1-commit]');
  await page.click('button:text-is("docker push lab/app")');
  await page.click('[data-testid=guide-start]');
  await labSettled(page);
  assert.deepEqual(await latinWords(page), []);
  await page.screenshot({ path: path.join(artifacts, 'lab-ru-full.png'), fullPage: true });
  // The language survives a visit to the other view, and the switch changes the header too.
  await page.click('[data-testid=view-explore]');
  await page.click('[data-testid=view-lab]');
  assert.equal(await page.textContent('[data-testid=view-lab]'), 'Лаборатория');
  await page.click('[data-testid=lang-en]');
  assert.equal(await page.textContent('[data-testid=view-lab]'), 'Lab');
  assert.match(await page.textContent('[data-testid=status]'), /^Ready\. /);
  await page.click('[data-testid=view-explore]');
  await page.click('[data-testid=view-lab]');
  assert.equal(await page.getAttribute('.view-lab', 'lang'), 'en');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the example lab page embeds two different states', async () => {
  // Not through openPage: the example page itself has no `.app`, only its iframes do.
  const context = await browser.newContext({ viewport: { width: 1000, height: 1400 }, locale: 'en-US' });
  const page = await context.newPage();
  const requests = []; const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  const foreign = () => requests.filter((u) => !u.startsWith(server.origin + '/'));
  await page.goto(server.origin + '/lab-example.html');
  const frames = [];
  for (const id of ['seed', 'copy-first']) {
    const f = await (await page.waitForSelector(`iframe#${id}`)).contentFrame();
    await f.waitForSelector('.view-lab.embed .code-line[data-line="4"]');
    frames.push(await f.$$eval('.pane-dockerfile .code-line[data-line] .src', (ls) => ls.map((l) => l.textContent).join('\n')));
  }
  assert.equal(frames[0], 'FROM python:3.8-alpine\nRUN pip install flask\nCMD ["python","app.py"]\nCOPY app.py /app.py');
  assert.equal(frames[1], 'FROM python:3.8-alpine\nCOPY app.py /app.py\nRUN pip install flask\nCMD ["python","app.py"]');
  await page.screenshot({ path: path.join(artifacts, 'lab-example-page.png'), fullPage: true });
  assert.deepEqual(foreign(), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('links whose state is not DEFLATE, or inflates past 256 KiB, are refused by the browser inflater without page errors', async () => {
  // `_w` is the byte 0xff: a final block of the reserved type 3. The bomb is node's zlib (an
  // independent DEFLATE): 1 MiB of spaces in about 1 KiB.
  const bomb = zlib.deflateRawSync(Buffer.alloc(1 << 20, 32), { level: 9 }).toString('base64url');
  for (const [frag, expected] of [['_w', 'raw DEFLATE data'], [bomb, 'at most 256 KiB of state']]) {
    const { page, context, errors } = await openPage(browser, server.origin, { path: '/#s=' + frag });
    await page.waitForSelector('.status.error');
    assert.equal(await page.textContent('[data-testid=status]'),
      `The link's state could not be read (link state at byte 0: expected ${expected}); showing the seed lab.`);
    assert.equal(await page.getAttribute('[data-testid=stack-app]', 'data-layers'), '7');
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('the page draws and takes edits before the lab worker answers; a worker that fails is replaced, twice at most', async () => {
  // The lab worker's wasm held back: the page (its own wasm has no simulator) already shows the
  // seed Dockerfile, says it is building, and keeps what is typed meanwhile.
  const context = await browser.newContext({ locale: 'en-US' });
  let release;
  const held = new Promise((r) => { release = r; });
  await context.route('**/layerscope-lab_bg.wasm', async (route) => { await held; await route.continue(); });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(server.origin + '/');
  await page.waitForSelector('.view-lab[data-busy=true]');
  assert.equal(await page.textContent('.pane-dockerfile .code-line[data-line="1"] .src'), 'FROM python:3.8-alpine');
  assert.match(await page.textContent('#pane-layers-title'), /Building/);
  assert.equal(await page.$('[data-testid=stack-app]'), null);
  await page.click('.pane-dockerfile button.tab:text-is("app2")');
  await page.fill('[data-testid=dockerfile-input]', 'FROM python:3.8-alpine\nCOPY app2.py /app2.py\n');
  assert.equal(await page.inputValue('[data-testid=dockerfile-input]'), 'FROM python:3.8-alpine\nCOPY app2.py /app2.py\n');
  release();
  // Once it answers, the edit was built in order: app2 is the base plus its COPY.
  await page.waitForSelector('[data-testid=stack-app2][data-layers="6"]');
  await labSettled(page);
  assert.equal(await page.inputValue('[data-testid=dockerfile-input]'), 'FROM python:3.8-alpine\nCOPY app2.py /app2.py\n');
  assert.equal(await page.getAttribute('[data-testid=stack-app]', 'data-layers'), '7');
  assert.deepEqual(errors, []);
  await context.close();

  // The wasm refused once: a new worker is started, sent the inputs, and builds them.
  const c1 = await browser.newContext({ locale: 'en-US' });
  let refused = 0;
  await c1.route('**/layerscope-lab_bg.wasm', (route) => (refused++ === 0 ? route.abort() : route.continue()));
  const p1 = await c1.newPage();
  await p1.goto(server.origin + '/');
  await p1.waitForSelector('[data-testid=stack-app][data-layers="7"]');
  assert.equal(refused, 2);
  assert.match(await p1.textContent('[data-testid=status]'), /^The lab simulator stopped \(.+\) and was started again with your Dockerfiles and context; containers, commits and pushes were lost\.$/);
  await c1.close();

  // The wasm always refused: after two new workers the status bar says the simulator stopped;
  // the editors still work.
  const c2 = await browser.newContext({ locale: 'en-US' });
  let tries = 0;
  await c2.route('**/layerscope-lab_bg.wasm', (route) => { tries++; return route.abort(); });
  const p2 = await c2.newPage();
  await p2.goto(server.origin + '/');
  await p2.waitForFunction(() => /reload the page/.test(document.querySelector('[data-testid=status]')?.textContent || ''));
  assert.match(await p2.textContent('[data-testid=status]'), /^The lab simulator stopped \(.+\)\. The editors still work; reload the page to start it again\.$/);
  assert.equal(tries, 3);
  await p2.fill('[data-testid=dockerfile-input]', 'FROM scratch\n');
  assert.equal(await p2.textContent('.pane-dockerfile .code-line[data-line="1"] .src'), 'FROM scratch');
  // Showing the lab again does not start a fourth worker.
  await p2.click('[data-testid=view-explore]');
  await p2.click('[data-testid=view-lab]');
  await p2.waitForTimeout(500);
  assert.equal(tries, 3);
  await c2.close();
});
