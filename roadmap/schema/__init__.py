"""The decision-file JSON Schema: the single definition of the format, for Candor and for editors."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

SCHEMA_FILE = "decision.schema.json"


@lru_cache(maxsize=1)
def decision_schema() -> dict[str, Any]:
    """The schema as a dict, read once from the package."""
    text = resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    return json.loads(text)


def field_names() -> list[str]:
    """Every field a decision file may hold, in the schema's order."""
    return list(decision_schema()["properties"])
