"""Fetch issues from GitHub into the snapshot, spending as little rate limit as possible.

Requests go through PyGithub's `Requester`, which brings authentication, the
API base URL (github.com or a GitHub Enterprise server), timeouts, GitHub's
error types and its rate-limit aware retries. Issues are read as the JSON the
listing returns, not as PyGithub `Issue` objects: those fetch the whole issue
again (one hidden request per issue) when a field the listing left out is
touched, and the listing pages themselves need conditional requests, which
`PaginatedList` cannot make.

One sync of a repository:

- first time, or `--full`: every page of `issues?state=all&sort=updated&direction=desc`
  (ceil(N/100) requests), then one request for `since=<newest updated_at>` whose
  ETag is kept;
- afterwards: that same `since=` request with `If-None-Match`. GitHub answers
  304 when nothing changed, which costs no rate limit; otherwise the pages of
  changed issues are read and a new ETag is taken the same way.

Nothing GitHub answers makes a sync run for ever: the whole sync has one deadline
(github_http.py), each next-page link is followed once (a link back to a page already
read stops the walk) and a listing has at most `max_pages` pages. Every issue passes
`issues.clean_issue` before it is stored: repaired, or left out with a note.

Newest-first order keeps a walk safe while issues change: an issue updated
during the walk moves to the front (already read), so nothing is skipped, and
its new state is picked up by the next sync. Issues deleted or transferred
away are not reported by `since=`; `roadmap sync --full` drops them.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlparse

import requests
from github import Github, GithubException, RateLimitExceededException
from requests.utils import parse_header_links

from roadmap.core.words import plural
from roadmap.sources.github import snapshot as snapshots
from roadmap.sources.github.http import (
    PER_PAGE,
    GaveUp,
    OutOfTime,
    SyncClock,
    SyncError,
    bounded_connection,
    make_client,
)
from roadmap.sources.github.issues import LabelFilter, clean_issue, is_pull_request, is_timestamp
from roadmap.sources.github.releases import clean_releases
from roadmap.sources.github.settings import (
    GitHubSettings,
    Progress,
    RepoResult,
    SyncReport,
)
from roadmap.sources.github.snapshot import RepoSnapshot, Snapshot


@dataclass
class _Listing:
    issues: list[dict[str, Any]]
    etag: str | None
    pages: int


class _Fetcher:
    """Pages of one listing, through PyGithub's requester, counted."""

    def __init__(self, client: Github, clock: SyncClock, progress: Progress | None,
                 connection: Any = None, max_pages: int = 10_000) -> None:
        self.requester = client.requester
        self.clock = clock
        self.progress = progress
        self.connection = connection
        self.max_pages = max_pages
        self.answered = 0
        self.not_modified = 0
        # What was repaired or left out of GitHub's answers, for the maintainer.
        self.notes: list[str] = []

    @property
    def requests(self) -> int:
        return self.answered + self.clock.retries

    def listing(self, repo: str, params: dict[str, Any], etag: str | None = None,
                shown: bool = True, of: str = "issues") -> _Listing | None:
        """Every page of the listing (of issues, or of releases), or None when GitHub answers
        304 to `etag`."""
        status, headers, data = self._get(f"/repos/{repo}/{of}", params, etag)
        if status == 304:
            return None
        issues = self._issue_list(data, repo, of)
        first_etag = headers.get("etag")
        last_page = _last_page(headers)
        page = 1
        report = self._report if shown else _quiet
        report(repo, page, last_page, _issue_count(issues))
        seen: set[str] = set()
        next_url = next_link(headers, "next")
        while next_url:
            # A Link header can lead anywhere, for ever: back to a page already read, or on
            # through pages without end. Each page is read once, and only so many.
            self._check_next(next_url, seen, page)
            status, headers, data = self._get(next_url)
            issues.extend(self._issue_list(data, repo, of))
            page += 1
            report(repo, page, last_page, _issue_count(issues))
            next_url = next_link(headers, "next")
        return _Listing(issues, first_etag, page)

    def _check_next(self, url: str, seen: set[str], page: int) -> None:
        address = urlparse(url)
        if _server(address) != _server(urlparse(self.requester.base_url)):
            raise SyncError(f"GitHub's next-page link after page {page} points to another server "
                            f"({address.hostname})")
        query = parse_qsl(address.query, keep_blank_values=True)
        key = f"{address.path}?{urlencode(sorted(query))}"
        if key in seen or dict(query).get("page") == "1":
            raise SyncError(f"GitHub's next-page link after page {page} leads back to a page "
                            "already read; stopped there rather than read the same pages for ever")
        if page >= self.max_pages:
            raise SyncError(f"GitHub's listing goes on past {self.max_pages:,} pages; stopped "
                            "there rather than spend the rate limit on an answer without end")
        seen.add(key)

    def _issue_list(self, data: Any, repo: str, of: str = "issues") -> list[dict[str, Any]]:
        if not isinstance(data, list):
            raise SyncError(f"GitHub's answer for {repo} is not a list of {of}")
        return data

    def absorb(self, repo: str, entry: RepoSnapshot, issues: Iterable[dict[str, Any]],
               labels: LabelFilter) -> None:
        """Store the listing's issues in `entry`, cleaned, pull requests left out."""
        for raw in issues:
            if is_pull_request(raw):
                continue
            issue, note = clean_issue(raw)
            if note is not None:
                self.notes.append(f"{repo}: {note}")
            if issue is None:
                continue
            number = issue["number"]
            if labels.hidden(issue):
                # Never stored: an issue labelled security or private stays off disk too.
                entry.issues.pop(number, None)
                entry.excluded.add(number)
                continue
            entry.excluded.discard(number)
            entry.issues[number] = issue

    def _report(self, repo: str, page: int, last_page: int | None, issues: int) -> None:
        if self.progress is not None:
            self.progress(repo, page, last_page, issues)

    def _get(self, url: str, params: dict[str, Any] | None = None,
             etag: str | None = None) -> tuple[int, dict[str, Any], Any]:
        headers = {"If-None-Match": etag} if etag else {}
        attempt = 0
        while True:
            try:
                self.clock.check()
                status, answer_headers, output = self.requester.requestJson(
                    "GET", url, parameters=params, headers=headers, cnx=self.connection)
            except (requests.exceptions.ChunkedEncodingError,
                    requests.exceptions.ContentDecodingError) as err:
                # The connection dropped while the body was read; urllib3 retries only
                # before an answer starts, so this retry is ours.
                self.answered += 1
                attempt += 1
                wait = min(0.5 * 2 ** attempt, 8.0)
                if attempt > 5 or wait > self.clock.left():
                    raise SyncError("the connection kept dropping in the middle of an answer "
                                    f"({type(err).__name__})") from None
                time.sleep(wait)
                continue
            break
        self.answered += 1
        if status == 304:
            self.not_modified += 1
            return status, answer_headers, None
        try:
            data = json.loads(output) if output else None
        except ValueError:
            raise SyncError(f"GitHub's answer ({status}) is not JSON") from None
        if status >= 400:
            said = data if isinstance(data, dict) else {}
            raise self.requester.createException(status, answer_headers, said)
        return status, answer_headers, data


