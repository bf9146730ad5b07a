"""The report's sentences read naturally for 0, 1 and many, in every language: "moved once",
never "moved 1 time"; a chart of one or two points is a sentence that names the month."""

from __future__ import annotations

import dataclasses

import pytest

from roadmap.core import i18n
from roadmap.judge.figures import Figures
from roadmap.render.charts import Series, stacked_bars
from roadmap.render.report import readings

NONE = Figures(decision_target_days=30)


def words(**figures: object) -> dict[str, str]:
    return readings(dataclasses.replace(NONE, **figures))


def test_one_of_a_kind_is_said_as_one():
    assert words(target_moves=1, target_slip_days=1, target_moves_measured=1)["moves"] == (
        "A target was moved once. In all, that put the dates 1 day later.")
    assert words(target_moves=1)["moves"] == (
        "A target was moved once. How far it moved cannot be measured: the target has no date on one side.")
    assert words(decided=1, median_days_to_decision=1, p90_days_to_decision=1)["decision"] == (
        "One request has been decided; its answer took 1 day.")
    assert words(shipped_on_target=1)["dates"] == (
        "The one item shipped against a dated target came on time; no target has passed without the work "
        "shipping.")
    assert words(wont_fix_with_workaround=1)["workaround"] == (
        "We said no to one request, and it came with a workaround.")
    assert words(under_review=1)["waiting"] == (
        "The one request under review has not waited longer than the 30 days we promise.")


def test_many_and_none_are_said_as_such():
    assert words(target_moves=3, target_slip_days=-40, target_moves_measured=3)["moves"] == (
        "Targets were moved 3 times. In all, that brought the dates 40 days earlier.")
    # Moves that cancel out are measured: the dates ended where they started, not "cannot be measured".
    assert words(target_moves=2, target_moves_measured=2)["moves"] == (
        "Targets were moved 2 times. In all, the dates ended where they started.")
    assert words()["moves"] == "No target has been moved."
    assert words(under_review=4)["waiting"] == (
        "None of the 4 requests under review has waited longer than the 30 days we promise.")
    assert words(decided=5, median_days_to_decision=2.5, p90_days_to_decision=9)["decision"] == (
        "Decided requests: 5. Half got their answer within 2.5 days, and nine in ten within 9.")


def test_a_chart_of_one_month_is_a_sentence_that_names_it():
    chart = stacked_bars("c", "Targets moved, by month", "", ["Oct 2026", "Nov 2026"],
                         [Series("Moved", "x", (0, 1))])
    assert chart.endswith("<strong>Targets moved, by month:</strong> 1 in Nov 2026; none in the other "
                          "months.</p>")


@pytest.mark.parametrize("language", ["de", "es", "fr", "ja", "pt_BR", "zh_Hans"])
def test_every_language_has_its_own_words_for_one_and_many(language):
    with i18n.speaking(i18n.load_language(language)):
        one = words(target_moves=1, target_slip_days=1, target_moves_measured=1)["moves"]
        many = words(target_moves=3, target_slip_days=40, target_moves_measured=3)["moves"]
    assert "A target" not in one and "Targets were" not in many
    assert "3" in many and "40" in many and one != many
