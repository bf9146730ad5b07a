"""Badges others can embed: a status badge per item, and a shields.io endpoint for the site.

`items/<id>/badge.svg` is drawn here, self-contained (no font or image from another
host), so a README or an issue shows the request's live status wherever it is pasted.
`badge.json` is a shields.io "endpoint" file (https://shields.io/badges/endpoint-badge):
shields.io reads it from the published site and draws the badge in whatever style the
embedding page asks for. `badge.svg` is the site's own, drawn the same way as the items'.
"""

from __future__ import annotations

import json
import unicodedata

from roadmap.core.i18n import gettext, ngettext, number
from roadmap.core.model import Status
from roadmap.judge.figures import Figures
from roadmap.render.templating import escape

LABEL = "roadmap"

# Each status's colour, dark enough for white text (contrast at least 4.5:1).
STATUS_COLOURS = {
    Status.FIXED: "#2e7d32",
    Status.PLANNED: "#1565c0",
    Status.UNDER_REVIEW: "#8a5300",
    Status.WONT_FIX: "#b71c1c",
    Status.DUPLICATE: "#616161",
}
FIGURE_COLOUR = "#1565c0"


def status_badge_svg(status: Status) -> str:
    """A flat badge, "roadmap | Planned", in the status's colour."""
    return flat_badge(LABEL, status.label, STATUS_COLOURS[status])


def flat_badge(label: str, value: str, colour: str) -> str:
    """A flat two-part badge as SVG, sized by an estimate of the text's width (Verdana 11 px)."""
    left, right = 12 + _text_width(label), 12 + _text_width(value)
    text = escape(f"{label}: {value}", quote=True)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + right}" height="20" role="img" '
        f'aria-label="{text}"><title>{text}</title>'
        f'<rect width="{left}" height="20" fill="#555"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{colour}"/>'
        f'<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">'
        f'<text x="{left / 2:g}" y="14">{escape(label)}</text>'
        f'<text x="{left + right / 2:g}" y="14">{escape(value)}</text></g></svg>\n'
    )


def badge_text(figures: Figures) -> tuple[str, str]:
    """The badge's two halves: "decisions" and "median 12 days"."""
    label = gettext("decisions")
    if figures.median_days_to_decision is None:
        return label, gettext("none yet")
    median = figures.median_days_to_decision
    return label, ngettext("median %(num)s day", "median %(num)s days", int(median) if median == int(median)
                           else 2) % {"num": number(median)}


def badge_svg(figures: Figures) -> str:
    """The site's badge for a README: "decisions | median 12 days"."""
    return flat_badge(*badge_text(figures), FIGURE_COLOUR)


def _text_width(text: str) -> int:
    """About 7 px a character at 11 px Verdana; a CJK character is about twice as wide."""
    return sum(14 if unicodedata.east_asian_width(c) in "WF" else 7 for c in text)


def badge_json(figures: Figures) -> str:
    """The headline figure as a shields.io endpoint: the same words as `badge.svg`."""
    label, message = badge_text(figures)
    document = {"schemaVersion": 1, "label": label, "message": message, "color": FIGURE_COLOUR.lstrip("#")}
    return json.dumps(document, sort_keys=True, ensure_ascii=False) + "\n"
