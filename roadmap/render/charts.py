"""Small static SVG charts for the home page: nothing is loaded from elsewhere.

Each chart carries its figures as text too (a title, a description and a
table a screen reader or a curious reader can open), and draws with CSS
classes so the status colours follow the light and dark schemes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from roadmap.core.i18n import N_, gettext, month, ngettext, number
from roadmap.judge.figures import DECIDED, MONTHS, Figures
from roadmap.render.templating import escape

# A reader's name for each span of figures.WAIT_LIMITS (translated where the chart is drawn).
WAIT_SPANS = (N_("under a week"), N_("1–4 weeks"), N_("1–3 months"), N_("3–6 months"),
              N_("6–12 months"), N_("over a year"))


@dataclass(frozen=True)
class Series:
    label: str
    css: str
    # None: nothing to measure that month (a median of no decisions), unlike a count of 0.
    values: tuple[int | None, ...]


def month_label(day: date) -> str:
    """A month as a chart's row names it, in the site's language ('Nov 2026')."""
    return month(day.year, day.month)


def decisions_per_month(figures: Figures) -> str:
    assert figures.monthly is not None
    series = [Series(status.label, f"rm-fill--{status.value}", figures.monthly.decisions[status])
              for status in DECIDED]
    total = sum(sum(v or 0 for v in s.values) for s in series)
    return stacked_bars(
        "rm-chart-decisions", gettext("Decisions per month, by status"),
        ngettext("%(num)s decision in the last %(months)d months, under the status it gave when it was "
                 "made; a shipment counts in the month it shipped.",
                 "%(num)s decisions in the last %(months)d months, each under the status it gave when it "
                 "was made; a shipment counts in the month it shipped.",
                 total) % {"num": number(total), "months": MONTHS},
        [month_label(d) for d in figures.monthly.ends], series, row_heading=gettext("Month"),
        empty=gettext("no decisions"))


def waiting_times(figures: Figures) -> str:
    waits = figures.waits
    series = [
        Series(gettext("Decided"), "rm-fill--fixed", waits.decided),
        Series(gettext("Still waiting"), "rm-fill--under-review", waits.still_waiting),
    ]
    return stacked_bars(
        "rm-chart-waiting", gettext("How long requests wait for a decision"),
        gettext("Requests decided: %(decided)s; still waiting: %(waiting)s. Each bar counts them by how "
                "long the wait was or has been so far.")
        % {"decided": number(sum(waits.decided)), "waiting": number(sum(waits.still_waiting))},
        [gettext(label) for label in WAIT_SPANS], series, row_heading=gettext("Wait"),
        sentence=(gettext("%(label)s: %(value)s"), gettext("%(values)s; none in the other spans.")))


# Fewer points than this make no chart: a sentence says the same more plainly.
MIN_POINTS = 3


def stacked_bars(key: str, title: str, description: str, labels: list[str], series: list[Series],
                 row_heading: str | None = None, empty: str | None = None,
                 zero_is_value: bool = False, sentence: tuple[str, str] | None = None) -> str:
    """A bar chart as an HTML table: one row per label, bars scaled to the largest total.

    Every value is written beside its bar in the page's own text size, so the chart
    reads the same at any width (an SVG scaled down to a phone shrank its labels to
    5 px). A row with nothing to show (no value, or a count of 0) has no bar and says
    `empty` in words: a gap, never a made-up 0. With fewer than MIN_POINTS rows holding
    a value, a sentence replaces the chart. With `zero_is_value`, 0 is a value
    (a median of same-day answers) and only a missing value is a gap.
    """
    columns = len(labels)
    row_heading = gettext("Month") if row_heading is None else row_heading
    empty = gettext("none") if empty is None else empty
    totals = [_total(series, c) for c in range(columns)]
    shown = [c for c in range(columns) if totals[c] is not None and (totals[c] or zero_is_value)]
    if len(shown) < MIN_POINTS:
        return _as_sentence(title, labels, series, shown, sentence)
    top = max(t or 0 for t in totals)
    value_heading = series[0].label if len(series) == 1 else gettext("Count")
    legend = "".join(f'<span class="rm-legend"><span class="rm-legend__swatch {s.css}"></span>'
                     f'{escape(s.label)}</span>' for s in series) if len(series) > 1 else ""
    rows = []
    for c, label in enumerate(labels):
        bars = "".join(
            f'<span class="rm-bar {s.css}" style="width: {100 * (s.values[c] or 0) / top:.2f}%"></span>'
            for s in series if s.values[c])
        total = totals[c]
        value = (_value_text(series, c, total) if c in shown and total is not None
                 else f'<span class="rm-bars__none">{escape(empty)}</span>')
        rows.append(f'<tr><th scope="row">{escape(label)}</th><td><span class="rm-bars__cell">'
                    f'<span class="rm-bars__value">{value}</span><span class="rm-bars__track">{bars}'
                    f'</span></span></td></tr>')
    caption = escape(gettext("%(title)s.") % {"title": title})
    return (f'<figure class="rm-figure" id="{key}"><figcaption><strong>{caption}</strong> '
            f'{escape(description)} {legend}</figcaption><table class="rm-bars"><thead><tr>'
            f'<th scope="col">{escape(row_heading)}</th><th scope="col">'
            f'{escape(value_heading)}</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></figure>')


def _total(series: list[Series], column: int) -> int | None:
    """A row's total; None when no series has a value there."""
    values = [v for s in series if (v := s.values[column]) is not None]
    return sum(values) if values else None


def _value_text(series: list[Series], column: int, total: int) -> str:
    if len(series) == 1 or not total:
        return number(total)
    parts = gettext(", ").join(gettext("%(label)s: %(count)s")
                               % {"label": s.label, "count": number(s.values[column] or 0)}
                               for s in series if s.values[column])
    return f"{number(total)} ({escape(parts)})"


def _as_sentence(title: str, labels: list[str], series: list[Series], shown: list[int],
                 sentence: tuple[str, str] | None) -> str:
    """The chart as a sentence. `sentence` words it: each point ('%(value)s in %(label)s')
    and the whole ('%(values)s; none in the other months.')."""
    if not shown:
        said = escape(gettext("none to show yet."))
    else:
        point, rest = sentence or (gettext("%(value)s in %(label)s"),
                                   gettext("%(values)s; none in the other months."))
        values = [escape(point) % {"value": _value_text(series, c, _total(series, c) or 0),
                                   "label": escape(labels[c])} for c in shown]
        said = escape(rest) % {"values": escape(gettext("; ")).join(values)}
    lead = escape(gettext("%(title)s:") % {"title": title})
    return f'<p class="rm-figure rm-figure--sentence"><strong>{lead}</strong> {said}</p>'
