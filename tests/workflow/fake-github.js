// An in-memory stand-in for the part of the GitHub REST API that
// .github/scripts/pr-comment.js calls (issues.listComments, createComment,
// updateComment, paginate), the way actions/github-script hands it over.
// GitHub itself cannot be reached from the tests; this keeps the comments in
// an array so a test can check what a sequence of runs leaves behind.
// new FakeGitHub({ readOnly }) ; .comments ; .calls
'use strict';

class FakeGitHub {
  constructor({ readOnly = false, comments = [] } = {}) {
    this.readOnly = readOnly;
    this.comments = comments.map((c) => ({ ...c }));
    this.nextId = 1000;
    this.calls = [];
    const self = this;
    const denied = () => {
      const e = new Error('Resource not accessible by integration');
      e.status = 403;
      return e;
    };
    this.rest = {
      issues: {
        async listComments({ issue_number, per_page = 30, page = 1 }) {
          self.calls.push(['list', issue_number, page]);
          const all = self.comments.filter((c) => c.issue_number === issue_number);
          return { data: all.slice((page - 1) * per_page, page * per_page) };
        },
        async createComment({ issue_number, body }) {
          self.calls.push(['create', issue_number]);
          if (self.readOnly) throw denied();
          const c = { id: self.nextId++, issue_number, body, user: { login: 'github-actions[bot]', type: 'Bot' } };
          self.comments.push(c);
          return { data: c };
        },
        async updateComment({ comment_id, body }) {
          self.calls.push(['update', comment_id]);
          if (self.readOnly) throw denied();
          const c = self.comments.find((x) => x.id === comment_id);
          if (!c) { const e = new Error('Not Found'); e.status = 404; throw e; }
          c.body = body;
          return { data: c };
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

module.exports = { FakeGitHub, fakeCore, prContext };
