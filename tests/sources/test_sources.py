"""The Source interface: a tracker the pipeline has never heard of, in a few lines of a test,
is fetched, linked by decision files, judged and given releases with no change to the engine."""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from roadmap.core.model import DataNote, IssueRef, Problem, Release, Status
from roadmap.judge.pipeline import Settings, refresh, run
from roadmap.sources import Loaded, Record, ShippedRelease, Source, TrackerIssues

NOW = date(2026, 12, 4)


def _issue(number: int, title: str, status: str, **more: Any) -> Record:
    key = f"team/app#{number}"
    data = {"title": title, "status": status, "opened_on": "2026-01-05", **more}
    return Record(f"tiny-{number}", Path(key), data, {}, frozenset(data),
                  IssueRef("Tiny", key, f"https://tiny.example/{number}", "tiny"))


@dataclass(frozen=True)
class TinyIssues:
    """`TrackerIssues` for a tracker whose decision files write `tiny: 12`."""

    issues: dict[int, Record]
    field: str = "tiny"
    drafts: tuple[Record, ...] = ()

    def names_an_issue(self, value: Any) -> bool:
        return isinstance(value, int) and not isinstance(value, bool)

    def find(self, decision: Record) -> tuple[Record | None, list[Problem]]:
        found = self.issues.get(decision.data["tiny"])
        if found is None:
            return None, [Problem(decision.path, 1, "tiny", "no such issue", "check the number")]
        return found, []

    def undecided(self, claimed: Set[str]) -> list[Record]:
        return [r for r in self.issues.values() if r.issue is not None and r.issue.key not in claimed]


@dataclass
class TinySource:
    """A tracker kept in memory: `sync` counts its calls, `load` hands out what it holds."""

    issues: dict[int, Record]
    name: str = "tiny"
    synced: list[bool] = field(default_factory=list)

    def sync(self, *, full: bool = False, progress: Any = None) -> str:
        self.synced.append(full)
        return "fetched"

    def has_stored_copy(self) -> bool:
        return True

    def load(self, fetched: Any) -> Loaded:
        notes = () if fetched == "fetched" else (DataNote("team/app", "2026-12-01 10:00 UTC", "offline"),)
        release = Release("team/app@v2", "v2", date(2026, 11, 1), repo="team/app")
        shipped = ShippedRelease(release, ("v2",), frozenset({"team/app#2"}))
        return Loaded(TinyIssues(self.issues), (shipped,), notes)


def _source() -> TinySource:
    return TinySource({1: _issue(1, "Dark mode", "under-review"),
                       2: _issue(2, "Export", "fixed", shipped_on="2026-11-02", decided_on="2026-11-02"),
                       3: _issue(3, "Offline", "wont-fix", decided_on="2026-11-02")})


def test_a_tracker_is_a_source_by_its_shape():
    source: Source = _source()  # mypy and the reader: no base class to inherit
    issues: TrackerIssues = TinyIssues({})
    assert source.name == "tiny" and issues.field == "tiny"


def test_a_second_tracker_goes_through_the_pipeline_without_a_change_to_it(tmp_path):
    (tmp_path / "dark.yml").write_text("tiny: 1\nstatus: planned\ntarget: 2027-Q1\n", encoding="utf-8")
    source = _source()
    settings = Settings(tmp_path, history=False)
    fetched = refresh(settings, sources=[source])
    assert fetched == {"tiny": "fetched"} and source.synced == [False]

    verdict = run(settings, NOW, fetched, sources=[source])
    assert verdict.roadmap is not None, [p.format() for p in verdict.problems]
    by_id = verdict.roadmap.by_id()
    assert sorted(by_id) == ["tiny-1", "tiny-2", "tiny-3"]
    # The decision file wins over the issue, and the item keeps the issue's id and reference.
    assert by_id["tiny-1"].status is Status.PLANNED
    assert by_id["tiny-1"].item.title == "Dark mode"
    assert by_id["tiny-1"].item.issue == IssueRef("Tiny", "team/app#1", "https://tiny.example/1", "tiny")
    assert verdict.roadmap.shipped_in == {"tiny-2": "team/app@v2"}
    assert verdict.roadmap.notes == ()
    # The tracker's name comes from the data, in the same sentence as for any tracker.
    [warning] = [p for p in verdict.problems if p.field == "reason"]
    assert warning.message == ("Tiny marks team/app#3 as not planned without a reason; the site says "
                               "\"closed without a stated reason\"")
    assert warning.fix == ("give the reason in a decision file: tiny: team/app#3 and reason: "
                           "<why not, in a sentence>")


def test_a_source_not_fetched_by_this_build_says_how_old_its_data_is(tmp_path):
    verdict = run(Settings(tmp_path, history=False), NOW, None, sources=[_source()])
    assert verdict.roadmap is not None
    assert verdict.roadmap.notes == (DataNote("team/app", "2026-12-01 10:00 UTC", "offline"),)


def test_a_decision_file_linking_a_missing_issue_is_told_by_its_tracker(tmp_path):
    (tmp_path / "gone.yml").write_text("tiny: 9\nstatus: planned\n", encoding="utf-8")
    verdict = run(Settings(tmp_path, history=False), NOW, None, sources=[_source()])
    assert [(p.path.name, p.field, p.message) for p in verdict.errors] == [("gone.yml", "tiny", "no such issue")]
