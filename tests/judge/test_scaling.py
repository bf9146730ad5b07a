"""Judging stays linear in the item count and its memory flat: what each item needs is
worked out once for the roadmap, nothing is left behind for a collector that is paused
while judging, and the words every file repeats are kept once.

Sizes are measured by `scripts/bench --only judge`; these tests pin the results and the
properties that keep the figures there (no timed test)."""

from __future__ import annotations

import dataclasses
import gc
from datetime import date
from pathlib import Path

from conftest import write
from roadmap.core.model import Change, HistoryState, Policy
from roadmap.judge.decide import decide
from roadmap.judge.finished import finish
from roadmap.judge.pipeline import Settings, cyclic_gc_paused, run
from roadmap.judge.validate import to_item
from roadmap.sources.yamlfiles import load_directory

NOW = date(2026, 11, 23)

PLANNED = """\
title: {title}
status: planned
summary: {summary}
areas: [sync, desktop]
opened_on: 2026-01-02
decided_on: 2026-02-03
target: 2027-Q1
author: someone
"""


def _files(folder: Path, count: int) -> None:
    for n in range(count):
        write(folder, f"item-{n}.yml", PLANNED.format(
            title=f"Request {n}", summary=f"Request {n} in the words of the one who asked, long enough not "
                                         "to be worth keeping once."))


def test_judging_leaves_no_reference_cycles_for_the_paused_collector(tmp_path):
    # The pipeline judges with the cyclic collector paused: a cycle made per item (the schema
    # check's list test was one) would stay in memory until the build ends.
    _files(tmp_path, 20)
    records, problems = load_directory(tmp_path)
    assert not problems and len(records) == 20
    decide(records, NOW, Policy())  # once, for what is built once per process (the schema check)
    gc.collect()
    with cyclic_gc_paused():
        verdict = decide(records, NOW, Policy())
        assert verdict.roadmap is not None
        finish(verdict.roadmap)
        left_behind = gc.collect()
    assert left_behind == 0


def test_an_area_written_twice_is_still_refused(tmp_path):
    # The schema's "no repeats" is checked beside the compiled schema (see _all_different).
    write(tmp_path, "a.yml", PLANNED.format(title="A", summary="S").replace("[sync, desktop]", "[sync, sync]"))
    verdict = run(Settings(tmp_path, Policy(), history=False), NOW)
    assert verdict.roadmap is None
    assert [p.field for p in verdict.errors] == ["areas"]
    assert "a.yml:4: error: field 'areas'" in verdict.errors[0].format()


def test_the_words_every_file_repeats_are_kept_once(tmp_path):
    _files(tmp_path, 2)
    (first, second), _ = load_directory(tmp_path)
    for key_one, key_two in zip(first.data, second.data, strict=True):
        assert key_one is key_two  # field names
    assert all(a is b for a, b in zip(first.lines, first.data, strict=True))  # the lines' keys are the data's
    assert first.data["status"] is second.data["status"]
    assert all(a is b for a, b in zip(first.data["areas"], second.data["areas"], strict=True))
    assert first.data["author"] is second.data["author"]
    # An item keeps its record's lines rather than a copy of them.
    assert to_item(first, NOW).item.source.lines is first.lines  # type: ignore[union-attr]
    # Text that is a file's own is left as it was read.
    assert first.data["summary"] == second.data["summary"].replace("Request 1", "Request 0")


def test_each_item_counts_its_own_target_moves(tmp_path):
    _files(tmp_path, 3)
    verdict = run(Settings(tmp_path, Policy(), history=False), NOW)
    assert verdict.roadmap is not None

    def moved(*targets: str) -> tuple[Change, ...]:
        return tuple(Change(date(2026, 3 + n, 1), "target", before, after, n + 1)
                     for n, (before, after) in enumerate(zip(targets, targets[1:], strict=False)))

    history = {"item-0": moved("2026-Q3", "2026-Q4", "2027-Q1"), "item-2": moved("2026-Q4", "2027-Q1")}
    finished = finish(dataclasses.replace(verdict.roadmap, history=history,
                                          history_state=HistoryState.COMPLETE))
    assert [finished.facts_of(f"item-{n}").moves for n in range(3)] == [2, 0, 1]
    assert finished.figures.target_moves == 3
    assert finished.facts_of("not-on-the-roadmap").moves == 0


def test_a_duplicate_of_no_item_is_told_the_closest_ids(tmp_path):
    _files(tmp_path, 3)
    write(tmp_path, "dup.yml", "title: A\nstatus: duplicate\nopened_on: 2026-01-01\ndecided_on: 2026-01-02\n"
                               "duplicate_of: item-22\n")
    verdict = run(Settings(tmp_path, Policy(), history=False), NOW)
    assert [p.format() for p in verdict.errors] == [
        f"{tmp_path.as_posix()}/dup.yml:5: error: field 'duplicate_of': there is no item 'item-22' to be "
        "a duplicate of\n  fix: did you mean 'item-2' or 'item-1' or 'item-0'? Use the file name (without .yml) of an existing "
        "item in the roadmap folder"]
