"""The pipeline from sources to a judged roadmap, shared by the plugin and the command line.

Fetching the trackers (`refresh`) is a step of its own: it is the only one that
touches the network, and the plugin and the commands decide when to take it.
`run` reads decision files and each source's stored copy from disk and judges them.
The pipeline loops over `Settings.sources()` and never names a tracker.
"""

from __future__ import annotations

import dataclasses
import gc
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timezone
from typing import Any

from roadmap.core.dates import epoch_day, judging_day, parse_day
from roadmap.core.model import Roadmap
from roadmap.judge.decide import Verdict, decide, order_problems
from roadmap.judge.finished import finish
from roadmap.judge.release_links import link_releases
from roadmap.sources import ShippedRelease, Source
from roadmap.sources.history import History, read_history
from roadmap.sources.merge import merge
from roadmap.sources.settings import Settings
from roadmap.sources.yamlfiles import load_directory, too_many

__all__ = ["Fetched", "Settings", "refresh", "run", "with_releases"]

# Each source's sync report of this build, by the source's name.
Fetched = Mapping[str, Any]


def refresh(settings: Settings, *, full: bool = False, progress: Any = None,
            sources: Sequence[Source] | None = None) -> dict[str, Any]:
    """Bring every source's stored copy up to date: their reports by name (none when there
    was nothing to fetch). `sources` defaults to the ones `settings` names."""
    reports = {}
    for source in settings.sources() if sources is None else sources:
        report = source.sync(full=full, progress=progress)
        if report is not None:
            reports[source.name] = report
    return reports


def run(settings: Settings, now: date, fetched: Fetched | None = None,
        sources: Sequence[Source] | None = None) -> Verdict:
    """Judge the decision files and the sources' stored issues on the day `now`.

    `fetched` holds this build's sync reports, if it made any: what a source could not
    fetch is shown from its stored copy with a note saying how old its data is.
    `sources` defaults to the ones `settings` names.
    """
    with cyclic_gc_paused():
        verdict = _judge(settings, now, fetched or {},
                         settings.sources() if sources is None else tuple(sources))
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


def _judge(settings: Settings, now: date, fetched: Fetched, sources: tuple[Source, ...]) -> Verdict:
    records, problems = load_directory(settings.decisions_dir, settings.max_items)
    if problems and not records:
        return Verdict(None, problems)
    loaded = [source.load(fetched.get(source.name)) for source in sources]
    problems += [p for one in loaded for p in one.problems]
    notes = tuple(note for one in loaded for note in one.notes)
    merged, merge_problems = merge(records, [one.issues for one in loaded])
    problems += merge_problems
    if len(merged) > settings.max_items:
        first_past = sorted(merged, key=lambda r: r.path.as_posix())[settings.max_items]
        return Verdict(None, [too_many(first_past.path, len(merged), settings.max_items)])
    verdict = decide(merged, now, settings.policy, notes)
    if verdict.roadmap is not None:
        shipped = tuple(release for one in loaded for release in one.releases)
        verdict = Verdict(with_releases(verdict.roadmap, shipped), verdict.problems)
    if verdict.roadmap is not None and settings.history:
        verdict = Verdict(_with_history(verdict.roadmap, read_history(settings.decisions_dir)),
                          verdict.problems)
    if not problems:
        return verdict
    combined = order_problems(problems + verdict.problems)
    if any(p.severity.value == "error" for p in problems):
        return Verdict(None, combined)
    return Verdict(verdict.roadmap, combined)


def with_releases(roadmap: Roadmap, shipped: tuple[ShippedRelease, ...]) -> Roadmap:
    """The roadmap with its releases, and each fixed item linked to the one that shipped it."""
    releases, shipped_in = link_releases(roadmap.items, shipped)
    return dataclasses.replace(roadmap, releases=releases, shipped_in=shipped_in)


def _with_history(roadmap: Roadmap, history: History) -> Roadmap:
    by_id = {j.id: history.of(j.item.source.path) for j in roadmap.items}
    return dataclasses.replace(roadmap, history={k: v for k, v in by_id.items() if v},
                               history_state=history.state)


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
