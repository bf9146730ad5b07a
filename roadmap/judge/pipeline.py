"""The pipeline from sources to a judged roadmap, shared by the plugin and the command line.

Fetching from GitHub (`refresh`) is a step of its own: it is the only one that
touches the network, and the plugin and the commands decide when to take it.
`run` reads decision files and the snapshot from disk and judges them.
"""

from __future__ import annotations

import dataclasses
import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from roadmap.core.dates import epoch_day, judging_day, parse_day
from roadmap.core.i18n import N_
from roadmap.core.model import DataNote, Policy, Problem, Roadmap, Severity
from roadmap.judge.decide import Verdict, decide, order_problems
from roadmap.judge.finished import finish
from roadmap.judge.release_links import link_releases
from roadmap.mkdocs.config import DEFAULTS
from roadmap.sources.github import board as project_board
from roadmap.sources.github import snapshot as snapshots
from roadmap.sources.github.board_items import with_board
from roadmap.sources.github.settings import GitHubSettings, Progress, SyncReport
from roadmap.sources.history import History, read_history
from roadmap.sources.merge import GitHubIssues, merge
from roadmap.sources.yamlfiles import load_directory, too_many


def default_policy() -> Policy:
    """The promises of a site that sets none (config.py declares them)."""
    return Policy(stale_after_days=DEFAULTS.stale_after_days,
                  decision_target_days=DEFAULTS.decision_target_days)


@dataclass(frozen=True)
class Settings:
    """What judging needs to know; `service.settings_from` derives it from a site's options."""

    decisions_dir: Path
    policy: Policy = field(default_factory=default_policy)
    # None when the roadmap reads no GitHub repository.
    github: GitHubSettings | None = None
    # More items than this are refused (a runaway script, or the wrong folder).
    max_items: int = DEFAULTS.max_items
    # Read how decisions changed from git.
    history: bool = DEFAULTS.history


def refresh(settings: Settings, *, full: bool = False, progress: Progress | None = None) -> SyncReport | None:
    """Bring the GitHub snapshot up to date; None when there is nothing to fetch."""
    github = settings.github
    if github is None or not (github.repos or github.project):
        return None
    from roadmap.sources.github.fetch import sync  # PyGithub loads only when a build fetches

    if not has_snapshot(github):
        # Nothing to fall back on: a machine with no network fails at once instead of
        # retrying the connection for half a minute.
        github = dataclasses.replace(github, connect_retries=0)
    report = sync(github, full=full, progress=progress)[1] if github.repos else \
        SyncReport((), 0, 0, None, None, github.token() is None)
    if github.project is None:
        return report
    from roadmap.sources.github.project import sync_project

    board = sync_project(github, github.project)
    return dataclasses.replace(report, project=board, notes=report.notes + board.notes)


def has_snapshot(github: GitHubSettings) -> bool:
    """Whether GitHub was ever fetched here (a first sync is `roadmap sync`'s or a build's job)."""
    issues = not github.repos or snapshots.snapshot_path(github.cache_dir).is_file()
    board = github.project is None or project_board.snapshot_path(github.cache_dir).is_file()
    return issues and board


def run(settings: Settings, now: date, fetched: SyncReport | None = None) -> Verdict:
    """Judge the decision files and the stored GitHub issues on the day `now`.

    `fetched` is this build's sync, if it made one: repositories it could not
    fetch are shown from the snapshot with a note saying how old their data is.
    """
    with cyclic_gc_paused():
        verdict = _judge(settings, now, fetched)
        # The last step: every fact a page shows, worked out once for all of them.
        return verdict if verdict.roadmap is None else Verdict(finish(verdict.roadmap), verdict.problems)


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Run a block without Python's cyclic garbage collector.

    Loading, judging and rendering make hundreds of thousands of small objects that
    hold no reference cycles (reference counting frees them) and mostly live until
    the build ends. With the collector on, every full collection walks all of them
    again: about a second of a 10,000-item build went to finding nothing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _judge(settings: Settings, now: date, fetched: SyncReport | None) -> Verdict:
    records, problems = load_directory(settings.decisions_dir, settings.max_items)
    if problems and not records:
        return Verdict(None, problems)
    issues, notes = _stored_issues(settings.github, fetched, problems)
    merged, merge_problems = merge(records, issues)
    problems += merge_problems
    if len(merged) > settings.max_items:
        first_past = sorted(merged, key=lambda r: r.path.as_posix())[settings.max_items]
        return Verdict(None, [too_many(first_past.path, len(merged), settings.max_items)])
    verdict = decide(merged, now, settings.policy, notes)
    if verdict.roadmap is not None:
        verdict = Verdict(with_releases(verdict.roadmap, issues), verdict.problems)
    if verdict.roadmap is not None and settings.history:
        verdict = Verdict(_with_history(verdict.roadmap, read_history(settings.decisions_dir)),
                          verdict.problems)
    if not problems:
        return verdict
    combined = order_problems(problems + verdict.problems)
    if any(p.severity.value == "error" for p in problems):
        return Verdict(None, combined)
    return Verdict(verdict.roadmap, combined)


