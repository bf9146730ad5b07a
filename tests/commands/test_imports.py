"""`roadmap import fider|canny`: hosted feedback tools' exports become decision files.

The sample exports in tests/fixtures/imports follow each tool's columns: Fider's as its
exporter writes them (app/pkg/csv/csv.go in getfider/fider), Canny's as its posts CSV
names them. Each holds good posts and malformed rows (missing title, unknown status,
bad date) that must be named and skipped.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import MKDOCS_YML, NOW_TEXT, ROOT, run_roadmap, write

EXPORTS = ROOT / "tests" / "fixtures" / "imports"


def decisions(site: Path) -> dict[str, dict]:
    folder = site / "content" / "roadmap"
    return {p.stem: yaml.safe_load(p.read_text("utf-8")) for p in sorted(folder.glob("*.yml"))}


def imported(tmp_path_factory: pytest.TempPathFactory, tool: str, export: str) -> tuple[Path, str, str]:
    """A new site with `roadmap import TOOL EXPORT` run in it: the site, what it printed and said."""
    site = tmp_path_factory.mktemp(tool)
    write(site, "mkdocs.yml", MKDOCS_YML)
    (site / "content").mkdir()
    result = run_roadmap("import", tool, str(EXPORTS / export), cwd=site)
    assert result.returncode == 0, result.stderr
    return site, result.stdout, result.stderr


@pytest.fixture(scope="module")
def fider_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    return imported(tmp_path_factory, "fider", "fider-posts.csv")


@pytest.fixture(scope="module")
def canny_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    return imported(tmp_path_factory, "canny", "canny-posts.csv")


def test_fider_posts_map_to_statuses_with_their_fields(fider_site: tuple[Path, str, str]) -> None:
    site, _, _ = fider_site
    files = decisions(site)
    assert {k: v["status"] for k, v in files.items()} == {
        "fider-1": "fixed", "fider-2": "planned", "fider-3": "planned", "fider-4": "wont-fix",
        "fider-5": "wont-fix", "fider-6": "duplicate", "fider-7": "under-review",
        "fider-11": "wont-fix",
    }
    first = files["fider-1"]
    assert first["title"] == "Dark theme for the dashboard"
    assert first["summary"] == "The dashboard is too bright at night.\n\nPlease add a dark theme."
    assert (first["opened_on"], first["decided_on"], first["shipped_on"]) == \
        ("2025-03-02", "2025-06-10", "2025-06-10")
    assert (first["author"], first["votes"], first["areas"]) == ("Ana Lima", 42, ["themes", "ui"])
    assert files["fider-3"]["started_on"] == "2025-07-01"  # "started": in progress
    assert "started_on" not in files["fider-2"]
    assert files["fider-6"]["duplicate_of"] == "fider-1"


def test_a_decline_keeps_the_staff_response_as_its_reason(fider_site: tuple[Path, str, str]) -> None:
    files = decisions(fider_site[0])
    assert files["fider-4"]["reason"].startswith("Sync through a blockchain would make every save slow")
    # A label is not a reason: quoted, and said to be only a note; nothing at all is said so.
    assert files["fider-5"]["reason"] == "When this was declined in Fider, the only note was: “Won't do”."
    assert files["fider-11"]["reason"] == "No reason was given when this was declined in Fider."


def test_malformed_fider_rows_are_named_and_nothing_is_written_for_them(
        fider_site: tuple[Path, str, str]) -> None:
    site, out, err = fider_site
    assert "skipped fider-posts.csv, row 8 (line 11): no title; nothing written for it" in err
    assert "skipped fider-posts.csv, row 9 (line 12): unknown status 'archived-ish'" in err
    assert "skipped fider-posts.csv, row 10 (line 13): created_at '03/08/2025' is not a date" in err
    for number in (8, 9, 10):
        assert not (site / "content" / "roadmap" / f"fider-{number}.yml").exists()
    assert "8 decision files written, 3 posts skipped." in out
    assert out.count("  wrote ") == 8


def test_the_import_passes_check_with_a_warning_for_each_decline_without_a_reason(
        fider_site: tuple[Path, str, str]) -> None:
    site = fider_site[0]
    result = run_roadmap("check", "--now", NOW_TEXT, cwd=site)
    assert result.returncode == 0, result.stdout + result.stderr
    without = [line for line in result.stderr.splitlines()
               if "imported without a real reason" in line]
    assert sorted(line.split(":")[0] for line in without) == \
        ["content/roadmap/fider-11.yml", "content/roadmap/fider-5.yml"]


def test_imported_text_cannot_run_script(fider_site: tuple[Path, str, str], tmp_path: Path) -> None:
    site = fider_site[0]
    out = tmp_path / "built"
    result = run_roadmap("build", "--now", NOW_TEXT, "--site-dir", str(out), cwd=site)
    assert result.returncode == 0, result.stderr
    page = (out / "items" / "fider-7" / "index.html").read_text("utf-8")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Keyboard shortcuts" in page


def test_an_existing_file_is_never_overwritten(site: Path) -> None:
    mine = write(site / "content" / "roadmap", "fider-2.yml", """
        title: Export to PDF, our words
        status: under-review
        opened_on: 2025-04-11
        """)
    before = mine.read_bytes()
    result = run_roadmap("import", "fider", str(EXPORTS / "fider-posts.csv"), cwd=site)
    assert result.returncode == 0, result.stderr
    assert mine.read_bytes() == before
    assert "fider-2.yml exists already; it was left as it is" in result.stderr
    again = run_roadmap("import", "fider", str(EXPORTS / "fider-posts.csv"), cwd=site)
    assert "0 decision files written, 11 posts skipped." in again.stdout


def test_canny_posts_map_to_statuses(canny_site: tuple[Path, str, str]) -> None:
    site, out, err = canny_site
    files = decisions(site)
    assert {k: v["status"] for k, v in files.items()} == {
        "canny-slack-integration": "fixed", "canny-single-sign-on": "planned",
        "canny-custom-domains": "planned", "canny-fax-support": "wont-fix",
        "canny-better-onboarding": "under-review", "canny-zapier": "under-review",
    }
    sso = files["canny-single-sign-on"]
    assert (sso["target"], sso["votes"], sso["author"]) == ("2026-03", 31, "Tom R")
    assert sso["url"] == "https://acme.canny.io/feature-requests/p/single-sign-on"
    assert files["canny-slack-integration"]["areas"] == ["Integrations", "slack"]
    assert files["canny-fax-support"]["reason"] == "No reason was given when this was declined in Canny."
    assert "6 decision files written, 3 posts skipped." in out
    assert "canny-posts.csv, row 7 (line 8): no title" in err
    assert "canny-posts.csv, row 8 (line 9): unknown status 'shipped'" in err
    assert "canny-posts.csv, row 9 (line 10): created 'yesterday' is not a date" in err
    assert not any("webhooks" in name or "dark-mode" in name for name in files)
    result = run_roadmap("check", "--now", NOW_TEXT, cwd=site)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_export_that_is_not_one_is_refused_with_its_name(site: Path) -> None:
    wrong = write(site, "orders.csv", "order,amount\n1,20\n")
    result = run_roadmap("import", "fider", str(wrong), cwd=site)
    assert result.returncode == 1
    assert "orders.csv: no number, no title, no status column; is this the right export?" in result.stderr
    assert "Traceback" not in result.stderr
    missing = run_roadmap("import", "canny", str(site / "nowhere.csv"), cwd=site)
    assert missing.returncode == 1 and "nowhere.csv: cannot be read" in missing.stderr
    assert not list((site / "content" / "roadmap").glob("*.yml"))


def test_fider_backup_archive(site: Path, tmp_path: Path) -> None:
    archive = tmp_path / "fider-backup.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for table in sorted((EXPORTS / "fider-backup").glob("*.json")):
            out.write(table, table.name)
    result = run_roadmap("import", "fider", str(archive), cwd=site)
    assert result.returncode == 0, result.stderr
    files = decisions(site)
    assert {k: v["status"] for k, v in files.items()} == {
        "fider-1": "fixed", "fider-2": "duplicate", "fider-3": "wont-fix", "fider-5": "under-review"}
    first = files["fider-1"]
    assert (first["author"], first["votes"], first["areas"], first["opened_on"]) == \
        ("Ana Lima", 2, ["themes", "UI"], "2025-03-02")
    assert files["fider-2"]["duplicate_of"] == "fider-1"
    assert files["fider-3"]["reason"] == "No reason was given when this was declined in Fider."
    assert files["fider-5"]["title"] == "2026"
    assert "skipped posts.json, post 4 (number 4): deleted in Fider" in result.stderr
    assert run_roadmap("check", "--now", NOW_TEXT, cwd=site).returncode == 0
