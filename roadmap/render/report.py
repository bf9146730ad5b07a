"""The "How we're doing" page and the badge: the honesty figures, month by month, in words."""

from __future__ import annotations

from typing import Any

from roadmap.figures import Figures
from roadmap.model import Roadmap
from roadmap.render.charts import Series, month_label, stacked_bars
from roadmap.render.templating import escape

REPORT_PATH = "report.md"
MAX_SLIPS = 50
MAX_LISTED = 50
BADGE_PATH = "badge.svg"


def report_context(roadmap: Roadmap, figures: Figures) -> dict[str, Any]:
    monthly = figures.monthly
    assert monthly is not None
    labels = [month_label(d) for d in monthly.ends]
    slips = [(m.day, m.item, m.before, m.after, m.slip) for m in figures.moves]
    by_id = roadmap.by_id()
    return {
        "figures": figures,
        # At most MAX_LISTED per figure, so the page stays readable (and small) on a big roadmap.
        "lists": {name: [by_id[i] for i in ids[:MAX_LISTED]] for name, ids in figures.items.items()},
        "totals": {name: len(ids) for name, ids in figures.items.items()},
        "readings": readings(figures),
        "slips": sorted(slips, key=lambda s: (s[0], s[1]), reverse=True)[:MAX_SLIPS],
        "chart_decision_time": stacked_bars(
            "rm-chart-decision-time", "Median days to a decision, by the month it was made",
            "For the decisions made in each month, the median number of days since the request.",
            labels, [Series("Median days", "rm-fill--planned", monthly.median_days_to_decision)]),
        "chart_waiting_past": stacked_bars(
            "rm-chart-waiting-past", "Requests waiting longer than we promise, at the end of each month",
            f"Requests without a decision after more than {figures.decision_target_days} days.",
            labels, [Series("Waiting too long", "rm-fill--under-review",
                            monthly.waiting_past_target)]),
        "chart_shipped": stacked_bars(
            "rm-chart-shipped", "Planned work shipped, against its target, by the month it shipped",
            "Each shipped item with a dated target, counted as before, on or after that target.",
            labels, [Series(label, css, monthly.shipped[kind])
                     for kind, label, css in (("before", "Before the target", "rm-fill--fixed"),
                                              ("on", "On the target", "rm-fill--planned"),
                                              ("late", "Late", "rm-fill--wont-fix"))]),
        "chart_moves": stacked_bars(
            "rm-chart-moves", "Targets moved, by month",
            "How many times a planned item's target was changed to another, each month.",
            labels, [Series("Targets moved", "rm-fill--duplicate", monthly.target_moves)]),
    }


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def readings(f: Figures) -> dict[str, str]:
    """One sentence per figure, as a reader would say it."""
    missed = f"{_plural(f.targets_missed, 'target has', 'targets have')} passed without the work shipping"
    if f.decided:
        decision = (f"Half of the {_plural(f.decided, 'decided request')} got their answer within "
                    f"{f.median_days_to_decision:g} days, and nine in ten within {f.p90_days_to_decision}.")
    else:
        decision = "No request has been decided yet, so there is no time to a decision to show."
    waiting = "No request is waiting for a decision."
    if f.under_review:
        waiting = (f"{_plural(f.waiting_past_target, 'request has', 'requests have')} waited longer than "
                   f"the {f.decision_target_days} days we promise, out of {f.under_review} under review.")
    shipped = f.shipped_before_target + f.shipped_on_target + f.shipped_late
    if not f.history_available:
        dates = ("This site was built without the history of its decision files, so whether work "
                 f"shipped on time cannot be told; {missed}.")
    elif shipped:
        dates = (f"Of {_plural(shipped, 'item')} shipped against a dated target, "
                 f"{f.shipped_before_target} came early, {f.shipped_on_target} on time and "
                 f"{f.shipped_late} late; {missed}.")
    else:
        dates = f"Nothing has shipped against a dated target yet; {missed}."
    moves = "No target has been moved."
    if f.target_moves and f.target_slip_days:
        direction = "later" if f.target_slip_days > 0 else "earlier"
        moves = (f"Targets were moved {_plural(f.target_moves, 'time')}, by "
                 f"{abs(f.target_slip_days)} days {direction} in all.")
    elif f.target_moves:
        moves = (f"Targets were moved {_plural(f.target_moves, 'time')}, with no dated deadline "
                 "on both sides to measure a slip by.")
    reviews = "Every open request has been reviewed in time."
    if f.not_reviewed:
        reviews = (f"{_plural(f.not_reviewed, 'open request has', 'open requests have')} not been "
                   "looked at again within our limit.")
    declined = f.wont_fix_with_workaround + f.wont_fix_without_workaround
    workaround = "We have not turned any request down."
    if declined:
        workaround = (f"Of {_plural(declined, 'request')} we said no to, "
                      f"{f.wont_fix_with_workaround} came with a workaround.")
    return {"decision": decision, "waiting": waiting, "dates": dates, "moves": moves,
            "reviews": reviews, "workaround": workaround}


def badge_svg(figures: Figures) -> str:
    """A small flat badge for a README: "decisions | median 12 days"."""
    label = "decisions"
    value = (f"median {figures.median_days_to_decision:g} days" if figures.median_days_to_decision is not None
             else "none yet")
    left, right = 10 + 6 * len(label), 10 + 6 * len(value)
    width = left + right
    text = f"{label}: {value}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" '
        f'aria-label="{escape(text, quote=True)}"><title>{escape(text)}</title>'
        f'<rect width="{left}" height="20" fill="#555"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="#1565c0"/>'
        f'<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">'
        f'<text x="{left / 2}" y="14">{escape(label)}</text>'
        f'<text x="{left + right / 2}" y="14">{escape(value)}</text></g></svg>\n'
    )
