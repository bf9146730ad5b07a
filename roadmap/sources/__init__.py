"""Sources turn something outside Candor into `Record`s: raw fields plus where they came from.

A source knows nothing about statuses or rules; `roadmap.validate` turns records
into `Item`s. The YAML decision files are the first source. A second one (GitHub)
produces records for the same validator, and decision files are then merged over
them field by field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Record:
    """The fields of one item exactly as its source wrote them."""

    id: str
    path: Path
    data: dict[str, Any]
    # Line of each top-level field, for error messages.
    lines: dict[str, int]
    # Fields whose values came from GitHub rather than from a maintainer's file.
    # GitHub says less than a decision file must (a "not planned" close has no
    # reason), so the validator is lenient about what these leave out.
    from_github: frozenset[str] = field(default_factory=frozenset)
    # The issue behind the record, as owner/name#123.
    github: str | None = None