def with_releases(roadmap: Roadmap, issues: GitHubIssues | None) -> Roadmap:
    """The roadmap with its releases, and each fixed item linked to the one that shipped it."""
    stored = {repo: issues.snapshot.repos[repo].releases for repo in issues.repos
              if repo in issues.snapshot.repos} if issues is not None else {}
    releases, shipped_in = link_releases(roadmap.items, stored)
    return dataclasses.replace(roadmap, releases=releases, shipped_in=shipped_in)


def _with_history(roadmap: Roadmap, history: History) -> Roadmap:
    by_id = {j.id: history.of(j.item.source.path) for j in roadmap.items}
    return dataclasses.replace(roadmap, history={k: v for k, v in by_id.items() if v},
                               history_note=history.note, history_read=True)


def _stored_issues(github: GitHubSettings | None, fetched: SyncReport | None,
                   problems: list[Problem]) -> tuple[GitHubIssues | None, tuple[DataNote, ...]]:
    if github is None or not (github.repos or github.project):
        return None, ()
    path = snapshots.snapshot_path(github.cache_dir)
    try:
        stored = snapshots.load(github.cache_dir, github.api_url)
    except snapshots.SnapshotUnreadable as err:
        problems.append(Problem(path, 1, None, str(err).split(": ", 1)[1],
                                "run `roadmap sync --full` to fetch everything again"))
        return None, ()
    for note in stored.notes:
        problems.append(Problem(path, 1, None, f"unusable GitHub data in the snapshot: {note}",
                                "nothing to do in the roadmap; `roadmap sync --full` fetches "
                                "the issues again", Severity.WARNING))
    failures = {r.repo: r.error for r in fetched.results} if fetched else {}
    # Never synced: the place to look is the configuration that names the repositories.
    shown_at = path if path.is_file() or github.config_file is None else github.config_file
    notes = []
    for repo in github.repos:
        entry = stored.repos.get(repo)
        error = failures.get(repo)
        if entry is None:
            why = f"fetching it failed: {error}" if error else "it has not been fetched yet"
            problems.append(Problem(
                shown_at, 1, None,
                f"there are no issues of {repo} to build from: {why}, and no earlier copy is stored",
                "run `roadmap sync` where GitHub can be reached (see the message above)"
                if error else "run `roadmap sync` (or `roadmap build` without --offline)",
            ))
        elif fetched is None or error:
            # Shown to readers: translated when the page is written.
            why = N_("GitHub could not be reached during this build") if error else \
                N_("this build did not fetch from GitHub")
            notes.append(DataNote(repo, _shown_time(entry.synced_at), why))
    issues = GitHubIssues(stored, github.repos, github.mapping, github.labels)
    if github.project is not None:
        issues, board_note = with_board(issues, github, github.project, fetched, problems)
        notes += board_note
    return issues, tuple(notes)


def _shown_time(stamp: str) -> str:
    return stamp.replace("T", " ")[:16] + " UTC"


class EpochError(ValueError):
    """SOURCE_DATE_EPOCH holds something that is not a usable time; the message says what."""


def resolve_now(explicit: str | None = None) -> date:
    """The day the roadmap is judged on: explicit, else SOURCE_DATE_EPOCH, else today (UTC).

    Reading the clock happens here, at the edge, so everything after it is reproducible.
    A SOURCE_DATE_EPOCH that is set is checked even when `explicit` wins: MkDocs dates
    the site's files with it and would fail on it later, with a traceback.
    ValueError (EpochError, dates.OutOfRange) with a sentence when a day cannot be used.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    from_epoch = None
    if epoch is not None:
        try:
            from_epoch = epoch_day(epoch)
        except ValueError as err:
            raise EpochError(f"SOURCE_DATE_EPOCH: {err}") from None
    if explicit:
        return judging_day(parse_day(explicit))
    return from_epoch or judging_day(datetime.now(tz=timezone.utc).date())
