"""`roadmap import` against hostile exports (issue 27): every file it writes passes
`roadmap check`, every refusal is one sentence naming the export and the post or field,
and no export can hang it, exhaust memory or leave a half-written file.

The exports are built here the way tests/commands/test_imports.py's fixtures are:
Fider's posts CSV with the columns its exporter writes, Canny's posts CSV, and Fider's
backup (a zip of its tables as JSON, with `is_public` on tags and `is_approved` on posts).
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import struct
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import NOW_TEXT, ROOT, run_roadmap, write

EXPORTS = ROOT / "tests" / "fixtures" / "imports"

FIDER_HEADER = ["number", "title", "description", "created_at", "created_by", "votes_count",
                "comments_count", "status", "responded_by", "responded_at", "response",
                "original_number", "original_title", "tags"]


def fider_csv(folder: Path, rows: list[dict[str, str]], name: str = "posts.csv") -> Path:
    """A posts CSV as Fider's Go exporter writes it: LF line ends, and U+2028 or U+0085
    inside a field left unquoted (Go's encoding/csv quotes only CR, LF, quotes and commas)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIDER_HEADER)
    for row in rows:
        writer.writerow([row.get(column, "") for column in FIDER_HEADER])
    path = folder / name
    path.write_text(out.getvalue(), "utf-8")
    return path


def post(number: str, title: str, status: str = "open", **fields: str) -> dict[str, str]:
    return {"number": number, "title": title, "status": status,
            "created_at": "2025-03-02T10:15:00Z", "created_by": "Ana", "votes_count": "1", **fields}


def decisions(site: Path) -> dict[str, dict]:
    folder = site / "content" / "roadmap"
    return {p.stem: yaml.safe_load(p.read_text("utf-8")) for p in sorted(folder.glob("*.yml"))}


def check_passes(site: Path) -> str:
    """`roadmap check` on what the import wrote: exit 0, and what it warned about."""
    result = run_roadmap("check", "--now", NOW_TEXT, cwd=site)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stderr


def no_leftovers(site: Path) -> list[str]:
    """Every file in the decisions folder: no temporary, empty or half file may stay."""
    return sorted(p.name for p in (site / "content" / "roadmap").iterdir())


def test_a_hostile_fider_export_writes_only_files_check_accepts(site: Path, tmp_path: Path) -> None:
    export = fider_csv(tmp_path, [
        # U+2028 and U+0085 inside the first post: one post, not two, and no false "no status column".
        post("1", "Dark theme", description="Too bright\u2028at night.\x85Please.", tags="ui"),
        post("\u0661\u0662", "Arabic-Indic digits make no file name"),
        post("\u00b2", "A superscript is not a number"),
        post("3", "Votes in superscript", votes_count="\u00b2"),
        post("4", "A description beyond the file limit", description="x" * 70_000),
        post("5", ""),  # no title: skipped, and so is its duplicate below
        post("6", "Duplicate of a skipped post", "duplicate", original_number="5",
             responded_at="2025-03-10T09:00:00Z"),
        post("7", "Duplicate of itself", "duplicate", original_number="7",
             responded_at="2025-03-10T09:00:00Z"),
        post("8", "Merged into 9", "duplicate", original_number="9", responded_at="2025-03-10T09:00:00Z"),
        post("9", "Merged into 8", "duplicate", original_number="8", responded_at="2025-03-11T09:00:00Z"),
        post("10", "From the future", created_at="2999-01-01T00:00:00Z"),
        post("11", "Decided in the future", "planned", responded_at="2999-01-01T00:00:00Z"),
        post("1", "The same number again"),
        post("9" * 5000, "A number of 5,000 digits"),
    ])
    result = run_roadmap("import", "fider", str(export), "--now", NOW_TEXT, cwd=site)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    warnings = check_passes(site)
    files = decisions(site)
    assert sorted(files) == ["fider-1", "fider-7", "fider-8", "fider-9"]
    assert files["fider-1"]["summary"] == "Too bright\nat night.\nPlease."
    assert files["fider-1"]["areas"] == ["ui"]
    # A cycle of merges is kept as one original and its duplicate, never two duplicates.
    assert (files["fider-8"]["status"], files["fider-9"]["duplicate_of"]) == ("under-review", "fider-8")
    assert files["fider-7"]["status"] == "under-review" and "duplicate_of" not in files["fider-7"]
    err = result.stderr
    assert "posts.csv, row 2 (line 3): number '\u0661\u0662' is not a post number" in err
    assert "posts.csv, row 3 (line 4): number '\u00b2' is not a post number" in err
    assert "row 5 (line 6): its file would be " in err and "more than the 64 KiB" in err
    assert "row 7 (line 8): a duplicate of fider-5, which was skipped" in err
    assert "row 11 (line 12): opened_on: 2999-01-01 is after the day the roadmap is judged on" in err
    assert "row 12 (line 13): decided_on: 2999-01-01 is after the day" in err
    assert "row 13 (line 14): fider-1 comes twice in the export; the first (posts.csv, row 1 (line 2))" \
        in err
    assert "row 14 (line 15): number '99999" in err
    assert "fider-8 is marked as a duplicate in a cycle with fider-9" in err
    assert "fider-7 is marked as a duplicate in a cycle with itself" in err
    assert "row 4 (line 5): votes_count '\u00b2' is not a whole number" in err
    assert files["fider-1"]["title"] == "Dark theme"
    assert "4 decision files written, 10 posts skipped." in result.stdout
    assert "cannot be published" not in warnings and "error" not in warnings.lower()
    assert no_leftovers(site) == [f"{name}.yml" for name in sorted(files)]


def test_canny_eta_as_its_csv_writes_it_becomes_a_month(site: Path, tmp_path: Path) -> None:
    export = write(tmp_path, "canny.csv", """
        Title,Details,Status,Votes,Author Name,Created,ETA,URL
        Single sign-on,,planned,3,Tom,2025-04-18T09:01:00.000Z,06/2027,https://a.canny.io/f/p/sso
        Audit log,,in progress,3,Tom,2025-04-18T09:01:00.000Z,6/2027,https://a.canny.io/f/p/audit
        Roles,,planned,3,Tom,2025-04-18T09:01:00.000Z,13/2027,https://a.canny.io/f/p/roles
        """)
    result = run_roadmap("import", "canny", str(export), cwd=site)
    assert result.returncode == 0, result.stderr
    files = decisions(site)
    assert files["canny-sso"]["target"] == "2027-06"
    assert files["canny-audit"]["target"] == "2027-06"
    assert "target" not in files["canny-roles"]  # not a month: no target rather than a milestone
    warnings = check_passes(site)
    assert "reads like a date" not in warnings


def backup(folder: Path, tables: dict[str, object], name: str = "backup.zip") -> Path:
    path = folder / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for table, rows in tables.items():
            out.writestr(f"{table}.json", rows if isinstance(rows, (bytes, str)) else json.dumps(rows))
    return path


def fider_tables() -> dict[str, object]:
    return {name: json.loads((EXPORTS / "fider-backup" / f"{name}.json").read_text("utf-8"))
            for name in ("posts", "users", "tags", "post_tags", "post_votes")}


def test_private_tags_and_posts_awaiting_moderation_stay_out_unless_asked(
        site: Path, tmp_path: Path) -> None:
    tables = fider_tables()
    tables["tags"][1]["is_public"] = False  # type: ignore[index]  # "themes" is private
    tables["posts"][0]["is_approved"] = True  # type: ignore[index]
    tables["posts"][4]["is_approved"] = False  # type: ignore[index]  # post 5 awaits moderation
    archive = backup(tmp_path, tables)
    result = run_roadmap("import", "fider", str(archive), cwd=site)
    assert result.returncode == 0, result.stderr
    files = decisions(site)
    assert files["fider-1"]["areas"] == ["UI"]
    assert "fider-5" not in files
    assert "posts.json, post 5 (number 5): awaiting moderation in Fider" in result.stderr
    check_passes(site)

    again = tmp_path / "again"
    write(again, "mkdocs.yml", (site / "mkdocs.yml").read_text("utf-8"))
    (again / "content").mkdir()
    result = run_roadmap("import", "fider", str(archive), "--include-private", cwd=again)
    assert result.returncode == 0, result.stderr
    files = decisions(again)
    assert files["fider-1"]["areas"] == ["themes", "UI"] and "fider-5" in files


def test_fider_posts_csv_names_the_tags_it_cannot_tell_are_private(site: Path) -> None:
    result = run_roadmap("import", "fider", str(EXPORTS / "fider-posts.csv"), cwd=site)
    assert "does not say which tags are private" in result.stderr
    assert "these tags became areas: sync, themes, ui." in result.stderr


def test_backup_rows_with_odd_id_types_are_skipped_by_name(site: Path, tmp_path: Path) -> None:
    tables = fider_tables()
    posts = tables["posts"]
    posts[0]["id"] = [101]  # type: ignore[index]  # an unhashable id links nothing
    posts[1]["number"] = {"n": 2}  # type: ignore[index]
    posts[2]["title"] = ["A", "list"]  # type: ignore[index]
    posts[4]["number"] = True  # type: ignore[index]
    tables["post_tags"].append({"post_id": {"x": 1}, "tag_id": [21]})  # type: ignore[union-attr]
    tables["users"].append({"id": [11], "name": "Nobody"})  # type: ignore[union-attr]
    result = run_roadmap("import", "fider", str(backup(tmp_path, tables)), cwd=site)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "post 2 (number missing): number is dict, not text or a number" in result.stderr
    assert "post 3 (number 3): title is list, not text or a number" in result.stderr
    assert "post 5 (number missing): number is bool, not text or a number" in result.stderr
    assert sorted(decisions(site)) == ["fider-1"]
    check_passes(site)


def _patched(archive: Path, offset_in_central: int, value: int, offset_in_local: int | None = None) -> None:
    """Set a 16-bit field of the first entry's central (and local) header."""
    data = bytearray(archive.read_bytes())
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<H", data, central + offset_in_central, value)
    if offset_in_local is not None:
        struct.pack_into("<H", data, data.index(b"PK\x03\x04") + offset_in_local, value)
    archive.write_bytes(bytes(data))


@pytest.mark.parametrize(("case", "said"), [
    ("encrypted", "posts.json in the archive is encrypted; export the backup again without a password"),
    ("compression", "posts.json in the archive is compressed in a way that cannot be read"),
    ("deep", "posts.json in the archive is nested too deeply to be a table"),
    ("bomb", "posts.json in the archive unpacks to more than the 64 MiB"),
    ("values", "posts.json in the archive holds more than 2,000,000 values"),
])
def test_a_broken_backup_is_one_sentence_naming_file_and_table(
        site: Path, tmp_path: Path, case: str, said: str) -> None:
    if case == "bomb":  # some 100 KB of zip unpacking to 96 MiB, over the 64 MiB bound
        archive = tmp_path / "backup.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out, \
                out.open("posts.json", "w", force_zip64=True) as member:
            chunk = b" " * 2**20
            for _ in range(96):
                member.write(chunk)
    else:
        body = {"deep": "[" * 100_000 + "]" * 100_000, "values": "[" + "0," * 2_000_001 + "0]"}
        archive = backup(tmp_path, {"posts": body.get(case, "[]")})
    if case == "encrypted":
        _patched(archive, 8, 0x1)  # general purpose flag bit 0: encrypted
    if case == "compression":
        _patched(archive, 10, 99, 8)  # method 99: AES, which zipfile cannot read
    result = run_roadmap("import", "fider", str(archive), cwd=site)
    assert result.returncode == 1
    assert f"{archive}: {said}" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert no_leftovers(site) == []


def test_a_fifo_or_a_device_is_refused_before_it_is_read(site: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "export.csv"
    os.mkfifo(fifo)  # nobody writes to it: opening it for reading would block forever
    result = run_roadmap("import", "canny", str(fifo), cwd=site)
    assert result.returncode == 1
    assert f"{fifo}: is a named pipe, not a file; save the export to a file" in result.stderr
    zero = run_roadmap("import", "fider", "/dev/zero", cwd=site)
    assert zero.returncode == 1
    assert "/dev/zero: is a device, not a file" in zero.stderr


def test_an_export_over_the_limit_is_refused_by_size(site: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    with big.open("wb") as out:
        out.truncate(64 * 2**20 + 1)  # sparse: no disk used
    result = run_roadmap("import", "canny", str(big), cwd=site)
    assert result.returncode == 1
    assert f"{big}: is larger than the 64 MiB an export may be" in result.stderr


def test_a_decisions_folder_that_is_a_file_is_a_sentence(site: Path) -> None:
    folder = site / "content" / "roadmap"
    folder.rmdir()
    folder.write_text("not a folder\n", "utf-8")
    result = run_roadmap("import", "fider", str(EXPORTS / "fider-posts.csv"), cwd=site)
    assert result.returncode == 1
    assert "content/roadmap: the decisions folder is a file, not a folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_full_disk_leaves_no_empty_or_half_file(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second file's write fails half-way with ENOSPC, as on a full disk."""
    real_write = os.write
    calls = {"n": 0}

    def write_until_full(fd: int, data: bytes | memoryview) -> int:
        calls["n"] += 1
        if calls["n"] == 2:
            return real_write(fd, bytes(data)[: len(data) // 2])
        if calls["n"] >= 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr("roadmap.commands.importers.os.write", write_until_full)
    result = run_roadmap("import", "fider", str(EXPORTS / "fider-posts.csv"), cwd=site)
    monkeypatch.undo()
    assert result.returncode == 1
    assert "content/roadmap/fider-2.yml: could not be written (No space left on device)" in result.stderr
    assert "1 decision file written before it, all complete." in result.stderr
    assert "Traceback" not in result.stderr
    assert no_leftovers(site) == ["fider-1.yml"]
    assert yaml.safe_load((site / "content" / "roadmap" / "fider-1.yml").read_text("utf-8"))["votes"] == 42
    check_passes(site)


def test_a_csv_of_millions_of_empty_cells_is_refused_before_it_is_built(site: Path, tmp_path: Path) -> None:
    export = tmp_path / "cells.csv"
    export.write_text("title,status\n" + "," * 4_000_001, "utf-8")  # 4 MB: one row, 4 million cells
    result = run_roadmap("import", "canny", str(export), cwd=site)
    assert result.returncode == 1
    assert f"{export}: the export holds more than 4,000,000 commas" in result.stderr
