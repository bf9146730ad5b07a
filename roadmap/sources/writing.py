"""What write-back (`roadmap notify`) needs from a tracker, whichever it is.

A tracker that can be told decisions offers a `WriteBack` (`Source.write_back()`): its
names, its limits, the record's file, the state of each stored issue, and an `IssueWriter`
that makes the few requests telling takes (read an issue's comments, post one, close,
reopen, learn the token's own account). The command that tells (commands/write_back.py)
works through these alone and names no tracker.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from roadmap.core.model import IssueRef


@dataclass(frozen=True)
class Comment:
    """A comment (a note, on GitLab) on an issue."""

    body: str
    # The account that posted it ("" when the tracker's answer does not say).
    author: str


class WriteFailed(Exception):
    """The tracker refused or failed a request; the message is for the maintainer, token-free."""

    def __init__(self, message: str, status: int | None = None, exhausted: bool = False) -> None:
        super().__init__(message)
        self.status = status
        # Stopped to leave the requests the next sync needs: nothing more is tried this run.
        self.exhausted = exhausted

    @property
    def refused(self) -> bool:
        """The token may not write here (401/403 that is not a rate limit): every other issue
        would be refused the same way."""
        return self.status in (401, 403) and not self.rate_limited

    @property
    def rate_limited(self) -> bool:
        return self.status in (403, 429) and "rate limit" in str(self)


class IssueWriter(Protocol):
    """The requests write-back makes on one tracker, counted."""

    # Accounts Candor's own comments were posted as (learnt from the answers to them).
    posted_as: set[str]

    @property
    def requests(self) -> int:
        """Requests sent so far, retries included."""

    @property
    def remaining(self) -> tuple[int | None, int | None]:
        """Requests left in the rate limit's period and its limit, once the tracker said."""

    def ask_budget(self) -> None:
        """Learn the requests left before the first write (a failure is left to the writes)."""

    def own_accounts(self) -> frozenset[str]:
        """The accounts whose comments are Candor's own (asked only when a marker is found)."""

    def comments(self, repo: str, number: int, keep: int = 0) -> Iterator[Comment]:
        """Every comment on the issue, oldest first; WriteFailed (exhausted) before a request
        that would leave fewer than `keep`, and on a listing without end."""

    def comment(self, repo: str, number: int, body: str) -> None: ...

    def close(self, repo: str, number: int, state_reason: str | None) -> None: ...

    def reopen(self, repo: str, number: int) -> None: ...


@dataclass(frozen=True)
class WriteBack:
    """One tracker's write-back: what `roadmap notify` needs to tell its issues."""

    # The tracker as maintainers name it (GitHub), and the decision-file field of its issues.
    tracker: str
    field: str
    # The `write_back` option: off, comment or comment-and-close.
    mode: str
    # The record of what was told on this tracker (its own file: two trackers' issue keys
    # may look alike).
    state_file: Path
    token_env: str
    token: Callable[[], str | None]
    # The longest comment the tracker takes.
    max_comment_chars: int
    # Whether a closed issue records why (GitHub's state_reason); else closing says no reason.
    records_reasons: bool
    # What the token needs to write issues, said when it may not (`issues: write`).
    write_permission: str
    # Where the rate limit's count runs ("hour", "minute").
    period: str
    # issue (group/name#N) -> (state, state_reason), from the stored copy the site was built from.
    issue_states: Callable[[], dict[str, tuple[str, str | None]]]
    writer: Callable[[], IssueWriter]

    @property
    def setting(self) -> str:
        return f"{self.field}.write_back"

    def key(self, issue: IssueRef | None) -> str | None:
        """group/name#123 when `issue` is one of this tracker's, else None."""
        return issue.key if issue is not None and issue.field == self.field else None
