"""Whole sites built end to end: the fixture with `mkdocs build --strict`, the example with `roadmap build`."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jinja2
import pytest

from conftest import EXAMPLE_NOW_TEXT, FIXTURE_SITE, NOW_TEXT, ROOT, run_mkdocs, run_roadmap, write
from roadmap.mkdocs.compact import CompactTemplates


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("fixture")
    shutil.copytree(FIXTURE_SITE, work, dirs_exist_ok=True)
    result = run_mkdocs("build", "--strict", cwd=work)
    assert result.returncode == 0, result.stderr
    return work / "site"


def test_strict_mkdocs_build_writes_every_page_kind(fixture_site):
    for page in ("index.html", "planned/index.html", "planned/2/index.html", "fixed/index.html",
                 "wont-fix/index.html", "under-review/index.html", "duplicate/index.html",
                 "areas/index.html", "items/sso-login/index.html", "roadmap.json",
                 "assets/roadmap.css"):
        assert (fixture_site / page).is_file(), page


def test_decision_files_are_not_published(fixture_site):
    assert not (fixture_site / "roadmap").exists()
    assert not list(fixture_site.rglob("*.yml"))


def test_item_pages_stay_out_of_the_navigation(fixture_site):
    home = (fixture_site / "index.html").read_text()
    start = home.index('<nav class="md-nav md-nav--primary"')
    nav = home[start:home.index('<div class="md-content"', start)]
    assert 'href="planned/"' in nav
    assert "items/" not in nav
    assert "planned/2/" not in nav


def test_item_page_shows_status_reason_and_areas_as_tags(fixture_site):
    page = (fixture_site / "items" / "mobile-app" / "index.html").read_text()
    assert 'rm-status--wont-fix">Won\'t fix</span>' in page
    assert "two native apps would triple what we maintain" in page
    assert "Add the web app to your home screen." in page
    assert 'class="md-tag' in page and ">ui<" in page


def test_plain_text_is_shown_as_written_not_run_as_html(fixture_site):
    page = (fixture_site / "items" / "sso-login" / "index.html").read_text()
    assert "Single sign-on with &lt;SAML&gt; &amp; OIDC" in page
    assert "<SAML>" not in page


def test_roadmap_json_lists_every_item(fixture_site):
    data = json.loads((fixture_site / "roadmap.json").read_text())
    assert data["schema_version"] == 1
    assert len(data["items"]) == 9
    sso = next(i for i in data["items"] if i["id"] == "sso-login")
    assert sso["target"] == "2027-Q1" and sso["in_progress"] is True


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_same_input_builds_the_same_bytes_twice(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    for out in (first, second):
        result = run_roadmap("build", "--now", EXAMPLE_NOW_TEXT, "--site-dir", str(out), cwd=ROOT)
        assert result.returncode == 0, result.stderr
    one, two = _tree(first), _tree(second)
    assert one.keys() == two.keys()
    assert [p for p in one if one[p] != two[p]] == []


def test_the_example_roadmap_builds_strictly(tmp_path):
    out = tmp_path / "site"
    result = run_roadmap("build", "--mkdocs-strict", "--now", EXAMPLE_NOW_TEXT, "--site-dir", str(out), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    items = list((out / "items").iterdir())
    assert len(items) >= 30
    assert result.stdout.startswith(f"Built {len(items)} items into ")


def test_a_site_can_override_a_template_from_its_theme(tmp_path):
    shutil.copytree(FIXTURE_SITE, tmp_path, dirs_exist_ok=True)
    config = (tmp_path / "mkdocs.yml").read_text()
    (tmp_path / "mkdocs.yml").write_text(config.replace("  name: material\n",
                                                        "  name: material\n  custom_dir: theme\n"))
    (tmp_path / "theme" / "roadmap").mkdir(parents=True)
    (tmp_path / "theme" / "roadmap" / "areas.md.j2").write_text("# Our areas\n\nCustom words.\n")
    result = run_mkdocs("build", "--strict", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Custom words." in (tmp_path / "site" / "areas" / "index.html").read_text()


def test_a_site_page_at_a_generated_path_is_refused(tmp_path):
    shutil.copytree(FIXTURE_SITE, tmp_path, dirs_exist_ok=True)
    (tmp_path / "content" / "planned.md").write_text("# Mine\n")
    result = run_mkdocs("build", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "The roadmap generates 'planned.md', but the site already has that file" in result.stderr


def test_build_keeps_strict_from_the_config_when_the_flag_is_not_given(tmp_path):
    shutil.copytree(FIXTURE_SITE, tmp_path, dirs_exist_ok=True)
    (tmp_path / "mkdocs.yml").write_text((tmp_path / "mkdocs.yml").read_text() + "strict: true\n")
    (tmp_path / "content" / "notes.md").write_text("# Notes\n\n[gone](missing.md)\n")
    result = run_roadmap("build", "--now", NOW_TEXT, cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "The build failed; the existing site is untouched." in result.stderr
    assert not (tmp_path / "site").exists()


def test_a_build_names_a_few_warnings_and_counts_the_rest(site):
    # Fifteen requests waiting far past the review limit: fifteen warnings.
    for n in range(15):
        write(site / "content" / "roadmap", f"old-{n:02d}.yml", f"""
            title: Old request {n}
            status: under-review
            opened_on: 2025-01-{n + 1:02d}
            """)
    result = run_mkdocs("build", cwd=site, env={"SOURCE_DATE_EPOCH": "1795392000"})
    assert result.returncode == 0, result.stderr
    shown = [line for line in result.stderr.splitlines() if ": warning: " in line]
    assert len(shown) == 10
    assert "content/roadmap/old-00.yml" in shown[0]
    assert "... and 5 more warnings; `roadmap check` lists them all." in result.stderr


def _indented_lines(html: str) -> list[str]:
    outside = re.sub(r"<(pre|textarea|script)\b.*?</\1>", "", html, flags=re.S)
    return [line for line in outside.splitlines() if line[:1] in (" ", "\t")]


def test_pages_carry_no_template_indentation(fixture_site):
    # Item pages must stay small (issue 7: at most 15 KB); the theme's indentation was a fifth.
    for page in ("items/mobile-app/index.html", "items/sso-login/index.html", "wont-fix/index.html"):
        html = (fixture_site / page).read_text()
        assert _indented_lines(html) == [], page


def test_template_trimming_keeps_preformatted_text_and_line_numbers():
    inner = jinja2.DictLoader({"page.html": "<div>\n    <p>{{ x }}</p>\n<pre>\n    kept\n</pre>\n"
                                            "  <script>\n    if (a) {}\n  </script>\n",
                               "feed.xml": "<feed>\n  <id/>\n</feed>\n"})
    env = jinja2.Environment(loader=CompactTemplates(inner))
    assert env.get_template("page.html").render(x=1) == (
        "<div>\n<p>1</p>\n<pre>\n    kept\n</pre>\n<script>\n    if (a) {}\n  </script>")
    assert env.get_template("feed.xml").render() == "<feed>\n  <id/>\n</feed>"
