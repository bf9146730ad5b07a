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
    values: tuple[int, ...]


def month_label(day: date) -> str:
    """A month as a chart's row names it, in the site's language ('Nov 2026')."""
    return month(day.year, day.month)


def decisions_per_month(figures: Figures) -> str:
    assert figures.monthly is not None
    series = [Series(status.label, f"rm-fill--{status.value}", figures.monthly.decisions[status])
              for status in DECIDED]
    total = sum(sum(s.values) for s in series)
    return stacked_bars(
        "rm-chart-decisions", gettext("Decisions per month, by status"),
        ngettext("%(num)s decision in the last %(months)d months, counted by the month it was made.",
                 "%(num)s decisions in the last %(months)d months, counted by the month they were made.",
                 total) % {"num": number(total), "months": MONTHS},
        [month_label(d) for d in figures.monthly.ends], series, row_heading=gettext("Month"))


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
        [gettext(label) for label in WAIT_SPANS], series, row_heading=gettext("Wait"))


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
