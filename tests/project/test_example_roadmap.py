"""Candor's own roadmap (content/roadmap/) tells the truth about Candor: a request it shows as
fixed names a release that CHANGELOG.md has and shipped on that release's day, and the
package's version is the newest release there."""

from __future__ import annotations

import re
from datetime import date

import yaml
from packaging.version import Version

from conftest import EXAMPLE_NOW_TEXT, ROOT

DECISIONS = sorted((ROOT / "content" / "roadmap").glob("*.yml"))
# A release's heading, as towncrier writes it (title_format in pyproject.toml).
RELEASE = re.compile(r"^## (\S+) \((\d{4}-\d{2}-\d{2})\)$", re.M)


def releases() -> dict[str, date]:
    return {version: date.fromisoformat(day)
            for version, day in RELEASE.findall((ROOT / "CHANGELOG.md").read_text("utf-8"))}


def decisions() -> dict[str, dict]:
    return {path.name: yaml.safe_load(path.read_text("utf-8")) for path in DECISIONS}


def test_every_fixed_request_names_a_release_of_the_changelog_and_shipped_on_its_day():
    released = releases()
    fixed = {name: d for name, d in decisions().items() if d["status"] == "fixed"}
    assert fixed
    wrong = [f"{name}: version {d.get('version')!r}, shipped_on {d.get('shipped_on')}"
             for name, d in fixed.items()
             if str(d.get("version")) not in released or d.get("shipped_on") != released[str(d["version"])]]
    assert wrong == [], f"releases in CHANGELOG.md: {released}"


def test_no_decision_file_names_a_version_the_changelog_does_not_have():
    released = releases()
    named = {name: str(d["version"]) for name, d in decisions().items() if "version" in d}
    assert {name: v for name, v in named.items() if v not in released} == {}


def test_the_package_version_is_the_newest_release_of_the_changelog():
    package = re.search(r'^version = "([^"]+)"$', (ROOT / "pyproject.toml").read_text("utf-8"), re.M)[1]
    released = releases()
    assert package in released
    assert max(released, key=Version) == package
    # The example is judged on that release's day or later, so nothing it shipped is "to come".
    assert released[package] <= date.fromisoformat(EXAMPLE_NOW_TEXT)


def test_planned_requests_have_a_target_that_can_be_missed():
    # A milestone name has no date, so the site could never show it as missed.
    planned = {name: str(d.get("target")) for name, d in decisions().items() if d["status"] == "planned"}
    assert planned
    assert {name: t for name, t in planned.items() if not re.fullmatch(r"\d{4}-(Q[1-4]|\d{2}(-\d{2})?)", t)} == {}
