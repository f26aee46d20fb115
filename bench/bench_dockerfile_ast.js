// Throughput of npm dockerfile-ast over the real-world Dockerfile corpus
// (../../shared/corpus/dockerfile/realworld, files listed in MANIFEST.tsv).
// Usage: node bench_dockerfile_ast.js [SECONDS]   (install with `npm ci` here first)
// Prints MB/s for parse() alone and for parse() plus walking every instruction's
// keyword, flags and arguments (dockerfile-ast computes some of these lazily).
'use strict';
const fs = require('fs');
const path = require('path');
const { DockerfileParser } = require('dockerfile-ast');

const dir = path.join(__dirname, '..', '..', 'shared', 'corpus', 'dockerfile', 'realworld');
const manifest = fs.readFileSync(path.join(dir, 'MANIFEST.tsv'), 'utf8').split('\n').slice(1).filter(Boolean);
const files = manifest.map((l) => fs.readFileSync(path.join(dir, l.split('\t')[0])));
const texts = files.map((b) => b.toString('utf8'));
const bytes = files.reduce((n, b) => n + b.length, 0);
const seconds = Number(process.argv[2] || 5);

function run(label, fn) {
  for (let i = 0; i < 3; i++) texts.forEach(fn); // warm-up (JIT)
  let rounds = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < seconds) {
    texts.forEach(fn);
    rounds++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  }
  const mbps = (bytes * rounds) / elapsed / 1e6;
  console.log(`dockerfile-ast ${label}: ${files.length} files, ${bytes} bytes, ${rounds} rounds in ${elapsed.toFixed(2)}s = ${mbps.toFixed(1)} MB/s`);
}

let sink = 0;
run('parse', (t) => { sink += DockerfileParser.parse(t).getInstructions().length; });
run('parse+walk', (t) => {
  for (const ins of DockerfileParser.parse(t).getInstructions()) {
    sink += ins.getKeyword().length + ins.getArguments().length;
    if (typeof ins.getFlags === 'function') sink += ins.getFlags().length;
  }
});
if (sink < 0) console.log(sink);
