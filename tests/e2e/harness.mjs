// Shared by the end-to-end tests: a static server for dist/ on 127.0.0.1 (random port), started and
// stopped by each test file, and a headless Debian Chromium driven by playwright-core that records
// every request and console error.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');
export const dist = path.join(root, 'dist');
export const artifacts = path.join(here, 'artifacts');
export const shared = path.resolve(root, '../shared');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json',
  '.png': 'image/png', '.ico': 'image/x-icon', '.txt': 'text/plain; charset=utf-8',
};

export async function startServer(dir = dist) {
  if (!fs.existsSync(path.join(dir, 'index.html'))) throw new Error(`${dir}/index.html missing: run trunk build --release first`);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let file = path.normalize(path.join(dir, decodeURIComponent(url.pathname)));
    if (!file.startsWith(dir)) { res.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    fs.readFile(file, (err, body) => {
      if (err) { res.writeHead(404).end('not found'); return; }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
      res.end(body);
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, close: () => new Promise((r) => server.close(r)) };
}

export async function launch() {
  fs.mkdirSync(artifacts, { recursive: true });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  return browser;
}

// A page that records requests and console errors; `origin` is the only allowed origin.
// By default it waits for the lab worker's first answer (`html[data-lab-answered]`), so the lab's
// images are on the page; `lab: false` does not wait.
export async function openPage(browser, origin, { width = 1280, height = 800, colorScheme = 'light', locale = 'en-US', path: p = '/', lab = true } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme, locale });
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(origin + p);
  await page.waitForSelector('.app');
  if (lab) await page.waitForSelector('html[data-lab-answered]', { state: 'attached' });
  return { page, context, requests, errors, foreign: () => requests.filter((u) => !u.startsWith(origin + '/') && !u.startsWith('data:') && !u.startsWith('blob:')) };
}

// Wait until the lab worker has answered every request the page sent.
export const labSettled = (page) => page.waitForSelector('.view-lab[data-busy=false]', { state: 'attached' });

// Drop files on the page the way a user does: dragenter, dragover, drop with a DataTransfer.
export async function dropFiles(page, files, selector = '.drop-zone') {
  await page.evaluate(async ({ files, selector }) => {
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name));
    const target = document.querySelector(selector);
    for (const type of ['dragenter', 'dragover', 'drop']) {
      target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    }
  }, { files: files.map((f) => ({ name: f.name, b64: Buffer.from(f.data).toString('base64') })), selector });
}

// Latin words left in the page's visible interface text (text nodes, titles, aria-labels,
// placeholders) with a Russian locale: each word not in `ok`, with where it was. Elements matching
// `skip` (code, names, Docker output) are left out, and so are the attributes of elements matching
// `attrSkip`; matches of the regular expression `names` (source text) are names, not words.
export async function latinWords(page, { ok, skip, attrSkip = null, names = null }) {
  return page.evaluate(({ ok, skip, attrSkip, names }) => {
    const bad = new Set();
    const check = (text, where) => {
      // Paths (/usr/local/bin) are names.
      let words = text.replace(/(^|[\s(])\/[^\s)]*/g, ' ');
      if (names) words = words.replace(new RegExp(names, 'g'), ' ');
      for (const w of words.match(/[A-Za-z][A-Za-z0-9_-]*/g) || []) {
        if (w.length > 1 && !ok.includes(w) && !ok.includes(w.toLowerCase())) bad.add(`${w} (${where})`);
      }
    };
    const visible = (el) => el && el.getClientRects().length > 0;
    const walk = document.createTreeWalker(document.querySelector('.app'), NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const el = n.parentElement;
      if (!visible(el) || el.closest(skip)) continue;
      check(n.textContent, el.className || el.tagName);
    }
    for (const el of document.querySelectorAll('.app [title], .app [aria-label], .app [placeholder]')) {
      if (el.closest(skip) || (attrSkip && el.matches(attrSkip))) continue;
      for (const a of ['title', 'aria-label', 'placeholder']) if (el.hasAttribute(a)) check(el.getAttribute(a), `${a} of ${el.className || el.tagName}`);
    }
    return [...bad];
  }, { ok: [...ok], skip, attrSkip, names });
}
