"""`roadmap diff BASE`: what a pull request does to the roadmap, as Markdown for a comment.

Each test commits a roadmap to a throwaway git repository, changes the working
tree as a pull request would, and compares the printed Markdown exactly.
"""

from __future__ import annotations

import textwrap

import pytest

from conftest import NOW_TEXT, git, run_roadmap, write

SEARCH = """\
    title: Faster search
    status: planned
    target: 2026-12
    opened_on: 2026-05-02
    decided_on: 2026-06-01
    """
EXPORT = """\
    title: Export to CSV
    status: under-review
    opened_on: 2026-10-20
    """



@pytest.fixture
def repo(site):
    """A site in a git repository whose first commit holds two decisions."""
    git("init", "-q", "-b", "main", cwd=site)
    git("config", "user.email", "maintainer@example.org", cwd=site)
    git("config", "user.name", "Maintainer", cwd=site)
    write(site / "content" / "roadmap", "search.yml", SEARCH)
    write(site / "content" / "roadmap", "export.yml", EXPORT)
    git("add", "-A", cwd=site)
    git("commit", "-q", "-m", "roadmap", cwd=site)
    return site


def diff(site):
    return run_roadmap("diff", "main", "--now", NOW_TEXT, cwd=site)


def expected(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def test_a_status_change(repo):
    write(repo / "content" / "roadmap", "export.yml", EXPORT.replace("under-review", "planned"))
    result = diff(repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected("""
        <!-- candor-roadmap-diff -->
        ## Roadmap changes

        Compared with `main`: 1 status change.

        ### Status changes

        | Item | Before | After |
        | --- | --- | --- |
        | **Export to CSV** (`export`) | Under review | Planned |

        ### Checks

        `roadmap check` passes.
        """)


def test_a_new_wont_fix_shows_its_reason(repo):
    write(repo / "content" / "roadmap", "offline.yml", """\
        title: Offline mode
        status: wont-fix
        reason: >
          Sync conflicts would need a full merge engine;
          fewer than 1% of sessions are offline.
        workaround: Export the board to PDF before travelling.
        opened_on: 2026-08-14
        decided_on: 2026-10-01
        """)
    result = diff(repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected("""
        <!-- candor-roadmap-diff -->
        ## Roadmap changes

        Compared with `main`: 1 new won't-fix reason, 1 item added.

        ### Won't-fix reasons

        - **Offline mode** (`offline`), new:

          > Sync conflicts would need a full merge engine; fewer than 1% of sessions are offline.

          Workaround: Export the board to PDF before travelling.


        ### Added

        - **Offline mode** (`offline`): Won't fix

        ### Checks

        `roadmap check` passes.
        """)


def test_a_target_moved_later_shows_the_slip(repo):
    write(repo / "content" / "roadmap", "search.yml", SEARCH.replace("2026-12", "2027-Q1"))
    result = diff(repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected("""
        <!-- candor-roadmap-diff -->
        ## Roadmap changes

        Compared with `main`: 1 target set or moved.

        ### Targets

        - **Faster search** (`search`): target moved from 2026-12 to 2027-Q1, 90 days later

        ### Checks

        `roadmap check` passes.
        """)


def test_an_item_added_and_one_removed(repo):
    write(repo / "content" / "roadmap", "calendar.yml", """\
        title: Calendar view
        status: under-review
        opened_on: 2026-11-02
        """)
    (repo / "content" / "roadmap" / "export.yml").unlink()
    result = diff(repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected("""
        <!-- candor-roadmap-diff -->
        ## Roadmap changes

        Compared with `main`: 1 item added, 1 item removed.

        ### Added

        - **Calendar view** (`calendar`): Under review

        ### Removed

        - **Export to CSV** (`export`), was Under review

        ### Checks

        `roadmap check` passes.
        """)


def test_an_invalid_file_fails_and_says_why(repo):
    write(repo / "content" / "roadmap", "export.yml", EXPORT.replace("under-review", "wont-fix")
          + "reason: out of scope\n")
    result = diff(repo)
    assert result.returncode == 1
    assert result.stdout == expected("""
        <!-- candor-roadmap-diff -->
        ## Roadmap changes

        Compared with `main`: the changed roadmap does not pass `roadmap check`, so its items cannot be compared yet.

        ### Checks

        `roadmap check` fails: the roadmap cannot be published until this is fixed.

        - error: `content/roadmap/export.yml:4` field `reason`: 'out of scope' is a label, not a reason: a won't-fix needs a sentence of at least 4 words that tells the person who asked why not (fix: explain the decision, e.g. 'reason: Sync conflicts would need a full merge engine.' (a short label can go in 'reason\\_category'))
        """)
    assert "does not pass `roadmap check`" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_revision_is_named(repo):
    result = run_roadmap("diff", "origin/nowhere", cwd=repo)
    assert result.returncode == 1
    assert "roadmap diff: 'origin/nowhere' is not a revision of this repository" in result.stderr


def test_strict_check_of_a_pull_request_answers_for_the_files_it_touches(repo):
    # Already on main: an item nobody has reviewed for a year (a warning, not this PR's doing).
    write(repo / "content" / "roadmap", "old.yml", "title: Old idea\nstatus: under-review\nopened_on: 2025-09-01\n")
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "old", cwd=repo)
    write(repo / "content" / "roadmap", "export.yml", EXPORT.replace("under-review", "planned"))
    args = ("check", "--now", NOW_TEXT, "--strict", "--changed-since", "main")
    result = run_roadmap(*args, cwd=repo)
    assert result.returncode == 0, result.stderr
    assert "content/roadmap/old.yml:3: warning" in result.stderr
    # A new file whose target has already passed is this PR's own warning.
    write(repo / "content" / "roadmap", "late.yml", "title: Late\nstatus: planned\ntarget: 2026-10\nopened_on: 2026-09-01\n")
    result = run_roadmap(*args, cwd=repo)
    assert result.returncode == 1
    assert "1 warning(s) in files changed since main, which --strict treats as errors." in result.stderr


def test_a_site_overrides_the_comment_as_it_overrides_its_pages(repo):
    # The diff comment comes from the same override-aware templates as the pages: a
    # templates_dir (or <custom_dir>/roadmap) with its own diff.md.j2 wins.
    mkdocs_yml = repo / "mkdocs.yml"
    mkdocs_yml.write_text(mkdocs_yml.read_text("utf-8").replace(
        "  - roadmap\n", "  - roadmap:\n      templates_dir: overrides\n"), "utf-8")
    write(repo / "overrides", "diff.md.j2", "Our words: {{ summary }}\n")
    write(repo / "content" / "roadmap", "export.yml", EXPORT.replace("under-review", "planned"))
    result = diff(repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Our words: 1 status change\n"


@pytest.mark.parametrize("folder", ["café", 'q"q'])
def test_changed_since_finds_files_in_folders_git_would_quote(repo, folder):
    # git quotes such names ("caf\303\251/late.yml") unless asked for them as they are.
    late = "title: Late\nstatus: planned\ntarget: 2026-10\nopened_on: 2026-09-01\n"
    write(repo / "content" / "roadmap" / folder, "late.yml", late.replace("Late", "Late, committed"))
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "late", cwd=repo)
    args = ("check", "--now", NOW_TEXT, "--strict", "--changed-since", "main")
    assert run_roadmap(*args, cwd=repo).returncode == 0  # on main already: not this change's
    write(repo / "content" / "roadmap" / folder, "late.yml", late)  # changed
    write(repo / "content" / "roadmap" / folder, "later.yml", late)  # new, untracked
    result = run_roadmap(*args, cwd=repo)
    assert result.returncode == 1
    assert "2 warning(s) in files changed since main, which --strict treats as errors." in result.stderr


def test_a_field_name_with_backticks_stays_inside_its_code_span(repo):
    # Markdown in a field or file name must not escape into the comment (bold, links,
    # mentions, images): the code span's fence is longer than any run of backticks inside.
    write(repo / "content" / "roadmap", "export.yml",
          EXPORT.rstrip(" ") + '    "x` **@everyone** ![i](https://e.invalid/p.png) `y": 1\n')
    result = diff(repo)
    assert result.returncode == 1
    [line] = [line for line in result.stdout.splitlines() if line.startswith("- error:")]
    assert "field ``x` **@everyone** ![i](https://e.invalid/p.png) `y``" in line
