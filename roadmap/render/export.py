"""`roadmap.json`: every item with its status, reasons, dates and URLs, for other tools.

Each item also carries its facts as the site's rows word them (`facts`), in the site's
language: My requests shows those, so it says what every other page says.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import date
from typing import Any

from roadmap.core.model import Change, IssueRef, Judged
from roadmap.judge.figures import Figures
from roadmap.judge.finished import FinishedRoadmap
from roadmap.render.paths import item_url
from roadmap.render.rows import Fact
from roadmap.sources.github.issues import github_key
from roadmap.sources.settings import LINK_FIELDS

SCHEMA_VERSION = 1


def roadmap_json(roadmap: FinishedRoadmap, directory_urls: bool,
                 facts_of: Callable[[Judged], list[Fact]]) -> str:
    """The whole roadmap as stable, sorted JSON text: a line per field and per item.

    Compact lines rather than an indented tree: Python writes indented JSON with its
    slow pure-Python encoder (half a second at 10,000 items, against a tenth), the file
    is a third smaller for "my requests" to download, and a diff still shows which
    items changed.
    """
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "generated_on": roadmap.now.isoformat(),
        "policy": {
            "stale_after_days": roadmap.policy.stale_after_days,
            "decision_target_days": roadmap.policy.decision_target_days,
        },
    }
    document["figures"] = _figures(roadmap.figures)
    if roadmap.notes:
        # Only when data is old: a fresh build must not differ by the time it fetched.
        document["data_as_of"] = [{"source": n.source, "as_of": n.as_of, "why": n.why}
                                  for n in roadmap.notes]
    lines = (_compact(_item(j, roadmap.history.get(j.id, ()), item_url(j.id, directory_urls), facts_of(j)))
             for j in roadmap.items)
    items = "[\n" + ",\n".join(lines) + "\n]"
    fields = {**{key: _compact(value) for key, value in document.items()}, "items": items}
    return "{\n" + ",\n".join(f"{_compact(key)}:{fields[key]}" for key in sorted(fields)) + "\n}\n"


def _compact(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _figures(f: Figures) -> dict[str, Any]:
    # The totals; what is by item is in each item's entry, what is by month in the report.
    details = ("shipments", "moves", "monthly", "waits")
    values = {k: v for k, v in dataclasses.asdict(f).items() if k not in details}
    values["items"] = {name: list(ids) for name, ids in f.items.items()}
    return values


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _fact(fact: Fact) -> dict[str, str]:
    shown = {"text": fact.text, "kind": fact.kind}
    return {**shown, "item": fact.link_to} if fact.link_to else shown


def _item(j: Judged, changes: tuple[Change, ...], page: str, facts: list[Fact]) -> dict[str, Any]:
    i = j.item
    return {
        "changes": [{"day": c.day.isoformat(), "field": c.field, "before": c.before, "after": c.after}
                    for c in changes],
        "id": i.id,
        "title": i.title,
        "status": i.status.value,
        "summary": i.summary or None,
        "areas": list(i.areas),
        "author": i.author,
        "owner": i.owner,
        "url": i.url,
        "page": page,
        "facts": [_fact(f) for f in facts],
        "opened_on": _day(i.opened_on),
        "decided_on": _day(i.decided_on),
        "last_reviewed": _day(i.last_reviewed),
        "votes": i.votes,
        "total_votes": j.total_votes,
        "version": i.version,
        "shipped_on": _day(i.shipped_on),
        "links": list(i.links),
        "target": i.target.text if i.target else None,
        "target_deadline": _day(i.target.deadline) if i.target else None,
        "target_missed": j.missed,
        "in_progress": j.in_progress,
        "started_on": _day(i.started_on),
        "reason": i.reason,
        "reason_category": i.reason_category,
        "workaround": i.workaround,
        "revisit_when": i.revisit_when,
        "duplicate_of": i.duplicate_of,
        "duplicates": list(j.duplicates),
        "github": github_key(i.issue),
        # Every other tracker's link the same way, under its decision-file field.
        **{name: _issue_key(i.issue, name) for name in LINK_FIELDS if name != "github"},
        "waiting_days": j.waiting_days,
        "stale_days": j.stale_days,
    }


def _issue_key(issue: IssueRef | None, field: str) -> str | None:
    """group/name#123 when `issue` is the tracker's whose decision-file field is `field`."""
    return issue.key if issue is not None and issue.field == field else None