def _server(address: Any) -> tuple[str | None, int]:
    return address.hostname, address.port or (443 if address.scheme == "https" else 80)


def _issue_count(issues: list[Any]) -> int:
    return sum(1 for issue in issues if isinstance(issue, dict) and not is_pull_request(issue))


def _quiet(repo: str, page: int, last_page: int | None, issues: int) -> None:
    pass


def next_link(headers: dict[str, Any], rel: str) -> str | None:
    for link in parse_header_links(headers.get("link", "")):
        if link.get("rel") == rel:
            return link.get("url")
    return None


def _last_page(headers: dict[str, Any]) -> int | None:
    last = next_link(headers, "last")
    if last is None:
        return None if next_link(headers, "next") else 1
    pages = dict(parse_qsl(urlparse(last).query)).get("page")
    return int(pages) if pages and pages.isdigit() else None


def utc_now() -> str:
    return datetime.now(tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def sync(settings: GitHubSettings, *, full: bool = False, progress: Progress | None = None,
         clock: Callable[[], str] = utc_now) -> tuple[Snapshot, SyncReport]:
    """Bring the snapshot up to date with GitHub; a repository that fails keeps its last good copy.

    The snapshot file is rewritten (atomically) only with complete repositories.
    """
    cache_dir = settings.cache_dir
    # --full starts afresh, which is also how an unreadable snapshot is replaced.
    stored = Snapshot(settings.api_url) if full else snapshots.load(cache_dir, settings.api_url)
    retry_clock = SyncClock(settings.retry_for, settings.deadline)
    client = make_client(settings, retry_clock)
    fetcher = _Fetcher(client, retry_clock, progress, bounded_connection(settings, retry_clock),
                       settings.max_pages)
    results = []
    updated = Snapshot(settings.api_url, dict(stored.repos))
    for repo in settings.repos:
        old = None if full else stored.repos.get(repo)
        before_pages = fetcher.answered
        try:
            entry, read, not_modified = _sync_repo(fetcher, repo, old, settings.labels, clock())
        except Exception as err:  # noqa: BLE001 - every failure means "keep the last good copy"
            results.append(RepoResult(repo, error=explain_failure(err, settings)))
            continue
        _sync_releases(fetcher, repo, old, entry, settings)
        updated.repos[repo] = entry
        results.append(RepoResult(repo, None, read, fetcher.answered - before_pages, not_modified))
    if any(r.error is None for r in results):
        try:
            snapshots.save(cache_dir, updated)
        except OSError as err:
            # A full disk, say: the previous snapshot stays as it was.
            raise snapshots.SnapshotUnwritable(
                f"{snapshots.snapshot_path(cache_dir)}: the snapshot could not be written "
                f"({err.strerror or err}); the previous one is kept") from None
    remaining, limit = client.requester.rate_limiting
    report = SyncReport(
        results=tuple(results),
        requests=fetcher.requests,
        not_modified=fetcher.not_modified,
        remaining=remaining if remaining >= 0 else None,
        limit=limit if limit >= 0 else None,
        anonymous=settings.token() is None,
        notes=tuple(fetcher.notes),
    )
    return updated, report


def _sync_repo(fetcher: _Fetcher, repo: str, old: RepoSnapshot | None, labels: LabelFilter,
               now: str) -> tuple[RepoSnapshot, int, bool]:
    listing_params: dict[str, Any] = {"state": "all", "sort": "updated", "direction": "desc",
                                      "per_page": PER_PAGE}
    if old is None or old.high_water is None:
        listing = fetcher.listing(repo, listing_params)
        assert listing is not None  # no ETag was sent, so there is no 304
        entry = RepoSnapshot(synced_at=now, high_water=None, etag=None)
        first_time = True
    else:
        listing = fetcher.listing(repo, {**listing_params, "since": old.high_water}, etag=old.etag)
        if listing is None:
            return replace(old, synced_at=now), 0, True
        entry = RepoSnapshot(now, old.high_water, old.etag, dict(old.issues), set(old.excluded))
        first_time = False

    fetcher.absorb(repo, entry, listing.issues, labels)
    high_water = _newest(listing.issues, entry.high_water)
    if not first_time and high_water == entry.high_water:
        # The question stays the same, so this answer's ETag is the one to send next time.
        entry.etag = listing.etag
    elif high_water is not None:
        # Ask the next sync's question once now, to hold its ETag: from then on an
        # unchanged repository is one 304.
        head = fetcher.listing(repo, {**listing_params, "since": high_water}, shown=False)
        assert head is not None
        fetcher.absorb(repo, entry, head.issues, labels)
        entry.etag = head.etag
    entry.high_water = high_water
    return entry, _issue_count(listing.issues), False


def _sync_releases(fetcher: _Fetcher, repo: str, old: RepoSnapshot | None, entry: RepoSnapshot,
                   settings: GitHubSettings) -> None:
    """Bring `entry`'s releases up to date: one conditional request when nothing changed.

    GitHub lists releases newest first, so a new release changes the first page and its
    ETag. (An edit to the notes of an old release on a later page does not; `--full`
    reads them again.) Releases only add to the site, so failing to read them keeps the
    last ones read, with a note, and never costs the repository's issues.
    """
    entry.releases = list(old.releases) if old else []
    entry.releases_etag = old.releases_etag if old else None
    try:
        listing = fetcher.listing(repo, {"per_page": PER_PAGE}, etag=entry.releases_etag,
                                  shown=False, of="releases")
    except Exception as err:  # noqa: BLE001 - any failure keeps the last good releases
        fetcher.notes.append(f"{repo}: its releases could not be read ({explain_failure(err, settings)}); "
                             "the last ones read are kept")
        return
    if listing is None:
        return  # 304: unchanged
    entry.releases = clean_releases(listing.issues, repo, fetcher.notes)
    entry.releases_etag = listing.etag


def _newest(issues: Iterable[dict[str, Any]], current: str | None) -> str | None:
    # GitHub's timestamps are all YYYY-MM-DDTHH:MM:SSZ, so text order is time order.
    stamps = [i["updated_at"] for i in issues if isinstance(i, dict) and is_timestamp(i.get("updated_at"))]
    return max([*stamps, *([current] if current else [])], default=None)


def explain_failure(err: Exception, settings: GitHubSettings) -> str:
    """A one-line reason, never containing the token."""
    return settings.masked(_reason(err, settings))


def _reason(err: Exception, settings: GitHubSettings) -> str:
    if isinstance(err, (SyncError, GaveUp, OutOfTime)):
        return str(err)
    if isinstance(err, RateLimitExceededException):
        return f"the rate limit is used up ({_reset_time(err.headers)})"
    if isinstance(err, GithubException):
        said = err.data.get("message") if isinstance(err.data, dict) else None
        # Masked before it is cut: a token cut in half is no longer the token, and would show.
        said_text = f": {' '.join(settings.masked(str(said)).split())[:200]}" if said else ""
        if err.status == 401:
            return f"GitHub refused the token in ${settings.token_env} (401{said_text})"
        if err.status == 404:
            return (f"not found at {settings.api_url} (404); check the name, or give a token "
                    "that can read it")
        if err.status == 403 and said and "rate limit" in str(said).lower():
            return f"the rate limit is used up ({_reset_time(err.headers)})"
        return f"GitHub answered {err.status}{said_text}"
    if isinstance(err, requests.exceptions.RetryError):
        return f"GitHub kept failing after retries ({_last_status(err)})"
    if isinstance(err, requests.exceptions.Timeout):
        return f"GitHub did not answer within {settings.timeout:g} s, even after retries"
    if isinstance(err, requests.exceptions.ConnectionError):
        return f"could not reach {settings.api_url} ({type(err).__name__})"
    return f"{type(err).__name__}: {err}"


def _last_status(err: Exception) -> str:
    text = str(err)
    marker = "too many "
    if marker in text:
        return text[text.index(marker):].split(")")[0]
    return type(err).__name__


def _reset_time(headers: Any, now: float | None = None) -> str:
    """When the rate limit resets, in words that are true whenever that is: the time alone
    only within a day, the date with it after that."""
    reset = (headers or {}).get("x-ratelimit-reset")
    if not (reset and str(reset).isdigit()) or int(reset) > _LAST_TIMESTAMP:
        return "GitHub did not say when it resets"
    moment = datetime.fromtimestamp(int(reset), tz=timezone.utc)
    seconds = int(reset) - (time.time() if now is None else now)
    if seconds <= 0:
        return "it should have reset already; try again"
    if seconds < 24 * 3600:
        return f"it resets at {moment:%H:%M} UTC, in {_duration(seconds)}"
    return f"it resets on {moment:%Y-%m-%d at %H:%M} UTC, in {_duration(seconds)}"


_LAST_TIMESTAMP = 253402300799  # 9999-12-31 23:59:59 UTC


def _duration(seconds: float) -> str:
    minutes = max(1, round(seconds / 60))
    if minutes < 120:
        return plural(minutes, "minute")
    hours = round(minutes / 60)
    if hours < 48:
        return f"{hours} hours"
    return f"{round(hours / 24):,} days"
