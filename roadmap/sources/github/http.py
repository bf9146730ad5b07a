"""How Candor talks to GitHub: PyGithub's client, with retries and every answer bounded.

Every request of one sync shares one clock (`SyncClock`): retries may take `retry_for`
seconds in all, and the whole sync `deadline` seconds, slow answers included. PyGithub's
own connection reads an answer with a read timeout, which bounds each wait for the next
bytes but not the answer: a server trickling one byte at a time, each inside the timeout,
would hold a sync for ever. `bounded_connection` reads answers as they come, up to the
deadline, and refuses a redirect to another server in the maintainer's words.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlparse

import requests
from github import Auth, Github, GithubRetry
from github.Requester import HTTPRequestsConnectionClass, HTTPSRequestsConnectionClass, RequestsResponse

from roadmap.sources.github.settings import GitHubSettings
from roadmap.sources.http import AnswerLimit, AnswerRefused, limit_from_now, read_body

PER_PAGE = 100


class SyncError(Exception):
    """A repository could not be fetched completely; the message is for the maintainer."""


class GaveUp(Exception):
    """Waiting any longer would pass the time allowed for retries."""


class OutOfTime(Exception):
    """The sync reached its overall deadline; the message says where it was."""


class SyncClock:
    """The time a whole sync may take, and the part of it that may go to retrying,
    shared by every request in it."""

    def __init__(self, seconds: float, overall: float | None = None) -> None:
        self.seconds = seconds
        now = time.monotonic()
        self.retry_deadline = now + seconds
        self.overall = overall if overall is not None else float("inf")
        self.deadline = now + self.overall
        self.retries = 0
        # What the last failed attempt got, for the message when retrying stops.
        self.last_failure = ""

    def left(self) -> float:
        """Seconds still allowed for retrying (never past the overall deadline)."""
        return min(self.retry_deadline, self.deadline) - time.monotonic()

    def overall_left(self) -> float:
        return self.deadline - time.monotonic()

    def check(self) -> None:
        """Stop the sync once its overall deadline has passed, whatever it is doing."""
        if self.overall_left() <= 0:
            raise OutOfTime(f"the sync took longer than the {self.overall:g} s it may take "
                            "(github.deadline); GitHub answered too slowly")


class BoundedRetry(GithubRetry):
    """PyGithub's retry (5xx, 403/429 rate limits honouring Retry-After and
    X-RateLimit-Reset) within a bounded time, counting every retried request."""

    def __init__(self, clock: SyncClock | None = None, **kwargs: Any) -> None:
        self.clock = clock
        super().__init__(**kwargs)

    def new(self, **kwargs: Any) -> BoundedRetry:
        kwargs["clock"] = self.clock
        return super().new(**kwargs)

    def increment(self, method: Any = None, url: Any = None, response: Any = None, error: Any = None,
                  _pool: Any = None, _stacktrace: Any = None) -> Any:
        if self.clock is not None:
            self.clock.retries += 1
            self.clock.last_failure = (f"{response.status} {response.reason}" if response is not None
                                       else _error_name(error))
        return super().increment(method, url, response, error, _pool, _stacktrace)

    def sleep(self, response: Any = None) -> None:
        asked = self.get_retry_after(response) if response is not None else None
        wait = asked if asked is not None else self.get_backoff_time()
        if self.clock is not None and wait > self.clock.left():
            raise GaveUp(_too_long(self.clock, wait, asked is not None))
        super().sleep(response)


def _too_long(clock: SyncClock, wait: float, asked: bool) -> str:
    """Why retrying stops: the wait would pass what is left of retry_for or of the deadline."""
    left = max(0.0, clock.left())
    if clock.deadline < clock.retry_deadline:
        budget = f"the sync's overall deadline ({clock.overall:g} s, github.deadline)"
    else:
        budget = f"the {clock.seconds:g} s allowed for retries (retry_for)"
    if asked:
        return (f"GitHub asked to wait {_seconds(wait)} ({clock.last_failure}), but only "
                f"{_seconds(left)} of {budget} is left")
    return f"GitHub kept failing ({clock.last_failure}) until {budget} ran out"


def _seconds(value: float) -> str:
    return f"{value:.0f} s" if value >= 1 or value == 0 else f"{value:.1f} s"


def _error_name(error: Any) -> str:
    text = type(error).__name__ if error is not None else "no answer"
    return {"ReadTimeoutError": "no answer in time", "ProtocolError": "connection dropped",
            "NewConnectionError": "could not connect"}.get(text, text)


def _retry(settings: GitHubSettings, clock: SyncClock,
           methods: frozenset[str] | None = None) -> BoundedRetry:
    # `methods`: the ones retried after an answer came (PyGithub's default includes POST).
    return BoundedRetry(
        clock=clock,
        total=10,
        connect=settings.connect_retries,
        backoff_factor=0.5,
        status_forcelist=[429, *range(500, 600)],
        max_rate_limit_wait=settings.retry_for,
        **({"allowed_methods": methods} if methods is not None else {}),
    )


def make_client(settings: GitHubSettings, clock: SyncClock) -> Github:
    token = settings.token()
    return Github(
        auth=Auth.Token(token) if token else None,
        base_url=settings.api_url.rstrip("/"),
        timeout=settings.timeout,  # type: ignore[arg-type]  # requests takes seconds as a float
        per_page=PER_PAGE,
        retry=_retry(settings, clock),
        seconds_between_requests=settings.request_interval or None,
        # GitHub asks for a second between requests that create content (`roadmap notify`);
        # a site that sets request_interval to 0 asks for no pauses at all.
        seconds_between_writes=max(1.0, settings.request_interval) if settings.request_interval else None,
        lazy=True,
    )


class _Answer(RequestsResponse):
    """An HTTP answer read in full, shaped as PyGithub's requester reads one."""

    def __init__(self, answer: requests.Response, text: str) -> None:
        super().__init__(answer)
        self.text = text

    def read(self) -> str:
        return self.text


