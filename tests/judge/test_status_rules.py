"""The rules that turn decision files into honest statuses, one behaviour per test."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import NOW, write
from roadmap.core.dates import describe_days, parse_target
from roadmap.core.model import Policy, Severity, Status, TargetKind
from roadmap.judge.decide import Verdict
from roadmap.judge.pipeline import Settings, run


def judge(folder: Path, files: dict[str, str], now: date = NOW,
          policy: Policy | None = None) -> Verdict:
    for name, text in files.items():
        write(folder, name, text)
    return run(Settings(folder, policy or Policy(), history=False), now)


def one(verdict: Verdict, item_id: str):
    assert verdict.roadmap is not None, [p.format() for p in verdict.errors]
    return verdict.roadmap.by_id()[item_id]


PLANNED = """\
title: Planned thing
status: planned
opened_on: 2026-01-01
decided_on: 2026-02-01
last_reviewed: 2026-09-01
target: {target}
"""


@pytest.mark.parametrize("target, kind, deadline", [
    ("2026-12-15", TargetKind.DATE, date(2026, 12, 15)),
    ("2026-Q1", TargetKind.QUARTER, date(2026, 3, 31)),
    ("2026-Q4", TargetKind.QUARTER, date(2026, 12, 31)),
    ("2027-02", TargetKind.MONTH, date(2027, 2, 28)),
    ("Spring release", TargetKind.MILESTONE, None),
    ('"2.0"', TargetKind.MILESTONE, None),
])
def test_a_target_is_a_date_quarter_month_or_milestone(tmp_path, target, kind, deadline):
    j = one(judge(tmp_path, {"x.yml": PLANNED.format(target=target)}), "x")
    assert j.item.target.kind is kind
    assert j.item.target.deadline == deadline


@pytest.mark.parametrize("target, now, missed", [
    ("2026-11-22", date(2026, 11, 23), True),
    ("2026-11-23", date(2026, 11, 23), False),   # the deadline day itself still counts
    ("2026-Q3", date(2026, 10, 1), True),
    ("2026-Q3", date(2026, 9, 30), False),
    ("2026-10", date(2026, 11, 1), True),
    ("2026-10", date(2026, 10, 31), False),
    ("Someday", date(2030, 1, 1), False),       # a milestone without a date cannot be missed
])
def test_a_past_target_on_an_unshipped_item_is_missed(tmp_path, target, now, missed):
    verdict = judge(tmp_path, {"x.yml": PLANNED.format(target=target)}, now=now)
    assert one(verdict, "x").missed is missed
    warned = [p for p in verdict.warnings if p.field == "target"]
    assert bool(warned) is missed


def test_a_fixed_item_is_never_missed(tmp_path):
    verdict = judge(tmp_path, {"x.yml": """\
        title: Shipped late
        status: fixed
        opened_on: 2025-01-01
        shipped_on: 2026-06-01
        """})
    assert one(verdict, "x").missed is False


def test_planned_without_target_has_no_date_committed(tmp_path):
    verdict = judge(tmp_path, {"x.yml": "title: T\nstatus: planned\nopened_on: 2026-11-01\n"})
    j = one(verdict, "x")
    assert j.item.target is None and not j.missed


def test_started_on_makes_a_planned_item_in_progress(tmp_path):
    text = PLANNED.format(target="2027-Q1") + "started_on: 2026-11-02\n"
    assert one(judge(tmp_path, {"x.yml": text}), "x").in_progress is True


def test_under_review_shows_how_long_it_has_waited(tmp_path):
    verdict = judge(tmp_path, {"x.yml": "title: T\nstatus: under-review\nopened_on: 2026-10-24\n"})
    assert one(verdict, "x").waiting_days == 30


def test_waiting_is_only_counted_for_items_under_review(tmp_path):
    verdict = judge(tmp_path, {"x.yml": PLANNED.format(target="2027-Q1")})
    assert one(verdict, "x").waiting_days is None


@pytest.mark.parametrize("last_reviewed, stale_days", [
    ("2026-05-27", None),   # 180 days before NOW: at the limit, not past it
    ("2026-05-26", 181),
])
def test_an_item_not_reviewed_within_the_limit_is_stale(tmp_path, last_reviewed, stale_days):
    text = f"title: T\nstatus: under-review\nopened_on: 2026-01-01\nlast_reviewed: {last_reviewed}\n"
    verdict = judge(tmp_path, {"x.yml": text}, policy=Policy(stale_after_days=180, decision_target_days=30))
    assert one(verdict, "x").stale_days == stale_days
    assert bool([w for w in verdict.warnings if w.field == "last_reviewed"]) is bool(stale_days)


def test_without_a_review_the_decision_or_opening_date_counts(tmp_path):
    verdict = judge(tmp_path, {
        "a.yml": "title: A\nstatus: under-review\nopened_on: 2026-01-01\n",
        "b.yml": "title: B\nstatus: planned\nopened_on: 2026-01-01\ndecided_on: 2026-11-01\n",
    }, policy=Policy(stale_after_days=30, decision_target_days=30))
    assert one(verdict, "a").stale_days == 326
    assert one(verdict, "b").stale_days is None


def test_closed_items_do_not_go_stale(tmp_path):
    verdict = judge(tmp_path, {"x.yml": "title: T\nstatus: fixed\nopened_on: 2020-01-01\n"},
                    policy=Policy(stale_after_days=30, decision_target_days=30))
    assert one(verdict, "x").stale_days is None


def test_a_duplicate_adds_its_votes_to_the_original(tmp_path):
    verdict = judge(tmp_path, {
        "original.yml": "title: O\nstatus: under-review\nopened_on: 2026-01-01\nvotes: 10\n",
        "copy.yml": "title: C\nstatus: duplicate\nduplicate_of: original\nopened_on: 2026-02-01\nvotes: 3\n",
        "copy-of-copy.yml": "title: CC\nstatus: duplicate\nduplicate_of: copy\nopened_on: 2026-03-01\nvotes: 2\n",
    })
    original = one(verdict, "original")
    assert original.total_votes == 15
    assert original.duplicates == ("copy", "copy-of-copy")
    assert one(verdict, "copy-of-copy").canonical == "original"


def test_a_wont_fix_keeps_its_reason_and_workaround(tmp_path):
    verdict = judge(tmp_path, {"x.yml": """\
        title: T
        status: wont-fix
        opened_on: 2026-01-01
        reason: It would double the size of the installer for very few people.
        workaround: Use the portable build.
        """})
    item = one(verdict, "x").item
    assert item.status is Status.WONT_FIX
    assert item.reason.startswith("It would double")
    assert item.workaround == "Use the portable build."


def test_a_wont_fix_without_a_real_reason_is_refused(tmp_path):
    verdict = judge(tmp_path, {"x.yml": "title: T\nstatus: wont-fix\nopened_on: 2026-01-01\n"
                                        "reason: out of scope\n"})
    assert verdict.roadmap is None
    assert [(p.field, p.severity) for p in verdict.problems] == [("reason", Severity.ERROR)]


@pytest.mark.parametrize("days, words", [
    (0, "less than a day"), (1, "1 day"), (13, "13 days"), (14, "2 weeks"),
    (75, "2 months"), (800, "2 years 2 months"),
])
def test_waiting_times_read_like_a_person_would_say_them(days, words):
    assert describe_days(days) == words


def test_a_quarter_target_ends_on_the_last_day_of_the_quarter():
    assert parse_target("2028-Q1").deadline == date(2028, 3, 31)


def test_two_files_that_are_duplicates_of_each_other_are_an_error_that_ends(tmp_path):
    # `roadmap import fider` once wrote such a pair (two posts merged into each other); the
    # judge followed the chain for ever. It ends, with the cycle named in both files.
    verdict = judge(tmp_path, {
        "a.yml": "title: A\nstatus: duplicate\nduplicate_of: b\nopened_on: 2026-01-02\n",
        "b.yml": "title: B\nstatus: duplicate\nduplicate_of: a\nopened_on: 2026-01-03\n",
        "c.yml": "title: C\nstatus: duplicate\nduplicate_of: a\nopened_on: 2026-01-04\n",
    })
    assert verdict.roadmap is None
    cycles = [(p.path.name, p.line, p.field) for p in verdict.errors if "pointing at each other" in p.message]
    assert cycles == [("a.yml", 3, "duplicate_of"), ("b.yml", 3, "duplicate_of"), ("c.yml", 3, "duplicate_of")]
