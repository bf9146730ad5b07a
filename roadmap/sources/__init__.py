"""Sources turn something outside Candor into `Record`s: raw fields plus where they came from.

A source knows nothing about statuses or rules; `roadmap.validate` turns records
into `Item`s. The YAML decision files are the first source. A second one (GitHub)
produces records for the same validator, and decision files are then merged over
them field by field.
"""

from __future__ import annotations

from dataclasses import dataclass
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
