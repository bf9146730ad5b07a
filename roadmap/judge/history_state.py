"""How much of the decision files' git history a roadmap was judged with, as a state.

Readers are told what is missing (render words each state), and the figures that
need history (shipped on time, targets moved) are counted only when it was read.
"""

from __future__ import annotations

import enum

from roadmap.core.model import Roadmap
from roadmap.sources import history


class HistoryState(str, enum.Enum):
    """What the roadmap knows of how its decisions changed."""

    # The `history` option is off: nothing was read, and nothing is said about it.
    NOT_READ = "not-read"
    # Read, and complete.
    COMPLETE = "complete"
    # Read from a shallow clone: changes older than the copy are missing.
    SHALLOW = "shallow"
    # Asked for, but there was no git history to read (a tarball, a folder outside git).
    MISSING = "missing"

    @property
    def counts_changes(self) -> bool:
        """Whether shipments against targets and target moves can be counted: a shallow
        copy still has the recent changes the figures are about."""
        return self in (HistoryState.COMPLETE, HistoryState.SHALLOW)


def history_state(roadmap: Roadmap) -> HistoryState:
    """The state of the history the roadmap was judged with.

    sources/history.py names a missing or partial history by the sentence readers
    are shown; the sentences are its constants, compared whole.
    """
    if not roadmap.history_read:
        return HistoryState.NOT_READ
    if roadmap.history_note is None:
        return HistoryState.COMPLETE
    return HistoryState.SHALLOW if roadmap.history_note == history.SHALLOW else HistoryState.MISSING


# What readers are told of a missing or partial history (untranslated: render translates it).
_NOTES = {HistoryState.SHALLOW: history.SHALLOW, HistoryState.MISSING: history.NO_GIT}


def history_words(state: HistoryState) -> str | None:
    """The sentence a page shows about the history it was built with; None when complete
    or not asked for. A message id of the catalogs, translated where it is shown."""
    return _NOTES.get(state)
