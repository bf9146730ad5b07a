"""Render the planned pages in a forked child while the parent goes on.

MkDocs builds on one core and reads pages one at a time; the machines Candor
builds on have two or more. A one-shot build forks a child right after judging:
the child renders every page of the plan, in order, and writes each down a pipe,
while MkDocs in the parent works through the pages already there. Rendering
(about 1 s at 10,000 items) leaves the build's critical path.

The parent takes a page when MkDocs first asks for it. If the child goes away
before it has written everything (killed, out of memory, a bug), the parent
renders what is missing itself, so a page is always the same bytes as a serial
render gives. Forking is only done where it is safe: on Linux, from a process
with no other thread (`mkdocs serve` has its server threads; it renders serially
and keeps its page cache instead).
"""

from __future__ import annotations

import fcntl
import gc
import os
import struct
import sys
import threading
from collections.abc import Iterable
from typing import BinaryIO

from roadmap.render import Plan

_LENGTH = struct.Struct("<Q")
# A larger pipe lets the child run further ahead of MkDocs; Linux allows 1 MiB by default.
_PIPE_BYTES = 1 << 20


def can_fork() -> bool:
    """Whether forking this process is safe: Linux, and no thread but this one."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


class BackgroundPages:
    """The plan's pages, rendered by a forked child; `get(path)` waits for one."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self._pages: dict[str, str] = {}
        self._next = 0  # index in the plan of the next page the child will send
        reader, writer = os.pipe()
        try:
            fcntl.fcntl(writer, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
        except OSError:
            pass  # a smaller pipe only means the child waits for MkDocs more often
        self._pid = os.fork()
        if self._pid == 0:  # the child
            gc.disable()  # short-lived; a collection would only copy the parent's memory
            os.close(reader)
            _render_into(writer, (make for _, make in plan))
        os.close(writer)
        self._stream: BinaryIO | None = os.fdopen(reader, "rb")

    def get(self, path: str) -> str:
        """The page at `path` (a path of the plan), rendered by the child or, failing that, here."""
        while path not in self._pages and self._next < len(self.plan):
            planned_path, make = self.plan[self._next]
            text = self._receive()
            self._pages[planned_path] = make() if text is None else text
            self._next += 1
        if self._next == len(self.plan):
            self.close()  # all here: reap the child now rather than at the build's end
        return self._pages[path]

    def close(self) -> None:
        """Stop the child if it is still writing, and reap it."""
        if self._stream is not None:
            self._stream.close()  # a child still writing gets a broken pipe and exits
            self._stream = None
            os.waitpid(self._pid, 0)

    def _receive(self) -> str | None:
        if self._stream is None:
            return None
        header = self._stream.read(_LENGTH.size)
        if len(header) == _LENGTH.size:
            (size,) = _LENGTH.unpack(header)
            body = self._stream.read(size)
            if len(body) == size:
                return body.decode("utf-8")
        self.close()  # the child stopped early: the parent renders the rest
        return None


def _render_into(fd: int, makers: Iterable) -> None:
    """In the child: render each page, write it as length + UTF-8, and leave without cleanup."""
    code = 1
    try:
        with os.fdopen(fd, "wb", buffering=1 << 16) as out:
            for make in makers:
                data = make().encode("utf-8")
                out.write(_LENGTH.pack(len(data)))
                out.write(data)
        code = 0
    except BaseException:  # noqa: BLE001 - the parent renders whatever did not arrive
        pass
    finally:
        # No atexit handlers, no flushing of the parent's buffers, no MkDocs shutdown.
        os._exit(code)
