"""Reading a tracker's answer with bounds, for GitHub's and GitLab's clients alike.

A read timeout bounds each wait for the next bytes, not the answer: a server that
trickles one byte at a time, each inside the timeout, or sends a body that never ends
(or a small gzip that unpacks to gigabytes), would hold a sync for ever or take the
machine's memory. `read_body` reads an answer as it comes, and stops it at the time one
answer may take (`github.timeout`, `gitlab.timeout`) or at `MAX_ANSWER_BYTES`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests
import urllib3
from requests.adapters import HTTPAdapter

# The most one answer may hold once decompressed. A page of 100 issues or board items is
# well under 1 MB; an answer far beyond that is not the tracker's, and reading it whole
# would take the memory of the machine the sync runs on (documented in the README).
MAX_ANSWER_BYTES = 64 * 1024 * 1024
_CHUNK = 64 * 1024


class AnswerRefused(Exception):
    """An answer took longer than allowed or was too large; the message names it."""


@dataclass(frozen=True)
class AnswerLimit:
    """Where an answer comes from, and the time it may take whole."""

    tracker: str   # "GitHub", "GitLab": how messages name the server
    where: str     # the path or address the answer is to
    seconds: float
    setting: str   # the setting that allows `seconds`, e.g. github.timeout
    ends: float    # time.monotonic() by which the answer must be whole


def limit_from_now(tracker: str, where: str, seconds: float, setting: str) -> AnswerLimit:
    return AnswerLimit(tracker, where, seconds, setting, time.monotonic() + seconds)


def read_body(raw: Any, limit: AnswerLimit, check: Callable[[], None] = lambda: None) -> bytes:
    """The whole body of `raw` (urllib3's response), decompressed; AnswerRefused past the
    limit. `check` may stop the read for reasons of its own (a sync's overall deadline)."""
    parts: list[bytes] = []
    size = 0
    try:
        while True:
            check()
            if time.monotonic() > limit.ends:
                raise AnswerRefused(f"{limit.tracker}'s answer to {limit.where} did not arrive whole within "
                                    f"the {limit.seconds:g} s allowed per answer ({limit.setting})")
            chunk = raw.read1(_CHUNK, decode_content=True)
            if not chunk:
                return b"".join(parts)
            size += len(chunk)
            if size > MAX_ANSWER_BYTES:
                raise AnswerRefused(f"{limit.tracker}'s answer to {limit.where} is larger than "
                                    f"{MAX_ANSWER_BYTES:,} bytes; it was not read further")
            parts.append(chunk)
    except urllib3.exceptions.ReadTimeoutError as err:
        raise requests.exceptions.ReadTimeout(err) from None
    except (urllib3.exceptions.ProtocolError, urllib3.exceptions.DecodeError) as err:
        # The same exception requests raises when it reads a body that is cut off.
        raise requests.exceptions.ChunkedEncodingError(err) from None


class BoundedAdapter(HTTPAdapter):
    """requests' adapter, except that every answer is read through `read_body`: mounted on
    a client's session, it bounds every answer the client reads, error answers included
    (python-gitlab reads those whole to quote them)."""

    def __init__(self, tracker: str, seconds: float, setting: str) -> None:
        super().__init__()
        self.tracker, self.seconds, self.setting = tracker, seconds, setting

    def send(self, request: requests.PreparedRequest, stream: bool = False, *args: Any,
             **kwargs: Any) -> requests.Response:
        answer = super().send(request, True, *args, **kwargs)
        address = answer.url.split("?", 1)[0] if answer.url else "?"
        try:
            body = read_body(answer.raw, limit_from_now(self.tracker, address, self.seconds, self.setting))
        except BaseException:
            answer.close()
            raise
        answer._content = body
        answer._content_consumed = True  # type: ignore[attr-defined]
        answer.close()
        return answer
