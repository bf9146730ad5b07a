"""Small static SVG charts for the home page: nothing is loaded from elsewhere.

Each chart carries its figures as text too (a title, a description and a
table a screen reader or a curious reader can open), and draws with CSS
classes so the status colours follow the light and dark schemes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from html import escape

from roadmap.i18n import N_, gettext, month, ngettext, number
from roadmap.model import Roadmap, Status

DECIDED = (Status.FIXED, Status.PLANNED, Status.WONT_FIX, Status.DUPLICATE)
MONTHS = 12
# Labels are translated where the chart is drawn.
WAIT_BUCKETS = ((7, N_("under a week")), (30, N_("1–4 weeks")), (91, N_("1–3 months")),
                (182, N_("3–6 months")), (365, N_("6–12 months")), (None, N_("over a year")))



@dataclass(frozen=True)
class Series:
    label: str
    css: str
    values: tuple[int, ...]


def _months(now: date, count: int) -> list[tuple[int, int]]:
    months = []
    year, month = now.year, now.month
    for _ in range(count):
        months.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(months))


def decisions_per_month(roadmap: Roadmap) -> str:
    months = _months(roadmap.now, MONTHS)
    # One pass over the items, not one per month and status.
    decided = Counter((j.status, (j.item.decided_on.year, j.item.decided_on.month))
                      for j in roadmap.items if j.item.decided_on and j.status in DECIDED)
    series = [Series(status.label, f"rm-fill--{status.value}",
                     tuple(decided[status, m] for m in months)) for status in DECIDED]
    labels = [month(y, m) for y, m in months]
    total = sum(sum(s.values) for s in series)
    return stacked_bars(
        "rm-chart-decisions", gettext("Decisions per month, by status"),
        ngettext("%(num)s decision in the last %(months)d months, counted by the month it was made.",
                 "%(num)s decisions in the last %(months)d months, counted by the month they were made.",
                 total) % {"num": number(total), "months": MONTHS},
        labels, series, row_heading=gettext("Month"))


def waiting_times(roadmap: Roadmap) -> str:
    decided = [(j.item.decided_on - j.item.opened_on).days for j in roadmap.items
               if j.item.decided_on and j.item.opened_on and j.status is not Status.UNDER_REVIEW]
    waiting = [j.waiting_days for j in roadmap.items if j.waiting_days is not None]
    series = [
        Series(gettext("Decided"), "rm-fill--fixed", _bucket(decided)),
        Series(gettext("Still waiting"), "rm-fill--under-review", _bucket(waiting)),
    ]
    return stacked_bars(
        "rm-chart-waiting", gettext("How long requests wait for a decision"),
        gettext("Requests decided: %(decided)s; still waiting: %(waiting)s. Each bar counts them by how "
                "long the wait was or has been so far.")
        % {"decided": number(len(decided)), "waiting": number(len(waiting))},
        [gettext(label) for _, label in WAIT_BUCKETS], series, row_heading=gettext("Wait"))


def _bucket(days: list[int]) -> tuple[int, ...]:
    counts = [0] * len(WAIT_BUCKETS)
    for value in days:
        for index, (limit, _) in enumerate(WAIT_BUCKETS):
            if limit is None or value < limit:
                counts[index] += 1
                break
    return tuple(counts)


# Fewer points than this make no chart: a sentence says the same more plainly.
MIN_POINTS = 3


def stacked_bars(key: str, title: str, description: str, labels: list[str], series: list[Series],
                 row_heading: str | None = None) -> str:
    """A bar chart as an HTML table: one row per label, bars scaled to the largest total.

    Every value is written beside its bar in the page's own text size, so the chart
    reads the same at any width (an SVG scaled down to a phone shrank its labels to
    5 px). With fewer than MIN_POINTS rows holding a value, a sentence replaces it.
    """
    columns = len(labels)
    row_heading = gettext("Month") if row_heading is None else row_heading
    totals = [sum(s.values[c] for s in series) for c in range(columns)]
    shown = [c for c in range(columns) if totals[c]]
    if len(shown) < MIN_POINTS:
        return _as_sentence(title, labels, series, shown)
    top = max(totals)
    value_heading = series[0].label if len(series) == 1 else gettext("Count")
    legend = "".join(f'<span class="rm-legend"><span class="rm-legend__swatch {s.css}"></span>'
                     f'{escape(s.label)}</span>' for s in series) if len(series) > 1 else ""
    rows = []
    for c, label in enumerate(labels):
        bars = "".join(
            f'<span class="rm-bar {s.css}" style="width: {100 * s.values[c] / top:.2f}%"></span>'
            for s in series if s.values[c])
        value = _value_text(series, c, totals[c])
        rows.append(f'<tr><th scope="row">{escape(label)}</th><td><span class="rm-bars__cell">'
                    f'<span class="rm-bars__value">{value}</span><span class="rm-bars__track">{bars}'
                    f'</span></span></td></tr>')
    caption = escape(gettext("%(title)s.") % {"title": title})
    return (f'<figure class="rm-figure" id="{key}"><figcaption><strong>{caption}</strong> '
            f'{escape(description)} {legend}</figcaption><table class="rm-bars"><thead><tr>'
            f'<th scope="col">{escape(row_heading)}</th><th scope="col">'
            f'{escape(value_heading)}</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></figure>')


def _value_text(series: list[Series], column: int, total: int) -> str:
    if len(series) == 1 or not total:
        return number(total)
    parts = gettext(", ").join(gettext("%(label)s: %(count)s")
                               % {"label": s.label, "count": number(s.values[column])}
                               for s in series if s.values[column])
    return f"{number(total)} ({escape(parts)})"


def _as_sentence(title: str, labels: list[str], series: list[Series], shown: list[int]) -> str:
    if not shown:
        said = escape(gettext("none to show yet."))
    else:
        values = [f"{escape(labels[c])}: {_value_text(series, c, sum(s.values[c] for s in series))}"
                  for c in shown]
        said = escape(gettext("only %(values)s.")) % {"values": gettext(" and ").join(values)}
    lead = escape(gettext("%(title)s:") % {"title": title})
    return f'<p class="rm-figure rm-figure--sentence"><strong>{lead}</strong> {said}</p>'
