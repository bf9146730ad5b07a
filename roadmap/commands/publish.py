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
  by a build that was killed are removed by the next one;
- does not wait for the previous site to be deleted: once the new site is in place
  the old tree is renamed to `.site-trash-<random>` and a detached process deletes
  it while the build answers (see `_discard`).
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
import subprocess
import sys
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


def _trash_prefix(real: Path) -> str:
    return f".{real.name}-trash-"


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
    staging, trash = _staging_prefix(real), _trash_prefix(real)
    for entry in real.parent.iterdir():
        if not entry.is_dir() or entry.is_symlink():
            continue
        if entry.name.startswith(staging):
            shutil.rmtree(entry, ignore_errors=True)
        elif entry.name.startswith(trash):
            # A previous site whose deleting process was killed (or is still at it):
            # deleted the same way, off this build's path too.
            _delete_detached(entry)
    if old.is_dir() and real.exists():
        _discard(old, real)


def _swap(staging: Path, real: Path) -> None:
    if not real.exists() and not real.is_symlink():
        staging.rename(real)
        return
    if _exchange(staging, real):
        _discard(staging, real)  # it now holds the previous site
        return
    old = old_folder(real)
    if old.exists():
        shutil.rmtree(old)
    real.rename(old)
    staging.rename(real)  # a kill just before this line is what `recover` undoes
    _discard(old, real)


def _discard(previous: Path, real: Path) -> None:
    """Delete the previous site without making the build wait for it.

    Deleting a site of 10,000 items takes about 5 s, of 50,000 about 26 s, and nobody
    needs to wait for it: the new site is already in place. Renaming it first takes it
    out of the names the swap and `recover` use (one rename, same folder, so atomic and
    instant); a detached process then deletes it, so `roadmap build` answers at once and
    the tree is gone a few seconds later. If that process is killed first, the next
    build finds the `.site-trash-*` folder and deletes it the same way. (A thread would
    either hold the process open until done, which is the wait we are removing, or be
    killed half-way at exit.)
    """
    trash = real.with_name(_trash_prefix(real) + secrets.token_hex(4))
    try:
        previous.rename(trash)
    except OSError:
        shutil.rmtree(previous, ignore_errors=True)  # cannot be moved: delete it here, as before
        return
    _delete_detached(trash)


def _delete_detached(folder: Path) -> None:
    """Delete `folder` in a process of its own that outlives this one (its own session:
    a Ctrl-C after the build does not reach it); here, if no process can be started."""
    # Kept, and reaped once done, so a process that builds many times (the tests, a
    # server) is left neither zombies nor "still running" warnings.
    _DELETERS[:] = [child for child in _DELETERS if child.poll() is None]
    try:
        _DELETERS.append(subprocess.Popen(
            [sys.executable, "-c", _DELETE, str(folder)], start_new_session=True,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


_DELETE = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
_DELETERS: list[subprocess.Popen[bytes]] = []


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
