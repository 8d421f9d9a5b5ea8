// Creates or updates the one pull request comment that carries the
// benchkeep marker. Called from actions/github-script:
//   const post = require('./.github/scripts/pr-comment.js');
//   await post({ github, context, core, bodyFile: 'build/bench-ci/summary.md' });
// From a workflow_run workflow (the comment posted with a write token after
// the pull request's own run, which had a read-only one), the pull request
// is not in the payload: pass prNumber (from the run's artifact, so not
// trusted) and it is used only when that pull request's head is the run's
// head commit (context.payload.workflow_run.head_sha):
//   await post({ github, context, core, bodyFile, prNumber: 17 });
// The comment is found among the pull request's comments by the marker (only
// comments by a bot account, so a person quoting the marker is left alone);
// it is updated in place, never posted twice. A read-only token (a pull
// request from a fork) cannot comment: that is a warning, not a failure.
// Returns "created", "updated", "unchanged" or "skipped".
'use strict';
const fs = require('fs');

const MARKER = '<!-- benchkeep:summary -->';
// GitHub refuses comment bodies above 65536 characters
const MAX_BODY = 65000;

// The pull request to comment on: the payload's, or prNumber checked
// against the head commit of the workflow run; null when neither holds.
async function pullRequestOf({ github, context, core, prNumber }) {
  if (context.payload.pull_request) return context.payload.pull_request.number;
  const wr = context.payload.workflow_run;
  const n = Number(prNumber);
  if (!wr || !Number.isInteger(n) || n <= 0) return null;
  let data;
  try {
    ({ data } = await github.rest.pulls.get({ owner: context.repo.owner, repo: context.repo.repo, pull_number: n }));
  } catch (err) {
    if (err && err.status === 404) {
      core.warning(`no pull request #${n}: no comment`);
      return null;
    }
    throw err;
  }
  if (!data.head || data.head.sha !== wr.head_sha) {
    core.warning(`pull request #${n} is not at the run's head ${wr.head_sha}: no comment`);
    return null;
  }
  return n;
}

module.exports = async function postSummary({ github, context, core, bodyFile, body, prNumber }) {
  let text = body !== undefined ? body : fs.readFileSync(bodyFile, 'utf8');
  if (!text.includes(MARKER)) text = MARKER + '\n' + text;
  if (text.length > MAX_BODY) {
    text = text.slice(0, MAX_BODY) + '\n\n_(summary cut: the full text is in the workflow artifacts)_\n';
  }
  const number = await pullRequestOf({ github, context, core, prNumber });
  if (!number) {
    core.info('not a pull request: no comment');
    return 'skipped';
  }
  const pr = { number };
  const where = { owner: context.repo.owner, repo: context.repo.repo };
  try {
    const comments = await github.paginate(github.rest.issues.listComments,
      { ...where, issue_number: pr.number, per_page: 100 });
    const mine = comments.filter((c) => c.user && c.user.type === 'Bot' && c.body && c.body.includes(MARKER));
    if (mine.length === 0) {
      await github.rest.issues.createComment({ ...where, issue_number: pr.number, body: text });
      core.info(`created the benchmark comment on #${pr.number}`);
      return 'created';
    }
    const c = mine[0];
    if (c.body === text) {
      core.info(`benchmark comment ${c.id} is up to date`);
      return 'unchanged';
    }
    await github.rest.issues.updateComment({ ...where, comment_id: c.id, body: text });
    core.info(`updated the benchmark comment ${c.id} on #${pr.number}`);
    return 'updated';
  } catch (err) {
    if (err && (err.status === 403 || err.status === 404)) {
      core.warning(`cannot comment on #${pr.number} (${err.status}: ${err.message}); ` +
        'a pull request from a fork gets a read-only token: the summary is in the job summary and the artifacts');
      return 'skipped';
    }
    throw err;
  }
};

module.exports.MARKER = MARKER;
