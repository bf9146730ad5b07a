"""Unit tests at the seams between stages: decision files merged over GitHub issues, and git's
log read into each decision file's history. Small inputs, no build, no git process."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from roadmap.core import git as gitrev
from roadmap.sources import history
from roadmap.sources.github.issues import StatusMapping
from roadmap.sources.github.linking import GitHubIssues
from roadmap.sources.github.settings import GitHubSettings
from roadmap.sources.github.snapshot import RepoSnapshot, Snapshot
from roadmap.sources.merge import merge
from roadmap.sources.yamlfiles import parse_text

REPO = "acme/app"


def _issue(number: int, title: str, *, state: str = "open", reason: str | None = None,
           labels: tuple[str, ...] = ()) -> dict:
    return {"number": number, "title": title, "state": state, "state_reason": reason,
            "html_url": f"https://github.com/{REPO}/issues/{number}", "user": {"login": "asker"},
            "created_at": "2026-01-05T10:00:00Z", "closed_at": "2026-03-01T10:00:00Z" if state == "closed" else None,
            "labels": [{"name": name} for name in labels], "reactions": {"+1": 3}, "milestone": None,
            "body": "", "updated_at": "2026-03-01T10:00:00Z"}


def _github(*issues: dict, excluded: set[int] | None = None) -> GitHubIssues:
    stored = RepoSnapshot(synced_at="2026-11-23T00:00:00Z", high_water=None, etag=None,
                          issues={i["number"]: i for i in issues}, excluded=excluded or set())
    # The labels a site that sets none excludes (github.exclude_labels' default).
    return GitHubIssues(Snapshot("https://api.github.com", {REPO: stored}), (REPO,), StatusMapping(),
                        GitHubSettings().labels)


def _decision(name: str, text: str):
    record, problem = parse_text(name, Path(f"/roadmap/{name}.yml"), text)
    assert problem is None and record is not None
    return record


def test_a_decision_file_wins_over_its_issue_field_by_field_and_keeps_the_issue_id():
    decision = _decision("offline", "title: Work offline\nstatus: wont-fix\nreason: Too big.\ngithub: 7\n")
    records, problems = merge([decision], [_github(_issue(7, "offline pls"))])
    assert problems == []
    [record] = records
    assert record.id == "app-7"  # the issue's id, not the file's name: its page stays put
    assert record.data["title"] == "Work offline" and record.data["status"] == "wont-fix"
    assert record.data["author"] == "asker"  # taken from the issue: the file does not say
    assert "title" not in record.from_tracker and "author" in record.from_tracker
    assert record.path == Path("/roadmap/offline.yml") and record.issue.key == f"{REPO}#7"


def test_an_undecided_issue_is_listed_on_its_own_and_an_excluded_one_never():
    records, problems = merge([], [_github(_issue(1, "one"), _issue(2, "two", labels=("security",)))])
    assert [r.data["title"] for r in records] == ["one"]
    assert records[0].data["status"] == "under-review"
    assert problems == []


def test_a_file_naming_an_excluded_issue_is_a_warning_and_is_not_used():
    decision = _decision("secret", "title: Secret\nstatus: planned\ngithub: 2\n")
    # The snapshot keeps only the number of an excluded issue, never the issue.
    records, problems = merge([decision], [_github(excluded={2})])
    assert records == []
    assert [p.severity.value for p in problems] == ["warning"]
    assert "excluded label" in problems[0].message


def test_two_files_deciding_one_issue_is_an_error_naming_the_first():
    first = _decision("a", "title: A\nstatus: planned\ngithub: 3\n")
    second = _decision("b", "title: B\nstatus: planned\ngithub: 3\n")
    records, problems = merge([first, second], [_github(_issue(3, "three"))])
    assert len(records) == 1
    assert "already decided by a.yml" in problems[0].message and problems[0].path.name == "b.yml"


def test_a_typo_in_the_status_is_passed_on_as_written_for_the_validator_to_explain():
    decision = _decision("x", "title: X\nstatus: wontfix\ngithub: 4\n")
    [record], _ = merge([decision], [_github(_issue(4, "x", state="closed", reason="completed"))])
    assert record.data["status"] == "wontfix"


def test_duplicate_of_a_file_name_points_at_the_issue_that_file_decides():
    original = _decision("offline", "title: Offline\nstatus: planned\ngithub: 7\n")
    copy = _decision("copy", "title: Copy\nstatus: duplicate\nduplicate_of: offline\n")
    records, _ = merge([original, copy], [_github(_issue(7, "offline"))])
    assert {r.id: r.data.get("duplicate_of") for r in records}["copy"] == "app-7"


# -- git's log, read -----------------------------------------------------------------------

BLOB_A, BLOB_B, BLOB_C = "a" * 40, "b" * 40, "c" * 40


def test_the_raw_log_gives_each_change_with_its_day_kind_paths_and_blob():
    # As `git log --raw -z --format=%x00commit %cs` writes it (copied from git 2.39's output).
    text = ("\0commit 2026-01-02\0\n:000000 100644 " + "0" * 40 + f" {BLOB_A} A\0roadmap/x.yml\0"
            f"\0commit 2026-02-03\0\n:100644 100644 {BLOB_A} {BLOB_B} R100\0roadmap/x.yml\0roadmap/y.yml\0"
            f"\0commit 2026-03-04\0\n:100644 120000 {BLOB_B} {BLOB_C} T\0roadmap/y.yml\0"
            f"\0commit 2026-04-05\0\n:100644 000000 {BLOB_B} {'0' * 40} D\0roadmap/y.yml\0")
    revisions = list(gitrev._parse_raw_log(text))
    assert [(r.day, r.kind, r.path, r.old_path, r.blob) for r in revisions] == [
        (date(2026, 1, 2), "A", "roadmap/x.yml", None, BLOB_A),
        (date(2026, 2, 3), "R", "roadmap/y.yml", "roadmap/x.yml", BLOB_B),
        # 2026-03-04 made it a symbolic link: not a decision file, left out
        (date(2026, 4, 5), "D", "roadmap/y.yml", None, "0" * 40),
    ]


def _revision(day: str, kind: str, path: str, blob: str, old: str | None = None) -> gitrev.FileRevision:
    return gitrev.FileRevision(date.fromisoformat(day), kind, path, old, blob)


def test_a_rename_carries_the_story_and_a_deletion_ends_it():
    lineages = history._lineages([
        _revision("2026-01-01", "A", "r/x.yml", BLOB_A),
        _revision("2026-01-02", "A", "r/gone.yml", BLOB_A),
        _revision("2026-01-03", "R", "r/y.yml", BLOB_B, old="r/x.yml"),
        _revision("2026-01-04", "D", "r/gone.yml", "0" * 40),
        _revision("2026-01-05", "A", "r/notes.txt", BLOB_C),
    ])
    assert lineages == {"r/y.yml": [(date(2026, 1, 1), BLOB_A), (date(2026, 1, 3), BLOB_B)]}


def _state(text: str) -> history._State | None:
    return history._state(text.encode())


def test_the_first_version_is_the_baseline_and_later_ones_are_changes_of_one_revision():
    changes = history._changes([
        (date(2026, 1, 1), _state("title: X\nstatus: planned\ntarget: 2026-Q2\n")),
        (date(2026, 2, 1), _state("title: X\nstatus: planned\ntarget: 2026-Q3\n")),
        (date(2026, 3, 1), None),  # a revision that did not parse changes nothing
        (date(2026, 9, 1), _state("title: X\nstatus: fixed\nshipped_on: 2026-08-30\n")),
    ])
    assert [(c.day, c.field, c.before, c.after, c.revision, c.on) for c in changes] == [
        (date(2026, 1, 1), "created", None, "planned", 0, None),
        (date(2026, 2, 1), "target", "2026-Q2", "2026-Q3", 1, None),
        (date(2026, 9, 1), "status", "planned", "fixed", 2, date(2026, 8, 30)),
        (date(2026, 9, 1), "target", "2026-Q3", None, 2, None),
    ]


def test_a_revision_that_is_not_yaml_is_read_as_nothing():
    assert _state("title: [unclosed\n") is None
    assert history._state(b"\xff\xfe not utf-8") is None
