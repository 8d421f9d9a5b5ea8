// The weekly check's issue logic of .github/scripts/weekly-issue.js against
// the in-memory GitHub of fake-github.js, over a sequence of weekly runs:
// a regression opens one issue, the next regressing run updates it (never a
// second), a clean run closes it, a manual run of some suites does not, a
// later regression opens a new one; issues of people and pull requests that
// quote the marker are left alone; past 100 open issues it is still found.
// Usage: node weekly-issue.test.js REPO_ROOT
'use strict';
const assert = require('assert');
const path = require('path');
const root = path.resolve(process.argv[2] || path.join(__dirname, '..', '..'));
const weekly = require(path.join(root, '.github/scripts/weekly-issue.js'));
const { FakeGitHub, fakeCore, repoContext } = require('./fake-github.js');
const MARKER = weekly.MARKER;
let n = 0;
const ok = (m) => { n++; console.log('ok: ' + m); };
const open = (gh) => gh.issues.filter((i) => i.state === 'open' && !i.pull_request && i.body.includes(MARKER) && i.user.type === 'Bot');

(async () => {
  assert.strictEqual(MARKER, '<!-- benchkeep:weekly-check -->');
  const github = new FakeGitHub({
    issues: [
      { number: 1, title: 'a bug', body: 'see ' + MARKER, user: { login: 'alice', type: 'User' } },
      { number: 2, title: 'a PR', body: MARKER, user: { login: 'github-actions[bot]', type: 'Bot' }, pull_request: {} },
    ],
  });
  const core = fakeCore();
  const ctx = repoContext();
  const body1 = MARKER + '\n## week 1\n### :red_circle: Regression: cli / startup\n';
  assert.strictEqual(await weekly({ github, context: ctx, core, body: body1, regressions: 1, runUrl: 'https://x/1' }), 'opened');
  assert.strictEqual(open(github).length, 1);
  const issue = open(github)[0];
  assert.strictEqual(issue.title, 'Weekly benchmark check: 1 regression against the baseline');
  assert.strictEqual(issue.body, body1);
  ok('a regression opens one issue, titled by the check, the weekly markdown as its body');

  const body2 = '## week 2\n### :red_circle: Regression: cli / startup\n### :red_circle: Regression: nats / rtt\n';
  assert.strictEqual(await weekly({ github, context: ctx, core, body: body2, regressions: '2', runUrl: 'https://x/2' }), 'updated');
  assert.strictEqual(await weekly({ github, context: ctx, core, body: body2, regressions: 2 }), 'unchanged');
  assert.strictEqual(open(github).length, 1, 'never a second issue');
  assert.strictEqual(open(github)[0].number, issue.number);
  assert.strictEqual(issue.body, MARKER + '\n' + body2, 'marker added when missing, body replaced');
  assert.strictEqual(issue.title, 'Weekly benchmark check: 2 regressions against the baseline');
  const notes = github.comments.filter((c) => c.issue_number === issue.number);
  assert.strictEqual(notes.length, 1);
  assert.match(notes[0].body, /still finds 2 regressions \(\[run\]\(https:\/\/x\/2\)\)/);
  assert.strictEqual(github.issues.find((i) => i.number === 1).body, 'see ' + MARKER);
  assert.strictEqual(github.issues.find((i) => i.number === 2).state, 'open');
  ok('the next regressing run updates the same issue (title, body, a comment); others untouched');

  assert.strictEqual(await weekly({ github, context: ctx, core, body: '## clean', regressions: 0, complete: false }), 'kept');
  assert.strictEqual(issue.state, 'open');
  ok('a clean run of only some suites leaves it open');

  assert.strictEqual(await weekly({ github, context: ctx, core, body: '## clean', regressions: 0, runUrl: 'https://x/3' }), 'closed');
  assert.strictEqual(issue.state, 'closed');
  assert.strictEqual(issue.state_reason, 'completed');
  assert.match(github.comments[github.comments.length - 1].body, /found no regression \(\[run\]\(https:\/\/x\/3\)\): closing/);
  assert.strictEqual(await weekly({ github, context: ctx, core, body: '## clean', regressions: 0 }), 'clean');
  assert.strictEqual(github.issues.find((i) => i.number === 1).state, 'open');
  ok('a clean weekly run closes it; the next clean one has nothing to do');

  assert.strictEqual(await weekly({ github, context: ctx, core, body: body1, regressions: 3 }), 'opened');
  assert.strictEqual(open(github).length, 1);
  assert.notStrictEqual(open(github)[0].number, issue.number);
  ok('a later regression opens a new issue (the closed one stays closed)');

  const busy = new FakeGitHub({
    issues: Array.from({ length: 150 }, (_, i) => ({ number: i + 1, title: 't', body: 'b' + i, user: { login: 'u', type: 'User' } })),
  });
  busy.issues.push({ number: 500, state: 'open', title: 'old', body: MARKER + '\nold', user: { login: 'github-actions[bot]', type: 'Bot' } });
  assert.strictEqual(await weekly({ github: busy, context: ctx, core, body: 'new', regressions: 1 }), 'updated');
  assert.strictEqual(busy.issues.filter((i) => i.body.includes(MARKER)).length, 1);
  ok('found past the first page of open issues');

  await assert.rejects(weekly({ github, context: ctx, core, body: 'x', regressions: 'many' }), /must be a count/);
  const big = new FakeGitHub();
  await weekly({ github: big, context: ctx, core, body: 'x'.repeat(70000), regressions: 1 });
  assert.ok(big.issues[0].body.length <= 65536 && big.issues[0].body.startsWith(MARKER));
  ok('a bad count is refused; a body over GitHub\'s limit is cut, marker kept');
  console.log(`${n} passed, 0 failed`);
})().catch((e) => { console.error(e); process.exit(1); });
