// Opens, updates or closes the one issue of the weekly benchmark check.
// Called from actions/github-script after `tools/ci/bench.sh weekly`:
//   const weekly = require('./.github/scripts/weekly-issue.js');
//   await weekly({ github, context, core, bodyFile: 'build/bench-ci/weekly-check.md',
//                  regressions: 2, complete: true, runUrl });
// The issue is found among the open issues by the marker in its body (only
// issues opened by a bot account, so a person quoting the marker is left
// alone), never by its title, so there is never a second one:
//   regressions > 0, none open  -> a new issue            ("opened")
//   regressions > 0, one open   -> its title and body replaced, a comment
//                                  naming the run          ("updated")
//   no regression, one open     -> a comment, then closed ("closed"), but
//                                  only after a complete run: a manual run of
//                                  some suites cannot clear the others ("kept")
//   no regression, none open    -> nothing                ("clean")
// A later regression after a close opens a new issue: each episode is one.
'use strict';
const fs = require('fs');

const MARKER = '<!-- benchkeep:weekly-check -->';
// GitHub refuses issue bodies above 65536 characters
const MAX_BODY = 65000;

function titleFor(n) {
  return `Weekly benchmark check: ${n} regression${n === 1 ? '' : 's'} against the baseline`;
}

async function findOpen(github, where) {
  const issues = await github.paginate(github.rest.issues.listForRepo,
    { ...where, state: 'open', per_page: 100 });
  const mine = issues.filter((i) => !i.pull_request && i.user && i.user.type === 'Bot' &&
    typeof i.body === 'string' && i.body.includes(MARKER));
  mine.sort((a, b) => a.number - b.number);
  return mine[0];
}

module.exports = async function weeklyIssue({ github, context, core, bodyFile, body, regressions,
  complete = true, runUrl = '' }) {
  const n = Number(regressions);
  if (!Number.isInteger(n) || n < 0) throw new Error(`regressions must be a count, got '${regressions}'`);
  let text = body !== undefined ? body : fs.readFileSync(bodyFile, 'utf8');
  if (!text.includes(MARKER)) text = MARKER + '\n' + text;
  if (text.length > MAX_BODY) {
    text = text.slice(0, MAX_BODY) + '\n\n_(cut: the full text is in the workflow artifacts)_\n';
  }
  const where = { owner: context.repo.owner, repo: context.repo.repo };
  const open = await findOpen(github, where);
  const run = runUrl ? ` ([run](${runUrl}))` : '';
  if (n > 0) {
    const title = titleFor(n);
    if (!open) {
      const { data } = await github.rest.issues.create({ ...where, title, body: text });
      core.info(`opened issue #${data.number}: ${title}`);
      return 'opened';
    }
    if (open.body === text && open.title === title) {
      core.info(`issue #${open.number} is up to date`);
      return 'unchanged';
    }
    await github.rest.issues.update({ ...where, issue_number: open.number, title, body: text });
    await github.rest.issues.createComment({ ...where, issue_number: open.number,
      body: `The weekly check still finds ${n} regression${n === 1 ? '' : 's'}${run}: the description is updated.` });
    core.info(`updated issue #${open.number}: ${title}`);
    return 'updated';
  }
  if (!open) {
    core.info('no regression and no open issue: nothing to do');
    return 'clean';
  }
  if (!complete) {
    core.info(`no regression in the suites this run measured; issue #${open.number} stays open ` +
      '(only a run of every suite closes it)');
    return 'kept';
  }
  await github.rest.issues.createComment({ ...where, issue_number: open.number,
    body: `The weekly check found no regression${run}: closing.` });
  await github.rest.issues.update({ ...where, issue_number: open.number, state: 'closed',
    state_reason: 'completed' });
  core.info(`closed issue #${open.number}: the weekly check is clean`);
  return 'closed';
};

module.exports.MARKER = MARKER;
module.exports.titleFor = titleFor;
