"""The judge finishes the roadmap once: every fact a page shows, on hand-made roadmaps."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date
from html import unescape
from pathlib import Path

from conftest import EXAMPLE_NOW, FIXTURE_SITE, NOW, ROOT, write
from roadmap.core.model import Change, HistoryState, Policy, Status
from roadmap.judge.figures import compute
from roadmap.judge.finished import FinishedRoadmap, finish
from roadmap.judge.pipeline import Settings, run
from roadmap.render import RenderOptions, render_site
from roadmap.render.pages import HISTORY_WORDS

POLICY = Policy(stale_after_days=180, decision_target_days=30)


def judged(folder: Path, files: dict[str, str]) -> FinishedRoadmap:
    for name, text in files.items():
        write(folder, f"{name}.yml", text)
    verdict = run(Settings(folder, POLICY, history=False), NOW)
    assert isinstance(verdict.roadmap, FinishedRoadmap), [p.format() for p in verdict.errors]
    return verdict.roadmap


def test_the_pipeline_returns_the_finished_roadmap_with_each_items_facts(tmp_path):
    made = judged(tmp_path, {
        "late": "title: Late\nstatus: planned\ntarget: 2026-10\nopened_on: 2025-12-01\ndecided_on: 2026-01-01\n",
        "fresh": "title: Fresh\nstatus: under-review\nopened_on: 2026-11-10\n",
        "old": "title: Old\nstatus: under-review\nopened_on: 2026-09-01\nlast_reviewed: 2026-10-01\n",
    })
    assert made.facts_of("late").days_past_target == 23       # 2026-10-31 to 2026-11-23
    assert made.facts_of("late").last_review == date(2026, 1, 1)
    assert made.facts_of("fresh").decision_due_in == 17      # 13 days waited of 30
    assert made.facts_of("old").decision_due_in == -53
    assert made.facts_of("old").last_review == date(2026, 10, 1)
    assert made.facts_of("fresh").days_past_target is None and made.facts_of("late").decision_due_in is None
    assert [(e.day, e.kind) for e in made.facts_of("fresh").story] == [(date(2026, 11, 10), "requested")]
    # Decisions by month need every item's story, so the finished roadmap adds them to the figures.
    figures = compute(made)
    assert made.figures == dataclasses.replace(figures, monthly=dataclasses.replace(
        figures.monthly, decisions=made.figures.monthly.decisions))


def test_a_shipment_and_its_target_moves_come_from_history(tmp_path):
    made = judged(tmp_path, {"ship": "title: Ship\nstatus: fixed\nopened_on: 2026-01-01\nshipped_on: 2026-11-04\n"})
    changes = (Change(date(2026, 2, 1), "created", None, "planned"),
               Change(date(2026, 3, 1), "target", "2026-09", "2026-10", revision=1),
               Change(date(2026, 11, 4), "status", "planned", "fixed", revision=2))
    # Replacing a finished roadmap's fields finishes it again: its facts never go stale.
    again = dataclasses.replace(made, history={"ship": changes}, history_state=HistoryState.COMPLETE)
    facts = again.facts_of("ship")
    assert (facts.shipment.outcome, facts.shipment.days, facts.moves) == ("late", 4, 1)
    assert [e.kind for e in facts.story] == ["requested", "target", "shipped"]
    assert facts.story[-1].shipment == facts.shipment
    assert made.facts_of("ship").shipment is None


def test_finishing_twice_returns_the_same_roadmap(tmp_path):
    made = judged(tmp_path, {"a": "title: A\nstatus: under-review\nopened_on: 2026-11-01\n"})
    assert finish(made) is made


def test_history_is_a_state_not_a_sentence(tmp_path):
    made = judged(tmp_path, {"a": "title: A\nstatus: under-review\nopened_on: 2026-11-01\n"})
    for state in HistoryState:
        roadmap = dataclasses.replace(made, history_state=state)
        assert roadmap.figures.history_available is state.counts_changes
    assert [s for s in HistoryState if s.counts_changes] == [HistoryState.COMPLETE, HistoryState.SHALLOW]
    # What readers are told is render's, per state: nothing when complete or not asked for.
    assert [s for s in HistoryState if s in HISTORY_WORDS] == [HistoryState.SHALLOW, HistoryState.MISSING]
    assert "shallow copy" in HISTORY_WORDS[HistoryState.SHALLOW]


def test_roadmap_json_carries_the_facts_the_rows_show():
    """My requests shows roadmap.json's facts: they must be the listing rows', word for word."""
    verdict = run(Settings(FIXTURE_SITE / "content" / "roadmap", POLICY, history=False), NOW)
    assert verdict.roadmap is not None
    pages = render_site(verdict.roadmap, RenderOptions(per_page=100))
    rows = {}
    for path, text in pages.items():
        if path.endswith(".md") and not path.startswith(("items/", "areas", "index")):
            # Dates are wrapped in a span of their own (kept on one line); the words are the fact.
            text = re.sub(r'<span class="rm-date">([^<]*)</span>', r"\1", text)
            for item_id, facts in re.findall(r'href="[^"]*items/([^/"]+)/">[^<]*</a>.*?<span class="rm-facts">(.*?)</span>(?:<span class="rm-areas">|</span></li>)',
                                             text):
                rows[item_id] = [unescape(re.sub(r"<[^>]+>", "", f)).strip()
                                 for f in re.findall(r'<span class="rm-fact[^"]*">(.*?)</span>', facts)]
    items = json.loads(pages["roadmap.json"])["items"]
    titles = {i["id"]: i["title"] for i in items}
    shown = {i["id"]: [f["text"] + (" " + titles[f["item"]] if "item" in f else "") for f in i["facts"]]
             for i in items}
    assert rows and {k: shown[k] for k in rows} == rows


def test_the_changelog_names_every_fixed_request_of_the_example_once():
    """Candor's own roadmap: every shipped request is in its one release, 0.1.0, once."""
    verdict = run(Settings(ROOT / "content" / "roadmap", POLICY, history=False), EXAMPLE_NOW)
    made = verdict.roadmap
    assert isinstance(made, FinishedRoadmap), [p.format() for p in verdict.errors]
    fixed = sorted(j.id for j in made.with_status(Status.FIXED))
    listed = sorted(j.id for part in made.changelog for j in part.items)
    assert listed == fixed and len(fixed) >= 10
    assert [part.release.title for part in made.changelog if part.release] == ["0.1.0"]


