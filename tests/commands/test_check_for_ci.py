"""`roadmap check` in CI: --strict fails on warnings; --format github annotates the PR's lines."""

from __future__ import annotations

from conftest import NOW_TEXT, run_roadmap, write


def test_github_format_annotates_each_problem_on_its_line(site):
    write(site / "content" / "roadmap", "offline.yml", """\
        title: Offline mode
        status: wont-fix
        opened_on: 2026-01-01
        reason: too hard
        colour: red
        """)
    result = run_roadmap("check", "--format", "github", cwd=site)
    assert result.returncode == 1
    assert result.stdout == (
        "::error file=content/roadmap/offline.yml,line=4,title=roadmap%3A reason::field 'reason': "
        "'too hard' is a label, not a reason: a won't-fix needs a sentence of at least 4 words that "
        "tells the person who asked why not%0Afix: explain the decision, e.g. 'reason: Sync conflicts "
        "would need a full merge engine.' (a short label can go in 'reason_category')\n"
        "::error file=content/roadmap/offline.yml,line=5,title=roadmap%3A colour::field 'colour': "
        "this is not a field Candor knows%0Afix: Known fields: title, status, "
        "summary, areas, opened_on, decided_on, last_reviewed, author, votes, url, owner, version, "
        "shipped_on, links, target, started_on, reason, reason_category, workaround, revisit_when, "
        "duplicate_of, github, gitlab\n"
    )
    assert result.stderr == "2 error(s): the roadmap cannot be published.\n"


STALE = "title: Old\nstatus: under-review\nopened_on: 2026-01-01\n"


def test_warnings_pass_a_normal_check(site):
    write(site / "content" / "roadmap", "old.yml", STALE)
    result = run_roadmap("check", "--now", "2026-11-23", cwd=site)
    assert result.returncode == 0
    assert result.stderr == (
        "content/roadmap/old.yml:3: warning: field 'last_reviewed': not reviewed for 10 months "
        "(the limit is 180 days)\n"
        "  fix: look at the item again and set 'last_reviewed: 2026-11-23'\n"
    )


def test_strict_turns_warnings_into_failures(site):
    write(site / "content" / "roadmap", "old.yml", STALE)
    result = run_roadmap("check", "--strict", "--now", "2026-11-23", cwd=site)
    assert result.returncode == 1
    assert result.stderr.endswith("1 warning(s), which --strict treats as errors.\n")


def test_a_field_name_cannot_start_a_line_of_its_own_in_the_log(site):
    # GitHub Actions reads `::error` and `::add-mask::` at the start of any log line as a
    # command; a field named with line breaks once printed such lines in `roadmap check`.
    write(site / "content" / "roadmap", "trap.yml",
          'title: Trap\nstatus: under-review\nopened_on: 2026-11-01\n'
          '"x\\n::error file=evil.yml::forged\\n::add-mask::everything": 1\n')
    for output in ("text", "github"):
        result = run_roadmap("check", "--now", NOW_TEXT, "--format", output, cwd=site)
        assert result.returncode == 1
        lines = (result.stdout + result.stderr).splitlines()
        assert [line for line in lines if line.startswith("::") and "trap.yml" not in line] == []
        assert not any(line.startswith(("::error file=evil", "::add-mask::")) for line in lines)
