"""Writing to GitLab issues for `roadmap notify`: read an issue's notes, post one, close or
reopen it, through python-gitlab over the REST API v4.

- Notes: `GET /projects/:id/issues/:iid/notes?sort=asc&order_by=created_at`, paginated;
  GitLab's own notes (`system: true`, "changed the milestone") are not comments and are
  skipped. `POST` the same address with `body` posts one.
  GitLab runs a line of that body that starts with `/` (`/close`, `/confidential`) as a
  quick action with the token's rights; the bodies written here come through
  render/inert.py, which puts a joiner before every such `/`, so none is a command.
- Close and reopen: `PUT /projects/:id/issues/:iid` with `state_event` (GitLab records no
  reason for a close).
- Candor's own account is the token's (`GET /user`, its `username`), and the accounts
  GitLab said Candor's notes were posted as: only a marker in a note by one of them counts,
  so one someone else posted (its hash can be worked out from the public roadmap.json)
  silences nothing.

A notes listing's next page (`Link`, else `X-Next-Page`) is followed only on the same
server, never back to a page already read, for at most MAX_NOTE_PAGES pages, and never
below the requests that must stay (`keep`). Only reads are retried, once, after a
dropped connection or a 5xx: a POST that failed may have made its note, and the marker
check of the next run is the safe way to find out. Every message has the token taken out.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlparse

import gitlab
import requests

from roadmap.sources.gitlab.settings import GitLabSettings
from roadmap.sources.writing import Comment, WriteFailed

# The answers' type (the class's `requests` count would hide the module's name in it).
Response = requests.Response
# Pages of notes read on one issue (100 each) before the marker search gives up.
MAX_NOTE_PAGES = 50


class GitLabWriter:
    """The few requests write-back makes on GitLab, counted."""

    def __init__(self, settings: GitLabSettings) -> None:
        self.settings = settings
        self.client = gitlab.Gitlab(settings.url, oauth_token=settings.token(), timeout=settings.timeout,
                                    per_page=100, keep_base_url=True, retry_transient_errors=False)
        self.client.session.hooks["response"].append(self._heard)
        self.sent = 0
        self._remaining: int | None = None
        self._limit: int | None = None
        self.posted_as: set[str] = set()
        self._own: set[str] | None = None
        self._headers: Any = None

    def _heard(self, answer: Response, *args: Any, **kwargs: Any) -> None:
        self._headers = answer.headers
        remaining = _int(answer.headers.get("RateLimit-Remaining"))
        limit = _int(answer.headers.get("RateLimit-Limit"))
        if remaining is not None and limit is not None:
            self._remaining, self._limit = remaining, limit

    @property
    def requests(self) -> int:
        return self.sent

    @property
    def remaining(self) -> tuple[int | None, int | None]:
        return self._remaining, self._limit

    def ask_budget(self) -> None:
        """GitLab says what is left on every answer; the first request tells."""

    def own_accounts(self) -> frozenset[str]:
        """The token's account (GET /user), and the accounts Candor's notes were posted as."""
        if self._own is None:
            data = _json(self._call("get", "/user"))
            username = data.get("username") if isinstance(data, dict) else None
            self._own = {username} if isinstance(username, str) and username else set()
        return frozenset(self._own | self.posted_as)

    def comments(self, repo: str, number: int, keep: int = 0) -> Iterator[Comment]:
        url: str | None = f"{_issue(repo, number)}/notes"
        query: dict[str, Any] | None = {"sort": "asc", "order_by": "created_at", "per_page": 100}
        seen: set[str] = set()
        pages = 0
        while url:
            self._check_budget(keep, f"while reading the notes of {repo}#{number}")
            answer = self._call("get", url, query=query)
            pages += 1
            data = _json(answer)
            if not isinstance(data, list):
                raise WriteFailed(f"GitLab's answer for the notes of {repo}#{number} is not a list")
            for note in data:
                # GitLab's own notes ("changed the milestone") are no one's comment.
                if isinstance(note, dict) and isinstance(note.get("body"), str) \
                        and note.get("system") is False:
                    yield Comment(note["body"], _username(note.get("author")))
            url, query = self._next(answer, seen, pages, f"{repo}#{number}"), None

    def _next(self, answer: Response, seen: set[str], pages: int, issue: str) -> str | None:
        """The next page's address; a WriteFailed sentence for one that leads elsewhere or for ever."""
        link = answer.links.get("next", {}).get("url")
        if not link:
            page = _int(answer.headers.get("X-Next-Page"))
            if page is None:
                return None
            parsed = urlparse(answer.url)
            query = [(k, v) for k, v in parse_qsl(parsed.query, keep_blank_values=True) if k != "page"]
            link = parsed._replace(query=urlencode([*query, ("page", str(page))])).geturl()
        address = urlparse(str(link))
        home = urlparse(self.settings.url)
        if (address.hostname, address.port) != (home.hostname, home.port):
            raise WriteFailed(f"GitLab's next-page link after page {pages} of the notes of {issue} points "
                              f"to another server ({address.hostname}); not told, as its notes could not "
                              "all be read")
        query = parse_qsl(address.query, keep_blank_values=True)
        key = f"{address.path}?{urlencode(sorted(query))}"
        if key in seen or dict(query).get("page") == "1":
            raise WriteFailed(f"GitLab's next-page link after page {pages} of the notes of {issue} leads "
                              "back to a page already read; stopped there rather than read the same "
                              "pages for ever, and not told")
        if pages >= MAX_NOTE_PAGES:
            raise WriteFailed(f"the notes of {issue} go on past {MAX_NOTE_PAGES} pages; stopped there "
                              "rather than spend the rate limit on an answer without end, and not told")
        seen.add(key)
        return str(link)

    def _check_budget(self, keep: int, doing: str) -> None:
        remaining, limit = self.remaining
        if remaining is not None and remaining - 1 < keep:
            raise WriteFailed(f"{remaining:,} of {limit or 0:,} requests are left this minute {doing}, "
                              "and the next sync needs some", exhausted=True)

    def comment(self, repo: str, number: int, body: str) -> None:
        data = _json(self._call("post", f"{_issue(repo, number)}/notes", post={"body": body}))
        username = _username(data.get("author")) if isinstance(data, dict) else ""
        if username:
            self.posted_as.add(username)

    def close(self, repo: str, number: int, state_reason: str | None) -> None:
        self._call("put", _issue(repo, number), post={"state_event": "close"})

    def reopen(self, repo: str, number: int) -> None:
        self._call("put", _issue(repo, number), post={"state_event": "reopen"})

    def _call(self, verb: str, url: str, query: dict[str, Any] | None = None,
              post: dict[str, Any] | None = None) -> Response:
        tries = 2 if verb == "get" else 1
        for attempt in range(1, tries + 1):
            self.sent += 1
            try:
                return self.client.http_request(
                    verb, url, query_data=query, post_data=post, timeout=self.settings.timeout,
                    obey_rate_limit=False, retry_transient_errors=False, max_retries=0)
            except gitlab.GitlabHttpError as err:
                code = err.response_code
                if code is not None and code >= 500 and attempt < tries:
                    continue
                raise WriteFailed(self._explain(code, err.error_message), code) from None
            except (requests.ConnectionError, requests.Timeout, gitlab.GitlabError) as err:
                if attempt < tries:
                    continue
                raise WriteFailed(self.settings.masked(f"GitLab at {self.settings.url} could not be reached "
                                                       f"({_short(err)})")) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _explain(self, code: int | None, said: Any) -> str:
        if code == 401:
            why = f"GitLab refused the token in ${self.settings.token_env} (401 Unauthorized)"
        elif code == 403:
            why = "GitLab answered 403 Forbidden: the token may not do this"
        elif code == 404:
            why = ("GitLab answered 404: the issue does not exist, or the token in "
                   f"${self.settings.token_env} may not see it")
        elif code == 429:
            wait = _int(self._headers.get("Retry-After")) if self._headers is not None else None
            why = "GitLab's rate limit is reached (429)" + (f"; it asks to wait {wait} seconds"
                                                           if wait else "")
        else:
            why = f"GitLab answered {code} {_short(said)}"
        return self.settings.masked(why)


def _issue(project: str, number: int) -> str:
    return f"/projects/{quote(project, safe='')}/issues/{number}"


def _username(author: Any) -> str:
    username = author.get("username") if isinstance(author, dict) else None
    return username if isinstance(username, str) else ""


def _json(answer: Response) -> Any:
    try:
        return answer.json()
    except ValueError:
        raise WriteFailed(f"GitLab's answer ({answer.status_code}) is not JSON", answer.status_code) from None


def _int(value: Any) -> int | None:
    try:
        return int(value) if isinstance(value, str) and len(value) < 12 else None
    except ValueError:
        return None


def _short(value: Any) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= 160 else text[:159] + "…"
