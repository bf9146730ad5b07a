"""Writing to GitHub issues for `roadmap notify`: read an issue's comments, post one, close or
reopen the issue. Everything else Candor does with GitHub only reads.

Requests go through PyGithub's requester with the same bounded connection and clock as a
sync (github_http.py), so no answer holds a publish for ever. Writes are never retried on
a 5xx: GitHub may have made the comment before failing, and a retry would post it twice.
The next run finds the comment by its marker instead. PyGithub pauses a second between
writes, as GitHub asks (make_client).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from github import Github

from roadmap.sources.github.fetch import explain_failure, next_link
from roadmap.sources.github.http import PER_PAGE, SyncClock, SyncError, bounded_connection, make_client
from roadmap.sources.github.settings import GitHubSettings

# Pages of comments read on one issue (100 each) before the marker search gives up.
MAX_COMMENT_PAGES = 50


class WriteFailed(Exception):
    """GitHub refused or failed a request; the message is for the maintainer, token-free."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status

    @property
    def refused(self) -> bool:
        """The token may not write here (401/403 that is not a rate limit): every other issue
        would be refused the same way."""
        return self.status in (401, 403) and not self.rate_limited

    @property
    def rate_limited(self) -> bool:
        return self.status in (403, 429) and "rate limit" in str(self)


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

    def comments(self, repo: str, number: int) -> Iterator[str]:
        """The body of every comment on the issue, oldest first."""
        url: str | None = f"/repos/{repo}/issues/{number}/comments"
        params: dict[str, Any] | None = {"per_page": PER_PAGE}
        pages = 0
        while url and pages < MAX_COMMENT_PAGES:
            headers, data = self._call("GET", url, params=params)
            pages += 1
            if not isinstance(data, list):
                raise WriteFailed(f"GitHub's answer for the comments of {repo}#{number} is not a list")
            for comment in data:
                if isinstance(comment, dict) and isinstance(comment.get("body"), str):
                    yield comment["body"]
            url, params = next_link(headers, "next"), None

    def comment(self, repo: str, number: int, body: str) -> None:
        self._call("POST", f"/repos/{repo}/issues/{number}/comments", body={"body": body})

    def close(self, repo: str, number: int, state_reason: str) -> None:
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
            raise WriteFailed(explain_failure(err, self.settings)) from None
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
