"""Writing to GitHub issues for `roadmap notify`: read an issue's comments, post one, close or
reopen the issue. Everything else Candor does with GitHub only reads.

Requests go through PyGithub's requester with the same bounded connection and clock as a
sync (github_http.py), so no answer holds a publish for ever. Writes are never retried on
a 5xx: GitHub may have made the comment before failing, and a retry would post it twice.
The next run finds the comment by its marker instead. PyGithub pauses a second between
writes, as GitHub asks (make_client).

Whose comments count: `comments` gives each comment's author with its text, and
`own_accounts` says which accounts are Candor's own, so that a marker someone else posted
(its hash can be worked out from the public roadmap.json) silences nothing. With a personal
or OAuth token that is the token's account (`GET /user`). An installation token (the
workflow's GITHUB_TOKEN, a GitHub App's) may not read `/user` (GitHub answers 403): its
comments are posted as `github-actions[bot]`, or as the app's bot account, which Candor
learns from the answer to each comment it posts (`posted_as`).

A comment listing's `Link` header is followed only on the same server, never back to a
page already read, for at most MAX_COMMENT_PAGES pages, and never below the requests
that must stay for the next sync (`keep`): an answer that leads on for ever ends with a
sentence, not with the hour's rate limit.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlparse

from github import Github, GithubException

from roadmap.sources.github.fetch import explain_failure, next_link
from roadmap.sources.github.http import PER_PAGE, SyncClock, SyncError, bounded_connection, make_client
from roadmap.sources.github.settings import GitHubSettings
from roadmap.sources.writing import Comment, WriteFailed

# Pages of comments read on one issue (100 each) before the marker search gives up.
MAX_COMMENT_PAGES = 50
# The account GitHub Actions' GITHUB_TOKEN writes as.
ACTIONS_BOT = "github-actions[bot]"


class IssueWriter:
    """The few requests write-back makes, counted."""

    def __init__(self, settings: GitHubSettings) -> None:
        self.settings = settings
        self.clock = SyncClock(settings.retry_for, settings.deadline)
        client: Github = make_client(settings, self.clock)
        self.requester = client.requester
        # Only reads are retried after a failed answer: a POST that failed with a 5xx may have
        # made its comment, and the marker check of the next run is the safe way to find out.
        self.connection = bounded_connection(self.settings, self.clock, retried=frozenset({"GET"}))
        self.answered = 0
        # Accounts Candor's own comments were posted as, from GitHub's answers to them.
        self.posted_as: set[str] = set()
        self._own: set[str] | None = None

    @property
    def requests(self) -> int:
        return self.answered + self.clock.retries

    @property
    def remaining(self) -> tuple[int | None, int | None]:
        """Requests left this hour and the hour's limit, once GitHub has said (else None)."""
        remaining, limit = self.requester.rate_limiting
        return (remaining if remaining >= 0 else None), (limit if limit >= 0 else None)

    def ask_budget(self) -> None:
        """Learn the requests left this hour before the first write (GitHub does not count
        this request against the limit); a failure here is left to the writes to report."""
        try:
            self._call("GET", "/rate_limit")
        except WriteFailed:
            pass

    def own_accounts(self) -> frozenset[str]:
        """The logins whose comments are Candor's own: the token's account, else (an
        installation token) GitHub Actions' bot and the accounts Candor has posted as.
        Asked once a run, and only when a marker is found."""
        if self._own is None:
            try:
                _, data = self._call("GET", "/user")
            except WriteFailed as err:
                if err.status != 403 or err.rate_limited:
                    raise
                self._own = {ACTIONS_BOT}  # an installation token: it may not read /user
            else:
                login = data.get("login") if isinstance(data, dict) else None
                self._own = {login} if isinstance(login, str) and login else set()
        return frozenset(self._own | self.posted_as)

    def comments(self, repo: str, number: int, keep: int = 0) -> Iterator[Comment]:
        """Every comment on the issue, oldest first; stops (WriteFailed) before a request that
        would leave fewer than `keep` requests this hour."""
        url: str | None = f"/repos/{repo}/issues/{number}/comments"
        params: dict[str, Any] | None = {"per_page": PER_PAGE}
        seen: set[str] = set()
        pages = 0
        while url:
            self._check_budget(keep, f"while reading the comments of {repo}#{number}")
            headers, data = self._call("GET", url, params=params)
            pages += 1
            if not isinstance(data, list):
                raise WriteFailed(f"GitHub's answer for the comments of {repo}#{number} is not a list")
            for comment in data:
                if isinstance(comment, dict) and isinstance(comment.get("body"), str):
                    user = comment.get("user")
                    login = user.get("login") if isinstance(user, dict) else None
                    yield Comment(comment["body"], login if isinstance(login, str) else "")
            url, params = next_link(headers, "next"), None
            if url:
                self._check_next(url, seen, pages, f"{repo}#{number}")

    def _check_next(self, url: str, seen: set[str], pages: int, issue: str) -> None:
        """A `Link: rel="next"` may lead anywhere, for ever: each page is read once, from
        GitHub's own server, and only so many."""
        address = urlparse(url)
        base = urlparse(self.requester.base_url)
        if _server(address) != _server(base):
            raise WriteFailed(f"GitHub's next-page link after page {pages} of the comments of {issue} "
                              f"points to another server ({address.hostname}); not told, as its "
                              "comments could not all be read")
        query = parse_qsl(address.query, keep_blank_values=True)
        key = f"{address.path}?{urlencode(sorted(query))}"
        if key in seen or dict(query).get("page") == "1":
            raise WriteFailed(f"GitHub's next-page link after page {pages} of the comments of {issue} "
                              "leads back to a page already read; stopped there rather than read "
                              "the same pages for ever, and not told")
        if pages >= MAX_COMMENT_PAGES:
            raise WriteFailed(f"the comments of {issue} go on past {MAX_COMMENT_PAGES} pages; stopped "
                              "there rather than spend the rate limit on an answer without end, "
                              "and not told")
        seen.add(key)

    def _check_budget(self, keep: int, doing: str) -> None:
        remaining, limit = self.remaining
        if remaining is not None and remaining - 1 < keep:
            raise WriteFailed(f"{remaining:,} of {limit or 0:,} requests are left this hour {doing}, "
                              "and the next sync needs some", exhausted=True)

    def comment(self, repo: str, number: int, body: str) -> None:
        _, data = self._call("POST", f"/repos/{repo}/issues/{number}/comments", body={"body": body})
        user = data.get("user") if isinstance(data, dict) else None
        login = user.get("login") if isinstance(user, dict) else None
        if isinstance(login, str) and login:
            self.posted_as.add(login)

    def close(self, repo: str, number: int, state_reason: str | None) -> None:
        self._call("PATCH", f"/repos/{repo}/issues/{number}",
                   body={"state": "closed", "state_reason": state_reason})

    def reopen(self, repo: str, number: int) -> None:
        self._call("PATCH", f"/repos/{repo}/issues/{number}",
                   body={"state": "open", "state_reason": "reopened"})

    def _call(self, verb: str, url: str, params: dict[str, Any] | None = None,
              body: dict[str, Any] | None = None) -> tuple[dict[str, Any], Any]:
        try:
            self.clock.check()
            status, headers, output = self.requester.requestJson(
                verb, url, parameters=params, input=body, cnx=self.connection)
        except Exception as err:  # noqa: BLE001 - the network's failures all become a warning
            self.answered += 1
            # A GET's failed answer comes as PyGithub's exception (its retry read it first).
            failed = err.status if isinstance(err, GithubException) else None
            raise WriteFailed(explain_failure(err, self.settings), failed) from None
        self.answered += 1
        try:
            data = json.loads(output) if output else None
        except ValueError:
            raise WriteFailed(f"GitHub's answer ({status}) is not JSON", status) from None
        if status >= 400:
            said = data if isinstance(data, dict) else {}
            error = self.requester.createException(status, headers, said)
            raise WriteFailed(explain_failure(error, self.settings), status)
        if status >= 300:
            raise WriteFailed(explain_failure(SyncError(f"GitHub answered {status}"), self.settings), status)
        return headers, data


def _server(address: Any) -> tuple[str | None, int]:
    return address.hostname, address.port or (443 if address.scheme == "https" else 80)
