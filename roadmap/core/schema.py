"""The decision-file JSON Schema: the single definition of the format, for Candor and for editors."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # importlib.resources.abc is new in Python 3.11; only the hints need it
    from importlib.abc import Traversable

SCHEMA_FILE = "decision.schema.json"


def _schemas() -> Traversable:
    # The schemas are data files of the package (roadmap/schema/), not code.
    return resources.files("roadmap").joinpath("schema")


def decision_schema_text() -> str:
    """The schema file as it ships, for `roadmap init` to give editors."""
    return _schemas().joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def decision_schema() -> dict[str, Any]:
    """The schema as a dict, read once from the package."""
    return json.loads(decision_schema_text())


def roadmap_schema_text() -> str:
    """The JSON Schema of roadmap.json, published beside it."""
    return _schemas().joinpath("roadmap.schema.json").read_text(encoding="utf-8")


def field_names() -> list[str]:
    """Every field a decision file may hold, in the schema's order."""
    return list(decision_schema()["properties"])
