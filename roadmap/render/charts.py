"""Small static SVG charts for the home page: nothing is loaded from elsewhere.

Each chart carries its figures as text too (a title, a description and a
table a screen reader or a curious reader can open), and draws with CSS
classes so the status colours follow the light and dark schemes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from roadmap.figures import DECIDED, MONTHS, Figures
from roadmap.render.templating import escape

# A reader's name for each span of figures.WAIT_LIMITS.
WAIT_SPANS = ("under a week", "1–4 weeks", "1–3 months", "3–6 months", "6–12 months", "over a year")


@dataclass(frozen=True)
class Series:
    label: str
    css: str
    values: tuple[int, ...]


def month_label(day: date) -> str:
    return day.strftime("%b %Y")


def decisions_per_month(figures: Figures) -> str:
    assert figures.monthly is not None
    series = [Series(status.label, f"rm-fill--{status.value}", figures.monthly.decisions[status])
              for status in DECIDED]
    total = sum(sum(s.values) for s in series)
    return stacked_bars(
        "rm-chart-decisions", "Decisions per month, by status",
        f"{total} decisions in the last {MONTHS} months, counted by the month they were made.",
        [month_label(d) for d in figures.monthly.ends], series)


def waiting_times(figures: Figures) -> str:
    waits = figures.waits
    series = [
        Series("Decided", "rm-fill--fixed", waits.decided),
        Series("Still waiting", "rm-fill--under-review", waits.still_waiting),
    ]
    return stacked_bars(
        "rm-chart-waiting", "How long requests wait for a decision",
        f"{sum(waits.decided)} requests were decided and {sum(waits.still_waiting)} are still waiting; "
        "each bar counts them by how long the wait was or has been so far.",
        list(WAIT_SPANS), series, row_heading="Wait")


# Fewer points than this make no chart: a sentence says the same more plainly.
MIN_POINTS = 3


def stacked_bars(key: str, title: str, description: str, labels: list[str], series: list[Series],
                 row_heading: str = "Month") -> str:
    """A bar chart as an HTML table: one row per label, bars scaled to the largest total.

    Every value is written beside its bar in the page's own text size, so the chart
    reads the same at any width (an SVG scaled down to a phone shrank its labels to
    5 px). With fewer than MIN_POINTS rows holding a value, a sentence replaces it.
    """
    columns = len(labels)
    totals = [sum(s.values[c] for s in series) for c in range(columns)]
    shown = [c for c in range(columns) if totals[c]]
    if len(shown) < MIN_POINTS:
        return _as_sentence(title, labels, series, shown)
    top = max(totals)
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
    return (f'<figure class="rm-figure" id="{key}"><figcaption><strong>{escape(title)}.</strong> '
            f'{escape(description)} {legend}</figcaption><table class="rm-bars"><thead><tr>'
            f'<th scope="col">{escape(row_heading)}</th><th scope="col">'
            f'{escape(series[0].label if len(series) == 1 else "Count")}</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></figure>')


def _value_text(series: list[Series], column: int, total: int) -> str:
    if len(series) == 1 or not total:
        return str(total)
    parts = ", ".join(f"{s.values[column]} {s.label.lower()}" for s in series if s.values[column])
    return f"{total} ({escape(parts)})"


def _as_sentence(title: str, labels: list[str], series: list[Series], shown: list[int]) -> str:
    if not shown:
        said = "none to show yet."
    else:
        said = "only " + " and ".join(
            f"{escape(labels[c])}: {_value_text(series, c, sum(s.values[c] for s in series))}"
            for c in shown) + "."
    return f'<p class="rm-figure rm-figure--sentence"><strong>{escape(title)}:</strong> {said}</p>'
