"""The honest part of a row, and charts that need enough points: small inputs, exact words."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

from roadmap.core.dates import parse_target
from roadmap.core.model import Item, Judged, Policy, Source, Status
from roadmap.judge.figures import Shipment
from roadmap.judge.finished import ItemFacts, item_facts
from roadmap.render.charts import Series, stacked_bars
from roadmap.render.rows import excerpt, facts, status_line

NOW = date(2026, 11, 23)
POLICY = Policy(stale_after_days=180, decision_target_days=30)


def judged(status: Status, **fields) -> Judged:
    extra = {k: fields.pop(k) for k in ("waiting_days", "missed", "stale_days", "canonical") if k in fields}
    item = Item(id="x", title="X", status=status, source=Source(Path("x.yml")), **fields)
    return Judged(item=item, **extra)


def known(j: Judged, shipped: Shipment | None = None) -> ItemFacts:
    """What the judge finds about a lone item on NOW (judge/finished.py)."""
    return item_facts(j, NOW, POLICY, shipment=shipped)


def texts(j: Judged, shipped: Shipment | None = None) -> list[str]:
    return [f.text for f in facts(j, known(j, shipped), POLICY)]


def test_an_excerpt_is_the_first_sentence_without_markdown():
    reason = "Sync conflicts need a **merge engine**; see [the notes](https://x.test). Fewer than 1% are offline."
    assert excerpt(reason) == "Sync conflicts need a merge engine; see the notes."


def test_a_long_first_sentence_is_cut_at_a_word():
    cut = excerpt("word " * 60)
    assert cut.endswith("word…") and len(cut) <= 161


def test_an_abbreviation_does_not_end_the_sentence():
    assert excerpt("Tools, e.g. Jira, need write access. More.") == "Tools, e.g. Jira, need write access."


def test_a_wont_fix_says_why_and_whether_there_is_a_workaround():
    assert texts(judged(Status.WONT_FIX, reason="Too costly. Really.", workaround="Use X")) == [
        "Too costly.", "Workaround available"]
    assert texts(judged(Status.WONT_FIX, reason="Too costly.")) == ["Too costly.", "No workaround"]
    assert texts(judged(Status.WONT_FIX, decided_on=NOW)) == ["Closed without a stated reason", "No workaround"]


def test_a_planned_item_gives_its_target_once_and_how_late_it_is():
    assert texts(judged(Status.PLANNED, target=parse_target("2027-Q1"))) == ["Target 2027-Q1"]
    assert texts(judged(Status.PLANNED)) == ["No date committed"]
    missed = judged(Status.PLANNED, target=parse_target("2026-09"), missed=True)
    assert texts(missed) == ["Target 2026-09 missed, 7 weeks ago"]
    started = judged(Status.PLANNED, target=parse_target("2026-12"), started_on=date(2026, 11, 1))
    assert texts(started) == ["In progress since 2026-11-01", "Target 2026-12"]


def test_waiting_is_measured_against_the_promise():
    assert texts(judged(Status.UNDER_REVIEW, waiting_days=12)) == ["Waiting 12 days", "decision due within 18 days"]
    assert texts(judged(Status.UNDER_REVIEW, waiting_days=45)) == ["Waiting 6 weeks", "past our 30-day promise"]


def test_a_fixed_item_says_whether_it_met_its_target():
    fixed = judged(Status.FIXED, version="1.2", shipped_on=date(2026, 11, 18))
    assert texts(fixed) == ["Shipped in 1.2 on 2026-11-18"]
    late = Shipment("2026-Q3", date(2026, 11, 18), "late", 49)
    assert texts(fixed, late) == ["Shipped in 1.2 on 2026-11-18", "planned for 2026-Q3 — 49 days late"]
    assert texts(fixed, dataclasses.replace(late, outcome="on", days=0))[1] == "planned for 2026-Q3 — on time"
    assert texts(fixed, dataclasses.replace(late, outcome="before", days=1))[1] == "planned for 2026-Q3 — 1 day early"


def test_the_status_line_reads_as_sentences():
    j = judged(Status.WONT_FIX, reason="Too costly.", workaround="Use X")
    assert status_line(j, facts(j, known(j), POLICY), {}) == "Won't fix: Too costly. Workaround available"
    dup = judged(Status.DUPLICATE, duplicate_of="y", canonical="y")
    assert status_line(dup, facts(dup, known(dup), POLICY), {"y": "Dark mode"}) == "Duplicate: Same as Dark mode"


def test_fewer_than_three_points_make_a_sentence_not_a_chart():
    two = stacked_bars("k", "Moves", "d", ["Jan 2026", "Feb 2026", "Mar 2026"], [Series("Moves", "c", (1, 0, 2))])
    assert "<table" not in two and "1 in Jan 2026; 2 in Mar 2026; none in the other months." in two
    three = stacked_bars("k", "Moves", "d", ["Jan 2026", "Feb 2026", "Mar 2026"], [Series("Moves", "c", (1, 3, 2))])
    assert three.count("<tr>") == 4 and 'style="width: 33.33%"' in three and ">3</span>" in three


def test_an_area_lists_at_most_its_cap_and_says_how_many_more():
    from roadmap.render.listings import group_by_area, paginate

    items = tuple(dataclasses.replace(judged(Status.UNDER_REVIEW, areas=("sync",)),
                                      item=dataclasses.replace(judged(Status.UNDER_REVIEW, areas=("sync",)).item,
                                                               id=f"r{n}"), total_votes=n) for n in range(7))
    groups = group_by_area(items, {"sync": "Sync"}, cap=5)
    assert [(g.title, [j.id for j in g.items], g.more) for g in groups] == [
        ("Sync", ["r6", "r5", "r4", "r3", "r2"], 2)]
    pages = paginate(groups, per_page=3)
    # The count of the rest goes with the group's last part only.
    assert [(len(g.items), g.more) for p in pages for g in p.groups] == [(3, 0), (2, 2)]
