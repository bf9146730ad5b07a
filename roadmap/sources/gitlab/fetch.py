"""Fetching GitLab issues through python-gitlab: the one module that touches the network.

Each project's issues are listed oldest change first (`order_by=updated_at&sort=asc`),
after the last change the snapshot holds (`updated_after`), following GitLab's `Link`
header (else `X-Next-Page`). The first page is asked with the ETag of the same question
last time, so an unchanged project costs one request, answered 304. Failures are
retried for `retry_for` seconds (429 after its `Retry-After`, 5xx, dropped
connections), never past the sync's `deadline`; a project that still fails keeps its
last good copy in the snapshot. The token travels as a Bearer header, which requests
drops on a redirect to another host, and is taken out of every message.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote, urlparse

import gitlab
import requests

from roadmap.sources.github.issues import LabelFilter
from roadmap.sources.gitlab import snapshot as snapshots
from roadmap.sources.gitlab.issues import clean, from_gitlab, is_confidential
from roadmap.sources.gitlab.settings import GitLabReport, GitLabSettings, ProjectResult
from roadmap.sources.http import AnswerRefused, BoundedAdapter

Progress = Callable[[str, int, "int | None", int], None]
# Longest wait a Retry-After may ask for before the sync gives up on the project.
MAX_WAIT = 60


class FetchFailed(Exception):
    """A project could not be fetched; the message is for the maintainer."""


@dataclass
class _Session:
    settings: GitLabSettings
    client: Any
    started: float
    connect_retries: bool
    sent: int = 0
    not_modified: int = 0
    remaining: int | None = None
    limit: int | None = None
    notes: list[str] = field(default_factory=list)
    last_headers: Any = None
    # Why the instance could not be reached: the projects after it fail at once with it,
    # instead of each retrying for `retry_for` seconds.
    unreachable: str | None = None

    def heard(self, answer: requests.Response) -> None:
        self.last_headers = answer.headers
        _note_limits(self, answer.headers)

    def left(self) -> float:
        return self.settings.deadline - (time.monotonic() - self.started)


def sync(settings: GitLabSettings, *, full: bool = False, progress: Progress | None = None,
         first: bool = False) -> GitLabReport:
    """Fetch what changed in every project and store it (a snapshot that cannot be written
    fails every project); SnapshotUnreadable when the stored one cannot be read."""
    client = gitlab.Gitlab(settings.url, oauth_token=settings.token(), timeout=settings.timeout,
                           per_page=100, keep_base_url=True, retry_transient_errors=False)
    session = _Session(settings, client, time.monotonic(), connect_retries=not first)
    # Every answer's headers, errors included (python-gitlab's errors do not keep them):
    # RateLimit-* and a 429's Retry-After are read from here.
    # Every answer read whole within gitlab.timeout and MAX_ANSWER_BYTES, errors included.
    bounded = BoundedAdapter("GitLab", settings.timeout, "gitlab.timeout")
    client.session.mount("http://", bounded)
    client.session.mount("https://", bounded)
    client.session.hooks["response"].append(lambda answer, *args, **kwargs: session.heard(answer))
    stored = snapshots.load(settings.cache_dir, settings.url)
    results = []
    for project in settings.projects:
        try:
            results.append(_fetch_project(session, stored, project, full, progress))
        except FetchFailed as err:
            results.append(ProjectResult(project, settings.masked(str(err))))
    if any(r.error is None for r in results):
        try:
            snapshots.save(settings.cache_dir, stored)
        except OSError as err:
            # Only the disk here: network failures never leave _fetch_project.
            why = f"the snapshot in {settings.cache_dir} cannot be written ({err.strerror or err})"
            results = [ProjectResult(r.project, why) for r in results]
    return GitLabReport(tuple(results), session.sent, session.not_modified,
                        session.remaining, session.limit, tuple(stored.notes + session.notes),
                        anonymous=settings.token() is None)


def _fetch_project(session: _Session, snapshot: snapshots.Snapshot, project: str, full: bool,
                   progress: Progress | None) -> ProjectResult:
    settings = session.settings
    old = None if full else snapshot.projects.get(project)
    since = old.updated_after if old else None
    query: dict[str, Any] = {"scope": "all", "state": "all", "order_by": "updated_at", "sort": "asc",
                             "per_page": 100}
    if since:
        query["updated_after"] = since
    headers = {"If-None-Match": old.etag} if old and old.etag else {}
    synced_at = datetime.now(tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    url: str | None = f"/projects/{quote(project, safe='')}/issues"
    issues = dict(old.issues) if old else {}
    excluded = set(old.excluded) if old else set()
    labels = LabelFilter((), settings.exclude_labels)
    newest, etag, page, read = since, None, 0, 0
    # Pages already asked for: a next link back to one of them is a loop, not more pages.
    asked: set[str] = set()
    while url is not None:
        if page >= settings.max_pages:
            raise FetchFailed(f"GitLab's pagination did not end after {page:,} pages")
        if url in asked:
            raise FetchFailed(f"GitLab's next page after page {page:,} leads back to a page already "
                              "read; the sync stopped there")
        asked.add(url)
        answer = _get(session, url, query if page == 0 else None, headers if page == 0 else {})
        page += 1
        if answer is None:  # 304: nothing changed since the last sync
            assert old is not None
            snapshot.projects[project] = snapshots.Stored(synced_at, since, old.etag, issues, excluded)
            return ProjectResult(project, pages=1, not_modified=True)
        if page == 1:
            etag = answer.headers.get("ETag")
        body = _json_list(answer)
        for raw in body:
            shaped, note = clean(from_gitlab(raw) if isinstance(raw, dict) else raw)
            if note:
                session.notes.append(f"{project}: {note}")
            if shaped is None:
                continue
            if shaped["updated_at"] <= _latest_believable():
                newest = max(newest or "", shaped["updated_at"])
            if is_confidential(raw) or labels.hidden(shaped):
                # Made confidential (or labelled private) since: gone from the copy too.
                issues.pop(shaped["number"], None)
                excluded.add(shaped["number"])
                continue
            excluded.discard(shaped["number"])
            issues[shaped["number"]] = shaped
            read += 1
        if progress is not None:
            progress(project, page, _int(answer.headers.get("X-Total-Pages")), len(issues))
        url = _next_page(settings, answer, page)
    # The ETag fits the next sync only if it asks the same question (no newer change seen).
    kept_etag = etag if newest == since else None
    snapshot.projects[project] = snapshots.Stored(synced_at, newest, kept_etag, issues, excluded)
    return ProjectResult(project, issues_read=read, pages=page)


def _get(session: _Session, url: str, query: dict[str, Any] | None,
         headers: dict[str, str]) -> requests.Response | None:
    """One page, retried as the settings allow; None when GitLab answered 304."""
    settings = session.settings
    waited_from = time.monotonic()
    attempt = 0
    while True:
        if session.unreachable:
            raise FetchFailed(session.unreachable)
        if session.left() <= 0:
            raise FetchFailed(f"the sync's deadline of {settings.deadline} seconds passed")
        session.sent += 1
        attempt += 1
        wait: float | None = None
        try:
            answer = session.client.http_request(
                "get", url, query_data=query, timeout=min(settings.timeout, max(1.0, session.left())),
                obey_rate_limit=False, retry_transient_errors=False, max_retries=0,
                extra_headers=headers)
            return answer
        except AnswerRefused as err:
            raise FetchFailed(str(err)) from None
        except gitlab.GitlabAuthenticationError:
            raise FetchFailed(f"GitLab refused the token in ${settings.token_env} (401 Unauthorized); "
                              "check that it is valid and has the read_api scope") from None
        except gitlab.GitlabHttpError as err:
            code = err.response_code
            if code == 304:
                session.not_modified += 1
                return None
            if code == 429 or (code is not None and code >= 500):
                wait = _retry_after(session.last_headers) if code == 429 else min(2.0 ** attempt, 8.0)
                why = _answered(code, err.error_message)
            elif code == 404:
                raise FetchFailed("GitLab answered 404: the project does not exist, or it is private "
                                  f"and ${settings.token_env} holds no token that may read it") from None
            else:
                raise FetchFailed(_answered(code, err.error_message)) from None
        except (requests.RequestException, gitlab.GitlabError) as err:
            # Every failure of the network (requests' errors are OSErrors): said as such,
            # never taken for a disk that cannot be written.
            why = f"GitLab at {settings.url} could not be reached: {_short(err)}"
            if not session.connect_retries:
                session.unreachable = why
                raise FetchFailed(why) from None
            wait = min(2.0 ** attempt, 8.0)
            if time.monotonic() - waited_from + wait > settings.retry_for:
                session.unreachable = f"{why}, still after {_tries(attempt)}"
        spent = time.monotonic() - waited_from
        if wait is None or wait > MAX_WAIT or spent + wait > settings.retry_for or wait > session.left():
            raise FetchFailed(f"{why}, still after {_tries(attempt)}")
        time.sleep(wait)


def _answered(code: int | None, message: Any) -> str:
    """GitLab answered 429 Too Many Requests: its message often starts with the code again."""
    text = _short(message)
    if code is not None and text.startswith(str(code)):
        text = text[len(str(code)):].strip()
    return f"GitLab answered {code} {text}".rstrip()


def _tries(count: int) -> str:
    return "1 try" if count == 1 else f"{count:,} tries"


def _latest_believable() -> str:
    """A change dated after tomorrow is a wrong clock or a forged date: were it the sync's
    cursor (updated_after), every later sync would ask for changes after it and see none."""
    return (datetime.now(tz=timezone.utc) + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _retry_after(headers: Any) -> float:
    """Seconds a 429 asks to wait (Retry-After); a second when it says nothing usable."""
    value = _int(headers.get("Retry-After")) if headers is not None else None
    return 1.0 if value is None else float(max(0, value))


def _note_limits(session: _Session, headers: Any) -> None:
    remaining, limit = _int(headers.get("RateLimit-Remaining")), _int(headers.get("RateLimit-Limit"))
    if remaining is not None and limit is not None:
        session.remaining, session.limit = remaining, limit


def _json_list(answer: requests.Response) -> list[Any]:
    try:
        body = answer.json()
    except ValueError:
        raise FetchFailed("GitLab answered with something that is not JSON") from None
    if not isinstance(body, list):
        raise FetchFailed("GitLab answered with something that is not a list of issues")
    return body


def _next_page(settings: GitLabSettings, answer: requests.Response, page: int) -> str | None:
    """The next page's address: from `Link`, else `X-Next-Page`; never another server's."""
    try:
        link = answer.links.get("next", {}).get("url")
        if link and urlparse(link).netloc != urlparse(settings.url).netloc:
            raise FetchFailed(f"GitLab's next page after page {page:,} pointed to another server; "
                              "the sync stopped there")
    except ValueError:
        raise FetchFailed(f"GitLab's next-page link after page {page:,} is not a usable address "
                          f"({_short(answer.headers.get('Link'))[:80]}); the sync stopped there") from None
    if link:
        return str(link)
    following = _int(answer.headers.get("X-Next-Page"))
    if following is None:
        return None
    parsed = urlparse(answer.url)
    query = "&".join(p for p in parsed.query.split("&") if not p.startswith("page="))
    return parsed._replace(query=f"{query}&page={following}".lstrip("&")).geturl()


def _int(value: Any) -> int | None:
    try:
        return int(value) if isinstance(value, str) and len(value) < 12 else None
    except ValueError:
        return None


def _short(value: Any) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= 160 else text[:159] + "…"
