"""What happened to each decision file over time, read from git: status, target and reason changes.

One `git log` lists every revision of every decision file (renames followed,
merged pull requests counted once, on the day they landed); one
`git cat-file --batch` reads their contents; each revision is parsed by the
build's own YAML loader, so any valid spelling of a field is understood.

The first version of a file is where the roadmap learned of the item, not an
event: it gives the baseline (a "created" change carrying its status). The
item's own dates say when it was requested, decided and shipped. Only later
revisions that change status, target or reason are changes, dated by their
commit. Where there is no git history (a tarball, a folder outside any
repository) or only part of it (a shallow clone), `History.state` says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from roadmap.core import git as gitrev
from roadmap.core.dates import parse_day
from roadmap.core.model import Change, HistoryState
from roadmap.sources.yamlfiles import SUFFIXES, parse_text

# The fields whose changes are events.
TRACKED = ("status", "target", "reason")


@dataclass(frozen=True)
class History:
    # Changes by decision file (resolved path), oldest first.
    changes: dict[Path, tuple[Change, ...]] = field(default_factory=dict)
    # How much of it there is: complete, shallow, or missing (no git history to read).
    state: HistoryState = HistoryState.COMPLETE

    # Each folder resolved once (see `of`).
    _folders: dict[Path, Path] = field(default_factory=dict, compare=False, repr=False)

    def of(self, path: Path) -> tuple[Change, ...]:
        return self.changes.get(self._resolved(path), ())

    def _resolved(self, path: Path) -> Path:
        # A file that is no link itself is where its folder resolves to: one lstat per file
        # rather than one per folder of its path, for every item of the roadmap.
        if path.is_symlink():
            return path.resolve()
        folder = self._folders.get(path.parent)
        if folder is None:
            folder = self._folders[path.parent] = path.parent.resolve()
        return folder / path.name


@dataclass(frozen=True)
class _State:
    """What one revision of a decision file says, as text (None when it says nothing)."""

    status: str | None
    target: str | None
    reason: str | None
    decided_on: str | None
    shipped_on: str | None


def read_history(folder: Path) -> History:
    """Every status, target and reason change of the decision files under `folder`."""
    if not folder.is_dir():
        return History()
    try:
        root, revisions = gitrev.file_revisions(folder)
        shallow = gitrev.is_shallow(root)
        lineages = _lineages(revisions)
        contents = gitrev.read_blobs(root, (blob for lineage in lineages.values() for _, blob in lineage))
    except (OSError, gitrev.GitError):
        return History(state=HistoryState.MISSING)
    states = {blob: _state(text) for blob, text in contents.items()}
    del contents  # the texts are read: only what each revision says is kept
    changes = {}
    for path, lineage in lineages.items():
        found = _changes([(day, states.get(blob)) for day, blob in lineage])
        if found:
            changes[(root / path).resolve()] = found
    return History(changes, HistoryState.SHALLOW if shallow else HistoryState.COMPLETE)


def _lineages(revisions: Iterable[gitrev.FileRevision]) -> dict[str, list[tuple[date, str]]]:
    """Each decision file now in the folder, with the (day, blob) of each of its revisions.

    A renamed file carries its earlier revisions to its new name; a deleted one is dropped.
    """
    lineages: dict[str, list[tuple[date, str]]] = {}
    for r in revisions:
        if r.kind == "D":
            lineages.pop(r.path, None)
            continue
        earlier: list[tuple[date, str]] = []
        if r.kind == "R" and r.old_path is not None:
            earlier = lineages.pop(r.old_path, [])
        elif r.kind == "C" and r.old_path is not None:
            earlier = list(lineages.get(r.old_path, []))
        elif r.kind != "A":
            earlier = lineages.get(r.path, [])
        lineages[r.path] = [*earlier, (r.day, r.blob)]
    return {path: lineage for path, lineage in lineages.items() if path.endswith(SUFFIXES)}


def _state(content: bytes) -> _State | None:
    """A revision read as the build reads a file; None when that revision could not be read."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    record, _ = parse_text("history", Path("history.yml"), text)
    if record is None:
        return None
    data = record.data
    return _State(*(_text(data.get(name)) for name in ("status", "target", "reason", "decided_on",
                                                       "shipped_on")))


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return " ".join(value.split()) if isinstance(value, str) else str(value)


def _changes(lineage: list[tuple[date, _State | None]]) -> tuple[Change, ...]:
    found: list[Change] = []
    before: _State | None = None
    revision = 0
    for day, state in lineage:
        if state is None:
            continue  # a revision that did not parse changed nothing readers saw
        if before is None:
            found.append(Change(day, "created", None, state.status, 0, _own_day(None, state)))
        elif any(getattr(before, name) != getattr(state, name) for name in TRACKED):
            revision += 1
            for name in TRACKED:
                old, new = getattr(before, name), getattr(state, name)
                if old != new:
                    on = _own_day(before, state) if name == "status" else None
                    found.append(Change(day, name, old, new, revision, on))
        before = state
    return tuple(found)


def _own_day(before: _State | None, state: _State) -> date | None:
    """The day the file gives for its new status: shipped_on for fixed, else a new decided_on."""
    if state.status == "fixed" and state.shipped_on:
        text: str | None = state.shipped_on
    else:
        written_now = before is None or state.decided_on != before.decided_on
        text = state.decided_on if written_now else None
    try:
        return parse_day(text) if text else None
    except ValueError:
        return None