def test_shipments_without_a_version_are_grouped_by_the_month_they_shipped(tmp_path):
    """Fixed requests without a version are shipments too: the changelog groups them by the
    month they shipped, newest first among the releases."""
    made = judged(tmp_path, {
        "r1": "title: R1\nstatus: fixed\nopened_on: 2026-01-02\nversion: '1.0'\nshipped_on: 2026-10-05\n",
        "r2": "title: R2\nstatus: fixed\nopened_on: 2026-01-02\nversion: '0.9'\nshipped_on: 2026-06-01\n",
        "nov-a": "title: Nov A\nstatus: fixed\nopened_on: 2026-01-02\nshipped_on: 2026-11-23\n",
        "nov-b": "title: Nov B\nstatus: fixed\nopened_on: 2026-01-02\nshipped_on: 2026-11-02\n",
        "sep": "title: Sep\nstatus: fixed\nopened_on: 2026-01-02\nshipped_on: 2026-09-30\n",
    })
    loose = {part.month: sorted(j.id for j in part.items) for part in made.changelog if part.release is None}
    assert loose == {date(2026, 11, 1): ["nov-a", "nov-b"], date(2026, 9, 1): ["sep"]}
    days = [part.day for part in made.changelog]
    assert days == sorted(days, reverse=True)
    assert [part.release.title if part.release else str(part.month) for part in made.changelog] == [
        "2026-11-01", "1.0", "2026-09-01", "0.9"]


def test_a_fixed_request_without_a_version_or_a_day_is_still_in_the_changelog(tmp_path):
    made = judged(tmp_path, {"quiet": "title: Quiet\nstatus: fixed\nopened_on: 2026-01-02\n"})
    assert [(p.release, p.month, [j.id for j in p.items]) for p in made.changelog] == [(None, None, ["quiet"])]


def test_decisions_count_under_the_status_decided_then_and_shipments_in_their_month(tmp_path):
    """Planned in February, shipped in November: February counts a plan, not a shipment."""
    made = judged(tmp_path, {
        "ship": "title: Ship\nstatus: fixed\nopened_on: 2026-01-10\ndecided_on: 2026-02-05\n"
                "shipped_on: 2026-11-04\n",
        "turned": "title: Turned\nstatus: wont-fix\nreason: It would need a server of its own, which Candor does not run; a static page cannot store it.\nopened_on: 2026-01-10\n"
                  "decided_on: 2026-02-06\n",
    })
    changes = {
        "ship": (Change(date(2026, 2, 5), "created", None, "planned", on=date(2026, 2, 5)),
                 Change(date(2026, 11, 4), "status", "planned", "fixed", revision=1)),
        "turned": (Change(date(2026, 2, 6), "created", None, "planned", on=date(2026, 2, 6)),
                   Change(date(2026, 6, 9), "status", "planned", "wont-fix", revision=1)),
    }
    again = dataclasses.replace(made, history=changes, history_state=HistoryState.COMPLETE)
    monthly = again.figures.monthly
    month = {d.month: n for n, d in enumerate(monthly.ends) if d.year == 2026}
    by_status = {s: {m: monthly.decisions[s][n] for m, n in month.items() if monthly.decisions[s][n]}
                 for s in (Status.PLANNED, Status.FIXED, Status.WONT_FIX)}
    assert by_status == {Status.PLANNED: {2: 2}, Status.FIXED: {11: 1}, Status.WONT_FIX: {6: 1}}
    # Without history, the files' own dates still tell a plan from a shipment.
    plain = made.figures.monthly
    assert plain.decisions[Status.FIXED][month[2]] == 0 and plain.decisions[Status.FIXED][month[11]] == 1
    assert plain.decisions[Status.PLANNED][month[2]] == 1


def test_a_month_without_decisions_has_no_median(tmp_path):
    made = judged(tmp_path, {"a": "title: A\nstatus: planned\nopened_on: 2026-03-01\ndecided_on: 2026-03-01\n"})
    medians = dict(zip(made.figures.monthly.ends, made.figures.monthly.median_days_to_decision, strict=True))
    assert medians[date(2026, 3, 31)] == 0          # a same-day answer is a value
    assert medians[date(2026, 4, 30)] is None        # no decision is not one
