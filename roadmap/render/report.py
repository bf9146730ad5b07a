"""The "How we're doing" page and the badge: the honesty figures, month by month, in words."""

from __future__ import annotations

from typing import Any

from roadmap.core.i18n import gettext, ngettext, number
from roadmap.core.model import Roadmap
from roadmap.judge.figures import Figures
from roadmap.render.charts import Series, month_label, stacked_bars

MAX_SLIPS = 50
MAX_LISTED = 50


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
            "rm-chart-decision-time", gettext("Median days to a decision, by the month it was made"),
            gettext("For the decisions made in each month, the median number of days since the request."),
            labels, [Series(gettext("Median days"), "rm-fill--planned", monthly.median_days_to_decision)],
            row_heading=gettext("Month"), empty=gettext("no decisions"), zero_is_value=True),
        "chart_waiting_past": stacked_bars(
            "rm-chart-waiting-past",
            gettext("Requests waiting longer than we promise, at the end of each month"),
            gettext("Requests without a decision after more than %(days)s days.")
            % {"days": figures.decision_target_days},
            labels, [Series(gettext("Waiting too long"), "rm-fill--under-review",
                            monthly.waiting_past_target)],
            row_heading=gettext("Month"), empty=gettext("none waiting")),
        "chart_shipped": stacked_bars(
            "rm-chart-shipped", gettext("Planned work shipped, against its target, by the month it shipped"),
            gettext("Each shipped item with a dated target, counted as before, on or after that target."),
            labels, [Series(label, css, monthly.shipped[kind])
                     for kind, label, css in (("before", gettext("Before the target"), "rm-fill--fixed"),
                                              ("on", gettext("On the target"), "rm-fill--planned"),
                                              ("late", gettext("Late"), "rm-fill--wont-fix"))],
            row_heading=gettext("Month"), empty=gettext("nothing shipped")),
        "chart_moves": stacked_bars(
            "rm-chart-moves", gettext("Targets moved, by month"),
            gettext("How many times a planned item's target was changed to another, each month."),
            labels, [Series(gettext("Targets moved"), "rm-fill--duplicate", monthly.target_moves)],
            row_heading=gettext("Month"), empty=gettext("no moves")),
    }


def _plural_of(value: float) -> int:
    """The count a plural form is chosen by: a fraction (a median of 2.5 days) reads as many."""
    return int(value) if value == int(value) else 2


def _decision_reading(f: Figures) -> str:
    if not f.decided:
        return gettext("No request has been decided yet, so there is no time to a decision to show.")
    median = f.median_days_to_decision or 0
    if f.decided == 1:
        return ngettext("One request has been decided; its answer took %(num)s day.",
                        "One request has been decided; its answer took %(num)s days.",
                        _plural_of(median)) % {"num": number(median)}
    return ngettext(
        "Decided requests: %(num)s. Half got their answer within %(median)s day, and nine in ten "
        "within %(p90)s.",
        "Decided requests: %(num)s. Half got their answer within %(median)s days, and nine in ten "
        "within %(p90)s.", _plural_of(median)) % {
        "num": number(f.decided), "median": number(median), "p90": number(f.p90_days_to_decision or 0)}


def _waiting_reading(f: Figures) -> str:
    if not f.under_review:
        return gettext("No request is waiting for a decision.")
    words = {"num": number(f.waiting_past_target), "days": f.decision_target_days,
             "open": number(f.under_review)}
    if not f.waiting_past_target and f.under_review == 1:
        return gettext("The one request under review has not waited longer than the %(days)s days we "
                       "promise.") % words
    if not f.waiting_past_target:
        return gettext("None of the %(open)s requests under review has waited longer than the %(days)s "
                       "days we promise.") % words
    return ngettext(
        "%(num)s request has waited longer than the %(days)s days we promise, out of %(open)s under "
        "review.",
        "%(num)s requests have waited longer than the %(days)s days we promise, out of %(open)s under "
        "review.", f.waiting_past_target) % words


