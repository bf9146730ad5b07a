"""The plugin's options and their defaults, declared once, with MkDocs' own config machinery.

Every default lives here. The engine's settings (pipeline.Settings, GitHubSettings,
StatusMapping, LabelFilter, RenderOptions) take theirs from `DEFAULTS`, and
`service.settings_from` turns a site's options into them, so the two cannot drift.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c

from roadmap.core.dates import parse_day
from roadmap.core.i18n import babel_locale
from roadmap.core.model import Status


class PositiveInt(c.Type):
    """A whole number of at least 1, refused with the value and the rule (`what`) when it is not."""

    def __init__(self, default: int | None = None, what: str = "a whole number of at least 1") -> None:
        super().__init__(int, default=default)
        self.what = what

    def run_validation(self, value: object) -> int:
        number = super().run_validation(value)
        if isinstance(number, bool) or number < 1:
            raise base.ValidationError(f"Expected {self.what}, got {value!r}.")
        return number


class CheckedText(c.Type):
    """Text an option holds, refused with the sentence `check` raises when it does not fit."""

    def __init__(self) -> None:
        super().__init__(str)

    def run_validation(self, value: object) -> str:
        # YAML reads 2026-11-23 as a date: it is the text that was written.
        text = str(value) if isinstance(value, date) else super().run_validation(value)
        try:
            self.check(text)
        except ValueError as err:
            said = str(err)
            raise base.ValidationError(said if said.endswith(".") else said + ".") from None
        return text

    def check(self, text: str) -> None:
        raise NotImplementedError


class Day(CheckedText):
    """A day written YYYY-MM-DD."""

    def check(self, text: str) -> None:
        try:
            parse_day(text)
        except ValueError as err:
            raise ValueError(f"{err}; write it as YYYY-MM-DD.") from None


class RepoName(CheckedText):
    """owner/name, as GitHub writes it."""

    def check(self, text: str) -> None:
        if not REPO_PATTERN.match(text):
            raise ValueError(f"Expected a repository written owner/name, got {text!r}.")


class LanguageName(CheckedText):
    """A language as theme.language names it (de, pt-BR, zh), refused when Babel has no locale for it."""

    def check(self, text: str) -> None:
        babel_locale(text)  # UnknownLanguage, a ValueError, says which names Babel knows


DEFAULT_API_URL = "https://api.github.com"
# github.write_back: what `roadmap notify` may do on a request's issue.
WRITE_BACK_MODES = ("off", "comment", "comment-and-close")
REPO_PATTERN = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
STATUSES = [s.value for s in Status]


class StatusMappingConfig(base.Config):
    """Which status each GitHub state gives, row by row (the README's mapping table)."""

    closed_completed = c.Choice(STATUSES, default="fixed")
    closed_not_planned = c.Choice(STATUSES, default="wont-fix")
    closed_duplicate = c.Choice(STATUSES, default="duplicate")
    # Closed before GitHub recorded reasons (state_reason missing).
    closed_other = c.Choice(STATUSES, default="fixed")
    # Open issues: the first of these labels the issue carries decides, in this order.
    open_labels = c.DictOfItems(c.Choice(STATUSES), default={"wontfix": "wont-fix",
                                                              "planned": "planned"})
    open_milestone = c.Choice(STATUSES, default="planned")
    open_other = c.Choice(STATUSES, default="under-review")


class ProjectConfig(base.Config):
    """A GitHub Projects (v2) board as a source: its issues and draft issues are the items."""

    # The organisation or user that owns the project, and its number (in its address:
    # github.com/orgs/OWNER/projects/NUMBER); without both, no project is read.
    owner = c.Optional(c.Type(str))
    number = c.Optional(PositiveInt(what="the project's number (1 or more)"))
    # The single-select field whose option gives each item's status.
    status_field = c.Type(str, default="Status")
    # Option name -> status (case and spaces ignored); an option not named here: under-review.
    status_map = c.DictOfItems(c.Choice(STATUSES), default={
        "Backlog": "under-review", "Triage": "under-review", "New": "under-review",
        "Exploring": "under-review", "Under review": "under-review",
        "Todo": "planned", "Planned": "planned", "Ready": "planned", "Next": "planned",
        "Up next": "planned", "In design": "planned", "In progress": "planned",
        "In review": "planned", "Preview": "planned", "Beta": "planned",
        "Done": "fixed", "Shipped": "fixed", "Released": "fixed", "GA": "fixed",
        "Won't do": "wont-fix", "Won't fix": "wont-fix", "Not planned": "wont-fix",
        "Declined": "wont-fix", "Duplicate": "duplicate",
    })
    # Options that mean work has begun: the item shows as in progress from the day it was set.
    started_options = c.ListOfItems(c.Type(str), default=["In progress", "In review"])
    # Date or iteration fields that give a planned item's target, the first with a value
    # winning (an iteration gives its last day).
    target_fields = c.ListOfItems(c.Type(str), default=["Target date", "Iteration"])


class GitHubConfig(base.Config):
    # Repositories to read, owner/name; none means GitHub is not a source.
    repos = c.ListOfItems(RepoName(), default=[])
    # https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server.
    api_url = c.URL(default=DEFAULT_API_URL)
    # The environment variable holding the token (the token itself never goes in a file).
    token_env = c.Type(str, default="GITHUB_TOKEN")
    # Only issues with one of these labels appear on their own (a decision file always shows its issue).
    include_labels = c.ListOfItems(c.Type(str), default=[])
    # Issues with any of these labels never reach the site, nor the cache.
    exclude_labels = c.ListOfItems(c.Type(str), default=["security", "private"])
    mapping = c.SubConfig(StatusMappingConfig)
    # A GitHub Projects (v2) board to read as well as (or instead of) the repositories.
    project = c.SubConfig(ProjectConfig)
    # Where the snapshot is kept, relative to mkdocs.yml.
    cache_dir = c.Dir(exists=False, default=".cache/roadmap")
    # Fetch during builds; false builds from the snapshot (the site then says how old it is).
    fetch = c.Type(bool, default=True)
    # Seconds to wait for one answer, and in all for retries before falling back to the snapshot.
    timeout = PositiveInt(15)
    retry_for = PositiveInt(60)
    # Seconds a whole sync may take, slow answers and retries included; past it, what was
    # not fetched keeps its last good copy. Pages one listing may have (100 issues each).
    deadline = PositiveInt(900)
    max_pages = PositiveInt(5_000)
    # Seconds between requests (PyGithub's default; 0 for none).
    request_interval = c.Type((int, float), default=0.25)
    # Tell requesters on their issues what was decided (`roadmap notify`): off, comment, or
    # comment-and-close (also closes with the matching reason and reopens on a reversal).
    write_back = c.Choice(WRITE_BACK_MODES, default="off")


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
    # Cards in each column of the board (board/); the listings have the rest.
    board_cards = PositiveInt(20)
    # Requests listed under each area on the areas pages (open ones first, by votes).
    area_cap = PositiveInt(100)
    # Names readers see for areas, e.g. {i18n: Translations}; an area not named here is shown as written.
    area_names = c.DictOfItems(c.Type(str), default={})
    # Generate the home page (index.md); off when the site writes its own.
    home = c.Type(bool, default=True)
    # Folder of Markdown templates that override the package's, relative to the
    # config file; by default `<theme custom_dir>/roadmap`.
    templates_dir = c.Optional(c.Dir(exists=False))
    # The day to judge the roadmap on; by default SOURCE_DATE_EPOCH, else today.
    now = c.Optional(Day())
    github = c.SubConfig(GitHubConfig)
    # More items than this are refused quickly (a runaway script, or the wrong folder).
    max_items = PositiveInt(100_000)
    # Show how each decision changed, from the git history of its file.
    history = c.Type(bool, default=True)
    # The language of Candor's own words, dates and numbers; by default theme.language (else en).
    language = c.Optional(LanguageName())
    # A folder of the site's own message catalogs (<lang>/LC_MESSAGES/candor.po), relative to
    # mkdocs.yml: they add a language or override Candor's words in one.
    locale_dir = c.Dir(exists=False, default="locale")


# Where DEFAULTS pretends mkdocs.yml is: paths relative to it come out under this folder.
DEFAULTS_ROOT = "/"


def _defaults() -> RoadmapConfig:
    config = RoadmapConfig(config_file_path=DEFAULTS_ROOT + "mkdocs.yml")
    config.load_dict({})
    errors, _ = config.validate()
    assert not errors, errors  # every option has a valid default
    return config


# Every option at its default: what the engine's dataclasses default to. A path option
# (c.Dir, relative to mkdocs.yml) is absolute here, under DEFAULTS_ROOT: see relative_default.
DEFAULTS = _defaults()


def relative_default(path: str) -> str:
    """A path option's default as written, relative to the folder of mkdocs.yml."""
    return str(Path(path).relative_to(DEFAULTS_ROOT))
