"""The judge finishes the roadmap once: every fact a page shows, on hand-made roadmaps."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date
from html import unescape
from pathlib import Path

from conftest import FIXTURE_SITE, NOW, write
from roadmap.core.model import Change, HistoryState, Policy
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
    assert made.figures == compute(made)


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
            for item_id, facts in re.findall(r'href="[^"]*items/([^/"]+)/">[^<]*</a>.*?<span class="rm-facts">(.*?)</span>(?:<span class="rm-areas">|</span></li>)',
                                             text):
                rows[item_id] = [unescape(re.sub(r"<[^>]+>", "", f)).strip()
                                 for f in re.findall(r'<span class="rm-fact[^"]*">(.*?)</span>', facts)]
    items = json.loads(pages["roadmap.json"])["items"]
    titles = {i["id"]: i["title"] for i in items}
    shown = {i["id"]: [f["text"] + (" " + titles[f["item"]] if "item" in f else "") for f in i["facts"]]
             for i in items}
    assert rows and {k: shown[k] for k in rows} == rows