def _dates_reading(f: Figures) -> str:
    missed = ngettext("%(num)s target has passed without the work shipping",
                      "%(num)s targets have passed without the work shipping",
                      f.targets_missed) % {"num": number(f.targets_missed)}
    if not f.targets_missed:
        missed = gettext("no target has passed without the work shipping")
    shipped = f.shipped_before_target + f.shipped_on_target + f.shipped_late
    if not f.history_available:
        return gettext("This site was built without the history of its decision files, so whether work "
                       "shipped on time cannot be told; %(missed)s.") % {"missed": missed}
    if not shipped:
        return gettext("Nothing has shipped against a dated target yet; %(missed)s.") % {"missed": missed}
    if shipped == 1:
        one = (gettext("The one item shipped against a dated target came early; %(missed)s.")
               if f.shipped_before_target else
               gettext("The one item shipped against a dated target came on time; %(missed)s.")
               if f.shipped_on_target else
               gettext("The one item shipped against a dated target came late; %(missed)s."))
        return one % {"missed": missed}
    return ngettext(
        "Of %(num)s item shipped against a dated target, %(early)s came early, %(on)s on time and "
        "%(late)s late; %(missed)s.",
        "Of %(num)s items shipped against a dated target, %(early)s came early, %(on)s on time and "
        "%(late)s late; %(missed)s.", shipped) % {
        "num": number(shipped), "early": number(f.shipped_before_target),
        "on": number(f.shipped_on_target), "late": number(f.shipped_late), "missed": missed}


def _moves_reading(f: Figures) -> str:
    """'A target was moved once.', 'Targets were moved 3 times.', and by how much in all."""
    if not f.target_moves:
        return gettext("No target has been moved.")
    moved = ngettext("A target was moved once.", "Targets were moved %(num)s times.",
                     f.target_moves) % {"num": number(f.target_moves)}
    days = abs(f.target_slip_days)
    words = {"days": number(days)}
    if f.target_slip_days > 0:
        slip = ngettext("In all, that put the dates %(days)s day later.",
                        "In all, that put the dates %(days)s days later.", days) % words
    elif f.target_slip_days < 0:
        slip = ngettext("In all, that brought the dates %(days)s day earlier.",
                        "In all, that brought the dates %(days)s days earlier.", days) % words
    elif f.target_moves_measured:
        slip = gettext("In all, the dates ended where they started.")
    else:
        slip = ngettext("How far it moved cannot be measured: the target has no date on one side.",
                        "How far they moved cannot be measured: no move had a date on both sides.",
                        f.target_moves)
    return f"{moved} {slip}"


def readings(f: Figures) -> dict[str, str]:
    """One sentence per figure, as a reader would say it, for 0, 1 and many alike."""
    reviews = gettext("Every open request has been reviewed in time.")
    if f.not_reviewed:
        reviews = ngettext("%(num)s open request has not been looked at again within our limit.",
                           "%(num)s open requests have not been looked at again within our limit.",
                           f.not_reviewed) % {"num": number(f.not_reviewed)}
    declined = f.wont_fix_with_workaround + f.wont_fix_without_workaround
    workaround = gettext("We have not turned any request down.")
    if declined == 1:
        workaround = (gettext("We said no to one request, and it came with a workaround.")
                      if f.wont_fix_with_workaround else
                      gettext("We said no to one request, without a workaround."))
    elif declined:
        workaround = ngettext("Of %(num)s request we said no to, %(with)s came with a workaround.",
                              "Of %(num)s requests we said no to, %(with)s came with a workaround.",
                              declined) % {"num": number(declined),
                                           "with": number(f.wont_fix_with_workaround)}
    return {"decision": _decision_reading(f), "waiting": _waiting_reading(f), "dates": _dates_reading(f),
            "moves": _moves_reading(f), "reviews": reviews, "workaround": workaround}
