"""The words roadmap.js shows (My requests, sorting and filtering), translated for the page.

The script holds no English of its own: the page carries its words as JSON in a
data attribute, written here from the same catalogs as the rest of the site. A
message that depends on a count carries one text per plural category of the
language (CLDR's "one", "few", "other"...), which the browser picks with
Intl.PluralRules, the same rules gettext's catalogs are written for.
"""

from __future__ import annotations

import json
from typing import Any

from roadmap.core import i18n
from roadmap.core.i18n import gettext, ngettext
from roadmap.core.model import STATUS_ORDER

# Counts to find an example of each plural category by (every language's categories
# have a member below 1,000; "many" in French, say, starts at 1,000,000 and falls back).
_SAMPLES = (*range(0, 200), 1_000_000)


def _plural(singular: str, plural: str) -> dict[str, str]:
    """The message for each plural category of the language being spoken."""
    rule = i18n.current().locale.plural_form
    forms: dict[str, str] = {}
    for count in _SAMPLES:
        forms.setdefault(rule(count), ngettext(singular, plural, count))
    forms.setdefault("other", ngettext(singular, plural, 2))
    return dict(sorted(forms.items()))


def _as_json(words: dict[str, Any]) -> str:
    words["locale"] = str(i18n.current().locale).replace("_", "-")
    return json.dumps(words, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def sort_words() -> str:
    """The sorting and filtering controls of listings, areas and the board."""
    return _as_json({
        "group": gettext("Sort and filter the requests on this page"),
        "sort": gettext("Sort"),
        "area": gettext("Area"),
        "all_areas": gettext("All areas"),
        "sorts": {"": gettext("Default order"), "votes": gettext("Most votes"),
                  "newest": gettext("Newest request"), "waiting": gettext("Longest waiting")},
    })


def lookup_words() -> str:
    """My requests: the status of the lookup and what each found request says."""
    return _as_json({
        "labels": {status.value: status.label for status in STATUS_ORDER},
        "empty_query": gettext("Type a GitHub user name or an issue number."),
        "looking": gettext("Looking…"),
        "failed": gettext("The list of requests could not be loaded (%(error)s)."),
        "none_by": gettext("No requests by %(who)s on this roadmap. Names are matched exactly, without "
                           "the @; for an issue, type its number."),
        "none_for": gettext("No requests for %(who)s on this roadmap. Names are matched exactly, without "
                            "the @; for an issue, type its number."),
        "found_by": _plural("%(num)s request by %(who)s: %(counts)s.",
                            "%(num)s requests by %(who)s: %(counts)s."),
        "found_for": _plural("%(num)s request for %(who)s: %(counts)s.",
                             "%(num)s requests for %(who)s: %(counts)s."),
        "count": gettext("%(num)s %(status)s"),
        "list_separator": gettext(", "),
        "bookmark": gettext("Link to this list, to bookmark or share"),
    })
