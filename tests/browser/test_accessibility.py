"""Accessibility (axe-core in Chromium) and valid HTML (the Nu HTML Checker) on the example site."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT, axe_violations, serve

TOOLS = ROOT / "tests" / "tools" / "node_modules"
# Home, the board, every listing kind, areas, item pages of several statuses, the report, My requests,
# the changelog.
PAGES = ["/", "/board/", "/planned/", "/under-review/", "/fixed/", "/wont-fix/", "/duplicate/", "/areas/",
         "/items/offline-desktop-app/", "/items/translations/", "/items/roadmap-init/", "/report/", "/my-requests/?who=user-jo", "/changelog/",
         "/wont-fix/?sort=votes&area=sources"]

# Nu HTML Checker messages switched off, each for markup Material writes on every page:
IGNORED_HTML_ERRORS = {
    # Material's drawer, search and palette switches are hidden checkboxes and radios that
    # carry autocomplete="off" so a browser does not restore them from its cache. The
    # attribute is harmless on them; it is Material's base template, not ours.
    "Attribute “autocomplete” is only allowed when the input type is",
    # Material's palette toggle labels point at radio inputs it hides with the `hidden`
    # attribute and switches by script; the labels carry their own title for readers.
    "The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control.",
}


@pytest.fixture(scope="module")
def site(example_site) -> Path:
    return example_site


@pytest.fixture(scope="module")
def base_url(example_site) -> Iterator[str]:
    with serve(example_site) as url:
        yield url



@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_violations(browser, base_url, path, dark):
    assert axe_violations(browser, base_url + path, dark) == []


def test_axe_does_report_a_violation(browser, base_url, site):
    # A control: an image without a text alternative must be reported.
    control = site / "control.html"
    control.write_text('<!doctype html><html lang="en"><title>c</title><main><img src="x.png"></main></html>',
                       "utf-8")
    try:
        assert any(v.startswith("image-alt") for v in axe_violations(browser, base_url + "/control.html", False))
    finally:
        control.unlink()


def test_the_html_is_valid(site):
    result = subprocess.run(
        ["java", "-jar", str(TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"), "--format", "json",
         "--skip-non-html", str(site)],
        capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    checked = {m.get("url") for m in messages}
    errors = [f"{m.get('url', '').split('/site/')[-1]}:{m.get('lastLine')}: {m['message']}"
              for m in messages if m["type"] == "error"
              and not any(m["message"].startswith(ignored) for ignored in IGNORED_HTML_ERRORS)]
    assert errors == []
    # The ignored messages were seen, so the checker did read the pages.
    assert len(checked) > 30
