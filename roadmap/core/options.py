"""How a setting is declared: once, as a field of the dataclass that uses it.

Each stage's settings are a frozen dataclass (`Policy`, `Settings`, `RenderOptions`,
each source's settings). A field is an option of the plugin, under the same name, with
its default and the comment above it; the MkDocs adapter (roadmap/mkdocs/config.py)
turns the dataclasses into MkDocs options by one loop over their fields, and back
into these dataclasses by another, as towncrier's `_settings/load.py` does. Adding an
option is adding a field.

What a plain type cannot say goes in the field's metadata: a `Rule` the value must
meet, or `DERIVED` for a field that is worked out from other settings (the engine's,
not the maintainer's) and so is no option at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Positive:
    """A whole number of at least 1; `what` is how a refusal words the rule."""

    what: str = "a whole number of at least 1"


@dataclass(frozen=True)
class Text:
    """Text that `check` accepts: it raises ValueError with the sentence a refusal gives."""

    check: Callable[[str], object]


@dataclass(frozen=True)
class OneOf:
    """One of a few words."""

    choices: tuple[str, ...]


@dataclass(frozen=True)
class Url:
    """An http(s) address."""


@dataclass(frozen=True)
class Folder:
    """A folder, written relative to the configuration file; the engine gets it resolved."""


Rule = Positive | Text | OneOf | Url | Folder

# The metadata key a field's rule is kept under, and the marker of a field that is no option.
RULE = "candor.rule"
DERIVED = {"candor.derived": True}


def setting(default: Any, rule: Rule) -> Any:
    """A field that is an option with a rule beyond its type (for a tuple: each item's rule)."""
    if isinstance(default, (list, dict, set)):
        raise TypeError("declare a collection's default as a tuple: settings are frozen")
    return field(default=default, metadata={RULE: rule})


def derived(default: Any = None) -> Any:
    """A field the engine works out itself (from the site or another setting): no option."""
    return field(default=default, metadata=DERIVED)


def is_option(spec: Any) -> bool:
    """Whether a dataclass field is a plugin option."""
    return not spec.metadata.get("candor.derived", False)


def rule_of(spec: Any) -> Rule | None:
    """The rule a field's value must meet beyond its type, if any."""
    rule: Rule | None = spec.metadata.get(RULE)
    return rule
