// An in-memory stand-in for the part of the GitHub REST API that
// .github/scripts/pr-comment.js and weekly-issue.js call (issues.listComments,
// createComment, updateComment, listForRepo, create, update; pulls.get;
// paginate), the way actions/github-script hands it over. GitHub itself
// cannot be reached from the tests; this keeps comments, issues and pull
// requests in arrays so a test can check what a sequence of runs leaves.
// new FakeGitHub({ readOnly, comments, issues, pulls }) ; .comments ; .issues ; .calls
'use strict';

const BOT = { login: 'github-actions[bot]', type: 'Bot' };

class FakeGitHub {
  constructor({ readOnly = false, comments = [], issues = [], pulls = [] } = {}) {
    this.readOnly = readOnly;
    this.comments = comments.map((c) => ({ ...c }));
    this.issues = issues.map((i) => ({ state: 'open', ...i }));
    this.pulls = pulls.map((p) => ({ ...p }));
    this.nextId = 1000;
    this.calls = [];
    const self = this;
    const denied = () => {
      const e = new Error('Resource not accessible by integration');
      e.status = 403;
      return e;
    };
    const notFound = () => {
      const e = new Error('Not Found');
      e.status = 404;
      return e;
    };
    const page = (all, per_page, p) => all.slice((p - 1) * per_page, p * per_page);
    this.rest = {
      issues: {
        async listComments({ issue_number, per_page = 30, page: p = 1 }) {
          self.calls.push(['list', issue_number, p]);
          return { data: page(self.comments.filter((c) => c.issue_number === issue_number), per_page, p) };
        },
        async createComment({ issue_number, body }) {
          self.calls.push(['create', issue_number]);
          if (self.readOnly) throw denied();
          const c = { id: self.nextId++, issue_number, body, user: { ...BOT } };
          self.comments.push(c);
          return { data: c };
        },
        async updateComment({ comment_id, body }) {
          self.calls.push(['update', comment_id]);
          if (self.readOnly) throw denied();
          const c = self.comments.find((x) => x.id === comment_id);
          if (!c) throw notFound();
          c.body = body;
          return { data: c };
        },
        // issues and pull requests, as GitHub lists them
        async listForRepo({ state = 'open', per_page = 30, page: p = 1 }) {
          self.calls.push(['listIssues', state, p]);
          const all = self.issues.filter((i) => state === 'all' || i.state === state);
          return { data: page(all, per_page, p) };
        },
        async create({ title, body }) {
          self.calls.push(['createIssue']);
          if (self.readOnly) throw denied();
          const number = self.nextId++;
          const i = { number, title, body, state: 'open', user: { ...BOT } };
          self.issues.push(i);
          return { data: i };
        },
        async update({ issue_number, title, body, state, state_reason }) {
          self.calls.push(['updateIssue', issue_number]);
          if (self.readOnly) throw denied();
          const i = self.issues.find((x) => x.number === issue_number);
          if (!i) throw notFound();
          if (title !== undefined) i.title = title;
          if (body !== undefined) i.body = body;
          if (state !== undefined) i.state = state;
          if (state_reason !== undefined) i.state_reason = state_reason;
          return { data: i };
        },
      },
      pulls: {
        async get({ pull_number }) {
          self.calls.push(['getPull', pull_number]);
          const p = self.pulls.find((x) => x.number === pull_number);
          if (!p) throw notFound();
          return { data: p };
        },
      },
    };
  }

  // octokit's paginate: every page of a list call, concatenated
  async paginate(fn, params) {
    const out = [];
    for (let page = 1; ; page++) {
      const { data } = await fn({ ...params, page });
      out.push(...data);
      if (data.length < (params.per_page || 30)) return out;
    }
  }
}

function fakeCore() {
  const log = [];
  return {
    log,
    info: (m) => log.push(['info', m]),
    warning: (m) => log.push(['warning', m]),
    setFailed: (m) => log.push(['failed', m]),
  };
}

function prContext(number) {
  return { repo: { owner: 'o', repo: 'r' }, payload: { pull_request: { number } } };
}

// the context of a workflow_run event (the comment workflow): no
// pull_request in the payload, the triggering run's head sha
function workflowRunContext(headSha) {
  return { repo: { owner: 'o', repo: 'r' }, payload: { workflow_run: { head_sha: headSha, event: 'pull_request' } } };
}

function repoContext() {
  return { repo: { owner: 'o', repo: 'r' }, payload: {} };
}

module.exports = { FakeGitHub, fakeCore, prContext, workflowRunContext, repoContext };
