"""The finished roadmap: every fact a page shows, judged once, for every page to format.

`finish` takes the decided roadmap (with its releases and history) and adds what
follows from it on its judging day: the honesty figures, and for each item its
shipment against its target, the release that shipped it, its story, how late its
target is, how its wait compares with the promise. Render and the browser word
these facts; none of them works a fact out again, so every page states it alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from roadmap.core.model import Change, Judged, Policy, Release, Roadmap, Status
from roadmap.judge.decide import last_review
from roadmap.judge.figures import Figures, Shipment, compute
from roadmap.judge.story import Happening, story


@dataclass(frozen=True)
class ItemFacts:
    """What the roadmap says about one item besides its recorded fields."""

    # Against the target it had when it shipped (fixed items with a dated target only).
    shipment: Shipment | None = None
    # The release it shipped in, when one is known.
    release: Release | None = None
    # How many times its target moved to another.
    moves: int = 0
    # What happened to it, oldest first.
    story: tuple[Happening, ...] = ()
    # A planned item whose target passed: days since the target's last day.
    days_past_target: int | None = None
    # An item waiting for a decision: days left until the promised decision (negative: past it).
    decision_due_in: int | None = None
    # The last time anyone looked at it (see decide.last_review).
    last_review: date | None = None


@dataclass(frozen=True)
class FinishedRoadmap(Roadmap):
    """A roadmap with its figures and each item's facts, worked out when it is made.

    Being worked out on construction, the facts always describe the roadmap's own
    fields: `dataclasses.replace` on a finished roadmap finishes the new one too.
    """

    figures: Figures = field(init=False, repr=False, compare=False)
    facts: dict[str, ItemFacts] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        figures = compute(self)
        releases = {r.key: r for r in self.releases}
        object.__setattr__(self, "figures", figures)
        object.__setattr__(self, "facts", {j.id: self._item_facts(j, figures, releases) for j in self.items})

    def _item_facts(self, j: Judged, figures: Figures, releases: dict[str, Release]) -> ItemFacts:
        return item_facts(j, self.now, self.policy, self.history.get(j.id, ()),
                          shipment=figures.shipments.get(j.id),
                          release=releases.get(self.shipped_in.get(j.id, "")), moves=figures.moves_of(j.id))

    def facts_of(self, item_id: str) -> ItemFacts:
        """One item's facts (an item not on the roadmap has none)."""
        return self.facts.get(item_id, _NO_FACTS)


_NO_FACTS = ItemFacts()


def finish(roadmap: Roadmap) -> FinishedRoadmap:
    """The roadmap with every fact its pages show (a finished one is returned as it is)."""
    if isinstance(roadmap, FinishedRoadmap):
        return roadmap
    values = {name: getattr(roadmap, name) for name in roadmap.__dataclass_fields__}
    return FinishedRoadmap(**values)


def item_facts(j: Judged, now: date, policy: Policy, changes: tuple[Change, ...] = (), *,
               shipment: Shipment | None = None, release: Release | None = None, moves: int = 0) -> ItemFacts:
    """One item's facts on the day `now`, given what the figures found about it (its
    shipment against its target, its target moves) and the release that shipped it."""
    i = j.item
    past = None
    if j.missed and i.target is not None and i.target.deadline is not None:
        past = (now - i.target.deadline).days
    due = None
    if j.status is Status.UNDER_REVIEW and j.waiting_days is not None:
        due = policy.decision_target_days - j.waiting_days
    return ItemFacts(
        shipment=shipment,
        release=release,
        moves=moves,
        story=story(j, changes, shipment),
        days_past_target=past,
        decision_due_in=due,
        last_review=last_review(i),
    )
