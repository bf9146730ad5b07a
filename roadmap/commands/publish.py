"""Put a freshly built site where the published one is: whole or not at all.

`roadmap build` builds into a new folder beside the site and swaps it in only when
the build succeeded. The swap:

- cannot lose `site/`: on Linux both folders trade places in one atomic step
  (renameat2 with RENAME_EXCHANGE); elsewhere two renames, and a build killed
  between them leaves `.site-old`, which the next build (or check) puts back first;
- writes through a symlinked `site` (a link to a web root stays a link, and the
  folder it points to is what gets replaced);
- follows the umask, as `mkdocs build` does (a temporary folder would be 0700,
  and a web server running as another user would answer 403);
- is guarded by a lock on the folder that holds the site, so two builds in one
  folder take turns instead of tripping over each other's renames; folders left
  by a build that was killed are removed by the next one.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

# Linux's renameat2 flag: exchange the two paths atomically.
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def real_site(target: Path) -> Path:
    """The folder the site is written to: the one a symlinked `site` points to."""
    return target.resolve() if target.is_symlink() else target


def old_folder(real: Path) -> Path:
    return real.with_name(f".{real.name}-old")


def _staging_prefix(real: Path) -> str:
    return f".{real.name}-new-"


@contextlib.contextmanager
def replacing(target: Path, waiting: Callable[[], None] | None = None) -> Iterator[Path]:
    """An empty folder to build into, which replaces `target` when the block ends normally.

    If the block raises, the folder is removed and `target` is left as it was.
    `waiting` is called once if another build holds the lock and this one must wait.
    """
    real = real_site(target)
    real.parent.mkdir(parents=True, exist_ok=True)
    with _locked(real.parent, waiting):
        _recover(real)
        staging = real.with_name(_staging_prefix(real) + secrets.token_hex(4))
        os.mkdir(staging, 0o777)  # the umask decides, as for every folder MkDocs makes
        try:
            yield staging
            _swap(staging, real)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise


def recover(target: Path) -> None:
    """Undo what a killed build left, unless another build is running (it will)."""
    real = real_site(target)
    if not real.parent.is_dir():
        return
    with _locked(real.parent, None, wait=False) as locked:
        if locked:
            _recover(real)


def _recover(real: Path) -> None:
    """Put `.site-old` back if `site` is missing, and remove folders of builds that did not
    finish. Only with the lock held: then no other build is using them."""
    old = old_folder(real)
    if not real.exists() and old.is_dir():
        old.rename(real)
    if not real.parent.is_dir():
        return
    prefix = _staging_prefix(real)
    for entry in real.parent.iterdir():
        if entry.name.startswith(prefix) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
    if old.is_dir() and real.exists():
        shutil.rmtree(old, ignore_errors=True)


def _swap(staging: Path, real: Path) -> None:
    if not real.exists() and not real.is_symlink():
        staging.rename(real)
        return
    if _exchange(staging, real):
        shutil.rmtree(staging, ignore_errors=True)  # it now holds the previous site
        return
    old = old_folder(real)
    if old.exists():
        shutil.rmtree(old)
    real.rename(old)
    staging.rename(real)  # a kill just before this line is what `recover` undoes
    shutil.rmtree(old, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Trade the two paths in one step; False where the system cannot (then two renames do)."""
    rename = _renameat2()
    if rename is None:
        return False
    result = rename(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # an old kernel, or a file system without it
    raise OSError(code, os.strerror(code), str(second))


_RENAMEAT2: list[Callable[..., int] | None] = []


def _renameat2() -> Callable[..., int] | None:
    if not _RENAMEAT2:
        library = ctypes.util.find_library("c")
        function = None
        if library:
            with contextlib.suppress(OSError, AttributeError):
                function = ctypes.CDLL(library, use_errno=True).renameat2
        _RENAMEAT2.append(function)
    return _RENAMEAT2[0]


@contextlib.contextmanager
def _locked(folder: Path, waiting: Callable[[], None] | None, wait: bool = True) -> Iterator[bool]:
    """An exclusive lock on `folder` itself (no lock file to leave behind), released on exit,
    and by the system when the process dies however it dies. Yields whether it is held
    (False only with wait=False when another process holds it)."""
    try:
        handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        yield True  # a folder that cannot be opened cannot be locked either; build unguarded
        return
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                yield False
                return
            if waiting is not None:
                waiting()
            fcntl.flock(handle, fcntl.LOCK_EX)
        except OSError:
            pass  # a file system without locks: build unguarded, as before
        yield True
    finally:
        os.close(handle)
