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

from roadmap.model import Roadmap, Status

DECIDED = (Status.FIXED, Status.PLANNED, Status.WONT_FIX, Status.DUPLICATE)
MONTHS = 12
WAIT_BUCKETS = ((7, "under a week"), (30, "1–4 weeks"), (91, "1–3 months"), (182, "3–6 months"),
                (365, "6–12 months"), (None, "over a year"))

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 220, 36, 28, 12


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
    labels = [date(y, m, 1).strftime("%b") + (f" {y}" if m == 1 or i == 0 else "")
              for i, (y, m) in enumerate(months)]
    total = sum(sum(s.values) for s in series)
    return stacked_bars(
        "rm-chart-decisions", "Decisions per month, by status",
        f"{total} decisions in the last {MONTHS} months, counted by the month they were made.",
        labels, series)


def waiting_times(roadmap: Roadmap) -> str:
    decided = [(j.item.decided_on - j.item.opened_on).days for j in roadmap.items
               if j.item.decided_on and j.item.opened_on and j.status is not Status.UNDER_REVIEW]
    waiting = [j.waiting_days for j in roadmap.items if j.waiting_days is not None]
    series = [
        Series("Decided after", "rm-fill--fixed", _bucket(decided)),
        Series("Still waiting for", "rm-fill--under-review", _bucket(waiting)),
    ]
    return stacked_bars(
        "rm-chart-waiting", "How long requests wait for a decision",
        f"{len(decided)} requests were decided and {len(waiting)} are still waiting; "
        "each bar counts them by how long the wait was or has been so far.",
        [label for _, label in WAIT_BUCKETS], series)


def _bucket(days: list[int]) -> tuple[int, ...]:
    counts = [0] * len(WAIT_BUCKETS)
    for value in days:
        for index, (limit, _) in enumerate(WAIT_BUCKETS):
            if limit is None or value < limit:
                counts[index] += 1
                break
    return tuple(counts)


def stacked_bars(key: str, title: str, description: str, labels: list[str], series: list[Series]) -> str:
    columns = len(labels)
    totals = [sum(s.values[c] for s in series) for c in range(columns)]
    top = max(max(totals, default=0), 1)
    plot_h = HEIGHT - BOTTOM - TOP
    step = (WIDTH - LEFT) / columns
    bar = step * 0.62
    parts = [f'<svg class="rm-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-labelledby="{key}-title {key}-desc" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{key}-title">{escape(title)}</title>',
             f'<desc id="{key}-desc">{escape(description)}</desc>']
    for tick in sorted({0, top // 2, top}):
        y = TOP + plot_h - plot_h * tick / top
        parts.append(f'<line class="rm-chart__grid" x1="{LEFT}" x2="{WIDTH}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="rm-chart__axis" x="{LEFT - 6}" y="{y + 4:.1f}" '
                     f'text-anchor="end">{tick}</text>')
    for c, label in enumerate(labels):
        x = LEFT + step * c + (step - bar) / 2
        y = TOP + plot_h
        for s in series:
            value = s.values[c]
            if not value:
                continue
            height = plot_h * value / top
            y -= height
            parts.append(f'<rect class="{s.css}" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" '
                         f'height="{height:.1f}"><title>{escape(label)}: {value} '
                         f'{escape(s.label.lower())}</title></rect>')
        parts.append(f'<text class="rm-chart__axis" x="{x + bar / 2:.1f}" y="{HEIGHT - 8}" '
                     f'text-anchor="middle">{escape(label)}</text>')
    parts.append("</svg>")
    legend = "".join(f'<span class="rm-legend"><span class="rm-legend__swatch {s.css}"></span>'
                     f'{escape(s.label)}</span>' for s in series)
    head = "".join(f"<th scope=\"col\">{escape(s.label)}</th>" for s in series)
    rows = "".join(f"<tr><th scope=\"row\">{escape(label)}</th>"
                   + "".join(f"<td>{s.values[c]}</td>" for s in series) + "</tr>"
                   for c, label in enumerate(labels))
    table = (f"<details><summary>The figures</summary><table><thead><tr><th scope=\"col\"></th>{head}"
             f"</tr></thead><tbody>{rows}</tbody></table></details>")
    return (f'<div class="rm-figure"><figure>{"".join(parts)}<figcaption>{escape(title)}. '
            f'{legend}</figcaption></figure>{table}</div>')
