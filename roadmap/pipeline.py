"""The pipeline from sources to a judged roadmap, shared by the plugin and the command line."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from roadmap.dates import parse_day
from roadmap.decide import Verdict, decide, order_problems
from roadmap.model import Policy
from roadmap.sources.yamlfiles import load_directory


@dataclass(frozen=True)
class Settings:
    decisions_dir: Path
    policy: Policy


def run(settings: Settings, now: date) -> Verdict:
    """Load every decision file and judge the roadmap on the day `now`."""
    records, load_problems = load_directory(settings.decisions_dir)
    verdict = decide(records, now, settings.policy)
    if not load_problems:
        return verdict
    return Verdict(None, order_problems(load_problems + verdict.problems))


def resolve_now(explicit: str | None = None) -> date:
    """The day the roadmap is judged on: explicit, else SOURCE_DATE_EPOCH, else today (UTC).

    Reading the clock happens here, at the edge, so everything after it is reproducible.
    """
    if explicit:
        return parse_day(explicit)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
    return datetime.now(tz=timezone.utc).date()
