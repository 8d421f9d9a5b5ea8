// The pull request comment logic of .github/scripts/pr-comment.js against
// the in-memory GitHub of fake-github.js: one comment, found again by its
// marker and updated, never a second; other comments untouched; a
// read-only token (fork) warns and does not fail; past 100 comments
// (pagination) it is still found. Usage: node pr-comment.test.js REPO_ROOT
'use strict';
const assert = require('assert');
const path = require('path');
const root = path.resolve(process.argv[2] || path.join(__dirname, '..', '..'));
const post = require(path.join(root, '.github/scripts/pr-comment.js'));
const { FakeGitHub, fakeCore, prContext, workflowRunContext } = require('./fake-github.js');
const MARKER = post.MARKER;
let n = 0;
const ok = (m) => { n++; console.log('ok: ' + m); };

(async () => {
  assert.strictEqual(MARKER, '<!-- benchkeep:summary -->');
  const github = new FakeGitHub({
    comments: [
      { id: 1, issue_number: 7, body: 'LGTM', user: { login: 'alice', type: 'User' } },
      // a person quoting the marker is not the bot's comment
      { id: 2, issue_number: 7, body: 'see ' + MARKER, user: { login: 'bob', type: 'User' } },
      { id: 3, issue_number: 8, body: MARKER + '\nother PR', user: { login: 'github-actions[bot]', type: 'Bot' } },
    ],
  });
  const core = fakeCore();
  const ctx = prContext(7);
  assert.strictEqual(await post({ github, context: ctx, core, body: MARKER + '\n## first' }), 'created');
  assert.strictEqual(await post({ github, context: ctx, core, body: '## second' }), 'updated');
  assert.strictEqual(await post({ github, context: ctx, core, body: '## second' }), 'unchanged');
  const mine = github.comments.filter((c) => c.issue_number === 7 && c.user.type === 'Bot');
  assert.strictEqual(mine.length, 1, 'exactly one bot comment on the PR');
  assert.strictEqual(mine[0].body, MARKER + '\n## second', 'marker added when missing, body replaced');
  assert.strictEqual(github.comments.find((c) => c.id === 1).body, 'LGTM');
  assert.strictEqual(github.comments.find((c) => c.id === 2).body, 'see ' + MARKER);
  assert.strictEqual(github.comments.find((c) => c.id === 3).body, MARKER + '\nother PR');
  ok('created once, then updated in place; other comments untouched');

  const busy = new FakeGitHub({
    comments: Array.from({ length: 150 }, (_, i) => ({ id: i + 1, issue_number: 9, body: 'c' + i, user: { login: 'u', type: 'User' } })),
  });
  busy.comments.push({ id: 500, issue_number: 9, body: MARKER + '\nold', user: { login: 'github-actions[bot]', type: 'Bot' } });
  assert.strictEqual(await post({ github: busy, context: prContext(9), core, body: 'new' }), 'updated');
  assert.strictEqual(busy.comments.filter((c) => c.body.includes(MARKER)).length, 1);
  ok('found past the first page of comments');

  const fork = new FakeGitHub({ readOnly: true });
  const fcore = fakeCore();
  assert.strictEqual(await post({ github: fork, context: prContext(7), core: fcore, body: 'x' }), 'skipped');
  assert.ok(fcore.log.some(([k, m]) => k === 'warning' && /read-only token/.test(m)), fcore.log);
  assert.ok(!fcore.log.some(([k]) => k === 'failed'));
  ok('read-only token (fork): a warning, no failure');

  const big = 'x'.repeat(70000);
  const g2 = new FakeGitHub();
  await post({ github: g2, context: prContext(1), core, body: big });
  assert.ok(g2.comments[0].body.length <= 65536 && g2.comments[0].body.startsWith(MARKER));
  ok('a body over GitHub\'s limit is cut, marker kept');

  assert.strictEqual(await post({ github: g2, context: { repo: { owner: 'o', repo: 'r' }, payload: {} }, core, body: 'x' }), 'skipped');
  ok('no pull request: nothing posted');
  // workflow_run (the comment workflow): the number from the artifact is
  // used only when that pull request's head is the run's head commit
  const wr = new FakeGitHub({ pulls: [{ number: 5, head: { sha: 'aaa' } }, { number: 6, head: { sha: 'bbb' } }] });
  const wcore = fakeCore();
  assert.strictEqual(await post({ github: wr, context: workflowRunContext('aaa'), core: wcore, body: 'x', prNumber: '5' }), 'created');
  assert.strictEqual(await post({ github: wr, context: workflowRunContext('aaa'), core: wcore, body: 'y', prNumber: 5 }), 'updated');
  assert.strictEqual(wr.comments.length, 1);
  assert.strictEqual(wr.comments[0].issue_number, 5);
  // a tampered number (another pull request, one that does not exist, junk) posts nothing
  assert.strictEqual(await post({ github: wr, context: workflowRunContext('aaa'), core: wcore, body: 'z', prNumber: 6 }), 'skipped');
  assert.strictEqual(await post({ github: wr, context: workflowRunContext('aaa'), core: wcore, body: 'z', prNumber: 99 }), 'skipped');
  assert.strictEqual(await post({ github: wr, context: workflowRunContext('aaa'), core: wcore, body: 'z', prNumber: '1; rm' }), 'skipped');
  assert.strictEqual(wr.comments.length, 1);
  assert.ok(!wr.comments.some((c) => c.issue_number === 6));
  assert.ok(wcore.log.some(([k, m]) => k === 'warning' && /not at the run's head/.test(m)));
  ok('workflow_run: posted on the pull request whose head is the run\'s; a tampered number posts nothing');
  console.log(`${n} passed, 0 failed`);
})().catch((e) => { console.error(e); process.exit(1); });
