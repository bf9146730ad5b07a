"""Honesty figures pinned on small hand-made roadmaps with known answers."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

from conftest import write
from roadmap.core.model import Change, HistoryState, Policy, Roadmap
from roadmap.judge.figures import (
    compute,
    percentile,
    ship_outcome,
    target_when_shipped,
    waiting_past_target_on,
)
from roadmap.judge.pipeline import Settings, run

NOW = date(2026, 11, 23)


def roadmap(folder: Path, files: dict[str, str], history: dict[str, tuple[Change, ...]] | None = None,
            policy: Policy | None = None) -> Roadmap:
    for name, text in files.items():
        write(folder, f"{name}.yml", text)
    verdict = run(Settings(folder, policy or Policy(stale_after_days=180, decision_target_days=30), history=False), NOW)
    assert verdict.roadmap is not None, [p.format() for p in verdict.errors]
    return dataclasses.replace(verdict.roadmap, history=history or {},
                               history_state=HistoryState.COMPLETE)


def item(status: str, opened: str, decided: str | None = None, **more: str) -> str:
    lines = [f"title: {status} item", f"status: {status}", f"opened_on: {opened}"]
    if decided:
        lines.append(f"decided_on: {decided}")
    lines += [f"{k}: {v}" for k, v in more.items()]
    return "\n".join(lines) + "\n"


def test_no_items_gives_empty_figures(tmp_path):
    figures = compute(roadmap(tmp_path, {}))
    assert (figures.decided, figures.median_days_to_decision, figures.p90_days_to_decision) == (0, None, None)
    assert figures.under_review == figures.shipped_late == figures.target_moves == 0


def test_nothing_decided_yet_counts_only_the_waiting(tmp_path):
    figures = compute(roadmap(tmp_path, {
        "a": item("under-review", "2026-11-20"),
        "b": item("under-review", "2026-09-01"),
    }))
    assert figures.decided == 0 and figures.median_days_to_decision is None
    assert figures.under_review == 2
    assert figures.waiting_past_target == 1 and figures.items["waiting_past_target"] == ("b",)


def test_time_to_decision_median_and_90th_percentile(tmp_path):
    days = [1, 2, 3, 4, 5, 6, 7, 8, 9, 100]
    files = {f"i{n}": item("wont-fix", "2026-01-01", str(date(2026, 1, 1).fromordinal(
        date(2026, 1, 1).toordinal() + d)), reason="It would not fit the product at all.", workaround="x")
        for n, d in enumerate(days)}
    figures = compute(roadmap(tmp_path, files))
    assert figures.decided == 10
    assert figures.median_days_to_decision == 5.5
    assert figures.p90_days_to_decision == 9
    assert figures.wont_fix_with_workaround == 10 and figures.wont_fix_without_workaround == 0


def test_percentile_is_nearest_rank():
    assert percentile([5], 0.9) == 5
    assert percentile([1, 2, 3, 4], 0.5) == 2
    assert percentile(list(range(1, 21)), 0.9) == 18


def test_a_target_met_to_the_day_counts_as_on_target():
    assert ship_outcome("2026-06-30", date(2026, 6, 30)) == "on"
    assert ship_outcome("2026-06-30", date(2026, 6, 29)) == "before"
    assert ship_outcome("2026-06-30", date(2026, 7, 1)) == "late"
    assert ship_outcome("2026-Q2", date(2026, 4, 1)) == "on"
    assert ship_outcome("2026-Q2", date(2026, 3, 31)) == "before"
    assert ship_outcome("2026-06", date(2026, 7, 1)) == "late"
    assert ship_outcome("Summer release", date(2026, 7, 1)) is None


def test_shipped_against_the_target_it_had_from_git(tmp_path):
    history = {
        # The first version's target is the baseline: what the first target change started from.
        "early": (Change(date(2026, 2, 1), "created", None, "planned"),
                  Change(date(2026, 5, 3), "status", "planned", "fixed", 1),
                  Change(date(2026, 5, 3), "target", "2026-06", None, 1)),
        "late": (Change(date(2026, 2, 1), "created", None, "planned"),
                 Change(date(2026, 4, 10), "status", "planned", "fixed", 1),
                 Change(date(2026, 4, 10), "target", "2026-03-31", None, 1)),
    }
    figures = compute(roadmap(tmp_path, {
        "early": item("fixed", "2026-01-05", "2026-02-01", shipped_on="2026-05-03"),
        "late": item("fixed", "2026-01-05", "2026-02-01", shipped_on="2026-04-10"),
        "untargeted": item("fixed", "2026-01-05", "2026-02-01", shipped_on="2026-04-10"),
    }, history))
    assert figures.items["shipped_before_target"] == ("early",)
    assert figures.items["shipped_late"] == ("late",)
    assert figures.shipped_on_target == 0


def test_a_target_moved_twice_counts_two_moves_and_the_total_slip(tmp_path):
    history = {"moved": (Change(date(2026, 2, 1), "created", None, "planned"),
                         Change(date(2026, 6, 20), "target", "2026-06", "2026-Q3", 1),
                         Change(date(2026, 9, 28), "target", "2026-Q3", "2027-01-15", 2))}
    figures = compute(roadmap(tmp_path, {
        "moved": item("planned", "2026-01-05", "2026-02-01", target="2027-01-15", last_reviewed="2026-11-01"),
    }, history))
    assert figures.target_moves == 2
    assert figures.target_slip_days == 92 + 107
    assert figures.items["target_moves"] == ("moved",)


def test_an_item_reopened_after_being_fixed_is_not_counted_as_shipped(tmp_path):
    history = {"again": (Change(date(2026, 2, 1), "created", None, "planned"),
                         Change(date(2026, 5, 3), "status", "planned", "fixed", 1),
                         Change(date(2026, 5, 3), "target", "2026-06", None, 1),
                         Change(date(2026, 8, 1), "status", "fixed", "planned", 2),
                         Change(date(2026, 8, 1), "target", None, "2026-10", 2))}
    assert target_when_shipped(history["again"]) == (None, None)
    figures = compute(roadmap(tmp_path, {
        "again": item("planned", "2026-01-05", "2026-08-01", target="2026-10", last_reviewed="2026-11-01"),
    }, history))
    assert figures.shipped_before_target + figures.shipped_on_target + figures.shipped_late == 0
    assert figures.items["targets_missed"] == ("again",)


def test_stale_items_and_wont_fix_without_workaround(tmp_path):
    figures = compute(roadmap(tmp_path, {
        "old": item("planned", "2025-01-05", "2025-02-01"),
        "bare": item("wont-fix", "2026-10-01", "2026-10-05", reason="It would not fit the product at all."),
    }))
    assert figures.items["not_reviewed"] == ("old",)
    assert figures.items["wont_fix_without_workaround"] == ("bare",)


def test_waiting_past_target_month_by_month(tmp_path):
    made = roadmap(tmp_path, {
        "decided": item("planned", "2026-01-01", "2026-03-15", last_reviewed="2026-11-01"),
        "waiting": item("under-review", "2026-06-01"),
    })
    assert waiting_past_target_on(made, date(2026, 1, 31)) == 0
    assert waiting_past_target_on(made, date(2026, 2, 28)) == 1   # decided only in March
    assert waiting_past_target_on(made, date(2026, 3, 31)) == 0
    assert waiting_past_target_on(made, date(2026, 7, 31)) == 1


def test_without_history_the_figures_say_so_instead_of_guessing(tmp_path):
    from roadmap.render.report import readings

    made = roadmap(tmp_path, {"a": item("fixed", "2026-01-05", "2026-02-01", shipped_on="2026-03-01")})
    figures = compute(dataclasses.replace(made, history_state=HistoryState.NOT_READ))
    assert figures.history_available is False
    assert readings(figures)["dates"].startswith("This site was built without the history")