Connection = HTTPRequestsConnectionClass | HTTPSRequestsConnectionClass


def _bounded_response(connection: Connection, clock: SyncClock) -> _Answer:
    """What PyGithub's connection classes do, except that an answer must arrive whole
    before the sync's deadline.

    A read timeout bounds each wait for the next bytes, not the answer: a server that
    trickles one byte at a time, each inside the timeout, would hold a sync for ever.
    The body is read as it comes, and reading stops at the deadline. A redirect to
    another server is refused here, in the reader's words, rather than by PyGithub.
    """
    clock.check()
    per_answer = float(connection.timeout or 60)
    timeout = min(per_answer, max(clock.overall_left(), 0.1))
    answer = connection.session.request(
        connection.verb, f"{connection.protocol}://{connection.host}:{connection.port}{connection.url}",
        headers=connection.headers, data=connection.input, timeout=timeout, verify=connection.verify,
        allow_redirects=False, stream=True)
    # The clock of this answer starts when it begins (its status line and headers, each
    # attempt of which the read timeout bounds, retries included, come first).
    limit = limit_from_now("GitHub", urlparse(connection.url).path, per_answer, "github.timeout")
    try:
        _refuse_redirect_away(answer, connection.host)
        body = _read_body(answer.raw, clock, limit)
    finally:
        answer.close()
    return _Answer(answer, body.decode(answer.encoding or "utf-8", "replace"))


def _read_body(raw: Any, clock: SyncClock, limit: AnswerLimit) -> bytes:
    try:
        return read_body(raw, limit, clock.check)
    except AnswerRefused as err:
        raise SyncError(str(err)) from None


class _BoundedHTTP(HTTPRequestsConnectionClass):
    clock: SyncClock

    def getresponse(self) -> RequestsResponse:
        return _bounded_response(self, self.clock)


class _BoundedHTTPS(HTTPSRequestsConnectionClass):
    clock: SyncClock

    def getresponse(self) -> RequestsResponse:
        return _bounded_response(self, self.clock)


def bounded_connection(settings: GitHubSettings, clock: SyncClock,
                       retried: frozenset[str] | None = None) -> _BoundedHTTP | _BoundedHTTPS:
    """The connection requests go through; `retried`: the methods retried after a failed
    answer (default PyGithub's: GET and POST among them)."""
    address = urlparse(settings.api_url)
    kind = _BoundedHTTPS if address.scheme == "https" else _BoundedHTTP
    connection = kind(address.hostname or "", address.port, timeout=settings.timeout,  # type: ignore[arg-type]
                      retry=_retry(settings, clock, retried))
    connection.clock = clock
    return connection


def _refuse_redirect_away(answer: requests.Response, host: str) -> None:
    location = answer.headers.get("location")
    if answer.status_code in (301, 302, 303, 307, 308) and location:
        elsewhere = urlparse(location).hostname
        if elsewhere and elsewhere != host:
            raise SyncError(f"GitHub's answer redirects to another server ({elsewhere}); check "
                            "github.api_url (for GitHub Enterprise: https://HOST/api/v3)")
