"""The plugin's options, declared with MkDocs' own config machinery."""

from __future__ import annotations

from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c

from roadmap.dates import parse_day


class PositiveInt(c.Type):
    """A whole number of at least 1, refused with the value and the rule when it is not."""

    def __init__(self, default: int) -> None:
        super().__init__(int, default=default)

    def run_validation(self, value: object) -> int:
        number = super().run_validation(value)
        if isinstance(number, bool) or number < 1:
            raise base.ValidationError(f"Expected a whole number of at least 1, got {value!r}.")
        return number


class Day(c.Type):
    """A day written YYYY-MM-DD."""

    def __init__(self) -> None:
        super().__init__(str)

    def run_validation(self, value: object) -> Any:
        if value is None:
            return None
        text = str(value)
        try:
            parse_day(text)
        except ValueError as err:
            raise base.ValidationError(f"{err}; write it as YYYY-MM-DD.") from None
        return text


class RoadmapConfig(base.Config):
    enabled = c.Type(bool, default=True)
    # Folder of decision files, relative to docs_dir.
    decisions_dir = c.Type(str, default="roadmap")
    # Open items not reviewed for longer than this are flagged as not reviewed.
    stale_after_days = PositiveInt(180)
    # The project's promise: how soon a new request gets a decision.
    decision_target_days = PositiveInt(30)
    # Items per listing page before it is split.
    per_page = PositiveInt(50)
    # Items in each "recently ..." list on the home page.
    recent = PositiveInt(5)
    # Generate the home page (index.md); off when the site writes its own.
    home = c.Type(bool, default=True)
    # Folder of Markdown templates that override the package's, relative to the
    # config file; by default `<theme custom_dir>/roadmap`.
    templates_dir = c.Optional(c.Type(str))
    # The day to judge the roadmap on; by default SOURCE_DATE_EPOCH, else today.
    now = c.Optional(Day())
