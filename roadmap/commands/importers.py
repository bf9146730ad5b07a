"""`roadmap import fider|canny FILE`: a hosted feedback tool's posts as decision files.

Each post of the export becomes one decision file in the decisions folder, named
`fider-<number>.yml` or `canny-<slug>.yml`, so importing the same export again finds
the files it wrote and skips them: an existing file is never overwritten. A row that
cannot be a decision (no title, a status the tool does not have, a date that is not
one) is skipped with a message naming its row and line, and nothing is written for it.

The exports are untrusted text like any issue: characters that cannot be published
are taken out, and every file is read back and judged as `roadmap check` judges it
before it is written; a post whose file check would refuse (a date still to come, a
file over check's size limit, a duplicate of a post that was skipped) is skipped and
named instead. A decline without a real reason gets a sentence saying so, which check
then warns about. Two posts marked as duplicates of each other are not written as a
cycle: the lower-numbered one is kept as the original (under review) and the note says so.

What a tool keeps private stays out unless `include_private` is given: Fider's backup
marks private tags (`is_public`) and posts awaiting moderation (`is_approved`); its
posts CSV marks neither, so its tags are imported and a note names them.

Limits: the export must be a regular file (not a FIFO or a device, which could block or
never end) of at most MAX_EXPORT_BYTES (64 MiB) and MAX_VALUES (2 million) cells; a backup
archive's tables may unpack to at most MAX_UNPACKED_BYTES (64 MiB) together. A file is
written to a temporary name in the decisions folder and linked into place only when
complete, so a full disk leaves no empty or half file.

Formats read:

- Fider's posts CSV (Site settings > Export > posts.csv): number, title, description,
  created_at, created_by, votes_count (older versions: total_votes), comments_count,
  status, responded_by, responded_at, response, original_number, original_title, tags;
  or Fider's backup archive (a zip of its tables as JSON: posts, users, tags,
  post_tags, post_votes), where a status is a number (0 open ... 6 deleted).
- Canny's posts CSV (Board > Export to CSV). Columns are matched by name, ignoring
  case, spaces and punctuation, with the names of Canny's post object as alternatives
  (title; details or description; status; votes or vote count; author or author name;
  created or created at; url; tags or category; eta; response or status comment).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from roadmap.core.dates import parse_target
from roadmap.core.model import Severity, Status
from roadmap.core.text import publishable
from roadmap.judge.imported_reasons import no_reason
from roadmap.judge.validate import MIN_REASON_CHARS, MIN_REASON_WORDS, to_item
from roadmap.sources.github.issues import MAX_AREA, MAX_NAME, MAX_TITLE
from roadmap.sources.yamlfiles import ID_PATTERN, MAX_FILE_BYTES, find_files, parse_text

SCHEMA_LINE = "# yaml-language-server: $schema=../../roadmap/schema/decision.schema.json\n"

FIDER_STATUSES = {
    "open": Status.UNDER_REVIEW,
    "planned": Status.PLANNED,
    "started": Status.PLANNED,
    "completed": Status.FIXED,
    "declined": Status.WONT_FIX,
    "duplicate": Status.DUPLICATE,
}
CANNY_STATUSES = {
    "open": Status.UNDER_REVIEW,
    "under review": Status.UNDER_REVIEW,
    "planned": Status.PLANNED,
    "in progress": Status.PLANNED,
    "complete": Status.FIXED,
    "closed": Status.WONT_FIX,
}
# Statuses that mean work has begun: the item shows as in progress.
STARTED = {"started", "in progress"}

# An export of tens of thousands of posts is a few megabytes; these bounds keep a hostile
# file (a zip bomb, /dev/zero) from exhausting memory.
MAX_EXPORT_BYTES = 64 * 1024 * 1024
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
# Python holds each CSV cell or JSON value in some fifty bytes or more, so a file of empty
# cells (",,,,") or empty objects ("[{},{},...]") grows twentyfold in memory: the number of
# cells and values is bounded too (a real export of 50,000 posts has under a million).
MAX_VALUES = 2_000_000
# Post numbers and vote counts beyond this many digits are not real (and Python refuses
# to read integers of more than 4,300 digits).
MAX_DIGITS = 15
# The line breaks str.splitlines and YAML see, but a CSV reader and a reader of the file
# do not: Go's CSV writer (Fider's) leaves them unquoted inside a field.
_LINE_SEPARATORS = str.maketrans({"\x85": "\n", "\u2028": "\n", "\u2029": "\n"})


class ExportUnreadable(Exception):
    """The export as a whole cannot be read; the message names the file."""


class ImportStopped(Exception):
    """The decisions folder cannot be written; the message names the folder or file."""


@dataclass(frozen=True)
class Skipped:
    where: str
    why: str


@dataclass
class Post:
    """One post, ready to be written as a decision file."""

    id: str
    where: str
    data: dict[str, Any]


@dataclass
class Export:
    """What a reader made of an export: the posts, the rows skipped, notes for the maintainer."""

    posts: list[Post]
    skipped: list[Skipped]
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    written: list[Path] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Set when writing failed part-way (a full disk): the sentence, naming the file.
    stopped: str | None = None


class _RowProblem(Exception):
    """This row cannot become a decision; the message says why."""


# -- reading ---------------------------------------------------------------------


def read_export(path: Path) -> bytes:
    """The export's bytes: a regular file, at most MAX_EXPORT_BYTES, read once.

    Opened without blocking and checked on the open file, so a FIFO never hangs the
    import and a device (/dev/zero) is refused before a byte is read.
    """
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as err:
        raise ExportUnreadable(f"{path}: cannot be read ({err.strerror or err})") from None
    with os.fdopen(handle, "rb") as export:
        mode = os.fstat(export.fileno()).st_mode
        if not stat.S_ISREG(mode):
            kind = "a named pipe" if stat.S_ISFIFO(mode) else "a device" \
                if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a folder" if stat.S_ISDIR(mode) \
                else "not a regular file"
            raise ExportUnreadable(f"{path}: is {kind}, not a file; save the export to a file and "
                                   "import that")
        try:
            data = export.read(MAX_EXPORT_BYTES + 1)
        except OSError as err:
            raise ExportUnreadable(f"{path}: cannot be read ({err.strerror or err})") from None
    if len(data) > MAX_EXPORT_BYTES:
        raise ExportUnreadable(f"{path}: is larger than the {MAX_EXPORT_BYTES // 2**20} MiB an export "
                               "may be; is this the right file?")
    return data


def _rows(path: Path, data: bytes) -> Iterator[tuple[str, dict[str, str]]]:
    """Each row with where it is ('row 3, line 4'), its columns keyed by normalised name."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise ExportUnreadable(f"{path}, line {line}: is not UTF-8 text (byte {err.start}); "
                               "save the export as UTF-8") from None
    if text.count(",") > 2 * MAX_VALUES:  # the csv module builds a whole row before it yields it
        raise ExportUnreadable(f"{path}: the export holds more than {2 * MAX_VALUES:,} commas, more "
                               "than an export of posts does; is this the right file?")
    # newline="": only CR and LF end a row, as in the CSV standard; str.splitlines would
    # also break rows at U+2028, U+0085 and form feeds inside a field.
    reader = csv.reader(io.StringIO(text, newline=""))
    # A field may be as long as the export (a description over check's limit is a skipped
    # post, not an unreadable file); the module's default stops at 128 KiB.
    limit = csv.field_size_limit(MAX_EXPORT_BYTES)
    try:
        yield from _read_rows(path, reader)
    finally:
        csv.field_size_limit(limit)


def _read_rows(path: Path, reader: Any) -> Iterator[tuple[str, dict[str, str]]]:
    try:
        header = next(reader)
    except StopIteration:
        raise ExportUnreadable(f"{path}: the file is empty; expected a CSV export with a header row") \
            from None
    except csv.Error as err:
        raise ExportUnreadable(f"{path}, line 1: not a CSV file ({err})") from None
    names = [_column(name) for name in header]
    number, cells = 0, len(header)
    while True:
        line = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise ExportUnreadable(f"{path}, line {line}: the CSV breaks off here ({err})") from None
        cells += len(values)
        if cells > MAX_VALUES:
            raise ExportUnreadable(f"{path}, line {line}: the export holds more than {MAX_VALUES:,} "
                                   "cells, more than an export of posts does; is this the right file?")
        if not any(v.strip() for v in values):
            continue
        number += 1
        yield f"{path.name}, row {number} (line {line})", dict(zip(names, values, strict=False))


def _column(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _first(row: Mapping[str, str], *names: str) -> str:
    for name in names:
        value = row.get(_column(name))
        if value is not None and value.strip():
            flat = value.replace("\r\n", "\n").replace("\r", "\n").translate(_LINE_SEPARATORS)
            return publishable(flat).strip()
    return ""


def _require_columns(path: Path, header: Mapping[str, str], needed: dict[str, tuple[str, ...]]) -> None:
    missing = [label for label, names in needed.items() if not any(_column(n) in header for n in names)]
    if missing:
        raise ExportUnreadable(f"{path}: no {', no '.join(missing)} column; is this the right export? "
                           f"(columns found: {', '.join(sorted(header)) or 'none'})")


def _day(value: str, column: str) -> str | None:
    """YYYY-MM-DD from an ISO 8601 date or time (the exports write RFC 3339), or None when empty."""
    if not value:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return date.fromisoformat(value).isoformat()
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        raise _RowProblem(f"{column} '{value[:40]}' is not a date (expected e.g. 2026-01-31 or "
                          "2026-01-31T09:00:00Z)") from None


def _count(value: str, column: str) -> int:
    if not value:
        return 0
    # ASCII digits only: str.isdigit also takes '²' and '١٢', which int() refuses or reads.
    if not re.fullmatch(f"[0-9]{{1,{MAX_DIGITS}}}", value):
        raise _RowProblem(f"{column} '{value[:40]}' is not a whole number")
    return int(value)


def _one_line(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _is_sentence(text: str) -> bool:
    flat = " ".join(text.split())
    return len(flat.split()) >= MIN_REASON_WORDS and len(flat) >= MIN_REASON_CHARS


def _areas(text: str) -> list[str]:
    areas: list[str] = []
    for part in text.split(","):
        area = " ".join(part.split())
        if area and len(area) <= MAX_AREA and area not in areas:
            areas.append(area)
    return sorted(areas, key=str.lower)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _status(value: str, table: Mapping[str, Status], tool: str) -> Status:
    key = " ".join(value.lower().replace("_", " ").replace("-", " ").split())
    if not key:
        raise _RowProblem("no status")
    if key not in table:
        raise _RowProblem(f"unknown status '{value[:40]}' (the statuses {tool} has: "
                          f"{', '.join(table)})")
    return table[key]


def _decision(tool: str, *, title: str, status: Status, raw_status: str, summary: str,
              opened_on: str | None, decided_on: str | None, author: str, votes: int, url: str,
              response: str, areas: list[str], duplicate_of: str | None = None,
              target: str | None = None) -> dict[str, Any]:
    """The decision file's fields, in the order a maintainer reads them."""
    title = _one_line(title, MAX_TITLE)
    if not title:
        raise _RowProblem("no title")
    if opened_on is None:
        raise _RowProblem("no creation date")
    data: dict[str, Any] = {"title": title, "status": status.value}
    if summary:
        data["summary"] = summary
    if areas:
        data["areas"] = areas
    data["opened_on"] = opened_on
    if decided_on and status is not Status.UNDER_REVIEW and decided_on >= opened_on:
        data["decided_on"] = decided_on
    if author:
        data["author"] = _one_line(author, MAX_NAME)
    data["votes"] = votes
    if re.fullmatch(r"https?://\S+", url):
        data["url"] = url
    if status is Status.PLANNED:
        if raw_status.lower().replace("_", " ") in STARTED and decided_on:
            data["started_on"] = max(decided_on, opened_on)
        if target:
            data["target"] = target
    if status is Status.FIXED and decided_on and decided_on >= opened_on:
        data["shipped_on"] = decided_on
    if status is Status.WONT_FIX:
        data["reason"] = response if _is_sentence(response) else no_reason(tool, response)
    if status is Status.DUPLICATE:
        data["duplicate_of"] = duplicate_of
    return data


# -- Fider -----------------------------------------------------------------------


# Fider stores a post's status as a number (enum.PostStatus); its backup keeps that number.
FIDER_STATUS_NUMBERS = {"0": "open", "1": "started", "2": "completed", "3": "declined",
                        "4": "planned", "5": "duplicate", "6": "deleted"}
# A row key no CSV header can give (_column keeps letters and digits only): why a backup
# row cannot be used, found while turning its JSON into the CSV's columns.
_UNUSABLE = "!unusable"


def read_fider(path: Path, include_private: bool = False) -> Export:
    data = read_export(path)
    notes: list[str] = []
    if zipfile.is_zipfile(io.BytesIO(data)):
        rows = list(_backup_rows(path, data, include_private))
    else:
        rows = list(_rows(path, data))
        tags = sorted({t for _, row in rows for t in _areas(_first(row, "tags"))}, key=str.lower)
        if tags and not include_private:
            notes.append(f"{path.name}: Fider's posts CSV does not say which tags are private or which "
                         f"posts await moderation; these tags became areas: {', '.join(tags)[:300]}. "
                         "Import Fider's backup archive instead to leave private ones out")
    if rows:
        _require_columns(path, rows[0][1], {"number": ("number",), "title": ("title",),
                                            "status": ("status",)})
    posts: list[Post] = []
    skipped: list[Skipped] = []
    numbers = {_number_or_none(_first(row, "number")) for _, row in rows}
    for where, row in rows:
        try:
            if row.get(_UNUSABLE):
                raise _RowProblem(row[_UNUSABLE])
            number = _post_number(_first(row, "number"))
            raw_status = FIDER_STATUS_NUMBERS.get(_first(row, "status"), _first(row, "status"))
            if raw_status == "deleted":
                raise _RowProblem("deleted in Fider")
            status = _status(raw_status, FIDER_STATUSES, "Fider")
            original = _first(row, "original_number")
            if status is Status.DUPLICATE:
                original = _post_number(original, "original_number") if original else ""
                if original not in numbers:
                    raise _RowProblem(f"a duplicate of post {original or '(not given)'}, which is not "
                                      "in this export")
            data_ = _decision(
                "Fider", title=_first(row, "title"), status=status, raw_status=raw_status,
                summary=_first(row, "description"),
                opened_on=_day(_first(row, "created_at"), "created_at"),
                decided_on=_day(_first(row, "responded_at"), "responded_at"),
                author=_first(row, "created_by"),
                votes=_count(_first(row, "votes_count", "total_votes"), "votes_count"),
                url="", response=_first(row, "response"), areas=_areas(_first(row, "tags")),
                duplicate_of=f"fider-{original}" if original else None,
            )
        except _RowProblem as problem:
            skipped.append(Skipped(where, str(problem)))
            continue
        posts.append(Post(f"fider-{number}", where, data_))
    return Export(posts, skipped, notes)


def _post_number(value: str, column: str = "number") -> str:
    """A post number as ASCII digits without leading zeros (the file name is made from it)."""
    if not value:
        raise _RowProblem("no number" if column == "number" else f"no {column}")
    if not re.fullmatch(f"[0-9]{{1,{MAX_DIGITS}}}", value):
        raise _RowProblem(f"{column} '{value[:40]}' is not a post number")
    return str(int(value))


def _number_or_none(value: str) -> str | None:
    try:
        return _post_number(value)
    except _RowProblem:
        return None


def _backup_rows(path: Path, data: bytes, include_private: bool) -> Iterator[tuple[str, dict[str, str]]]:
    """The posts of Fider's backup archive (Site settings > Export > backup: a zip of its
    tables as JSON), as rows with the posts CSV's columns."""
    budget = [MAX_UNPACKED_BYTES]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            tables = {name: _table(archive, path, name, budget)
                      for name in ("posts", "users", "tags", "post_tags", "post_votes")}
    except (OSError, zipfile.BadZipFile, EOFError) as err:
        raise ExportUnreadable(f"{path}: the archive cannot be read ({err})") from None
    if not tables["posts"]:
        raise ExportUnreadable(f"{path}: no posts.json in the archive; is this Fider's backup?")
    names = _lookup(tables["users"], "name")
    numbers = _lookup(tables["posts"], "number")
    # A backup made before Fider had private tags has no is_public: all its tags were public.
    public = {key for row in tables["tags"] if (key := _key(row.get("id"))) is not None
              and ("is_public" not in row or row["is_public"] is True)}
    tag_names = {key: value for key, value in _lookup(tables["tags"], "name").items()
                 if include_private or key in public}
    tags: dict[Any, list[str]] = {}
    for link in tables["post_tags"]:
        name = tag_names.get(_key(link.get("tag_id")))
        if isinstance(name, str) and _key(link.get("post_id")) is not None:
            tags.setdefault(_key(link.get("post_id")), []).append(name)
    votes: dict[Any, int] = {}
    for vote in tables["post_votes"]:
        key = _key(vote.get("post_id"))
        votes[key] = votes.get(key, 0) + 1
    for index, post in enumerate(tables["posts"], start=1):
        key = _key(post.get("id"))
        row = {
            "number": post.get("number"), "title": post.get("title"),
            "description": post.get("description"), "createdat": post.get("created_at"),
            "createdby": names.get(_key(post.get("user_id"))),
            "votescount": votes.get(key, 0) if key is not None else 0,
            "status": post.get("status"), "respondedat": post.get("response_date"),
            "response": post.get("response"),
            "originalnumber": numbers.get(_key(post.get("original_id"))),
            "tags": ", ".join(t for t in tags.get(key, []) if t) if key is not None else "",
        }
        shown = {k: _scalar(v) for k, v in row.items()}
        odd = [k for k, v in row.items() if shown[k] is None]
        number = shown["number"] if shown["number"] is not None else ""
        where = f"posts.json, post {index} (number {number[:20] or 'missing'})"
        usable = {k: v or "" for k, v in shown.items()}
        if odd:
            usable[_UNUSABLE] = f"{odd[0]} is {type(row[odd[0]]).__name__}, not text or a number"
        elif "is_approved" in post and post.get("is_approved") is not True and not include_private:
            usable[_UNUSABLE] = ("awaiting moderation in Fider (not approved); --include-private "
                                 "imports it")
        yield where, usable


def _key(value: Any) -> int | str | None:
    """An id usable as a key: Fider's are numbers; anything else (a list, true) links nothing."""
    return value if type(value) in (int, str) else None


def _scalar(value: Any) -> str | None:
    """A JSON value as the CSV would hold it; None for a list, an object or true/false."""
    if value is None:
        return ""
    if type(value) in (str, int, float):
        return str(value)
    return None


def _lookup(table: list[dict[str, Any]], column: str) -> dict[Any, Any]:
    return {key: row.get(column) for row in table if (key := _key(row.get("id"))) is not None}


def _table(archive: zipfile.ZipFile, path: Path, name: str, budget: list[int]) -> list[dict[str, Any]]:
    """One table of the archive, unpacked within what is left of the budget."""
    try:
        info = archive.getinfo(f"{name}.json")
    except KeyError:
        return []
    where = f"{path}: {name}.json in the archive"
    try:
        with archive.open(info) as member:
            raw = member.read(budget[0] + 1)
    except NotImplementedError as err:  # a RuntimeError too, so first
        raise ExportUnreadable(f"{where} is compressed in a way that cannot be read ({err}); "
                               "export the backup again, or re-zip it with plain deflate") from None
    except RuntimeError:  # zipfile's words for an encrypted entry
        raise ExportUnreadable(f"{where} is encrypted; export the backup again without a "
                               "password") from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as err:
        raise ExportUnreadable(f"{where} is damaged ({err})") from None
    if len(raw) > budget[0]:
        raise ExportUnreadable(f"{where} unpacks to more than the {MAX_UNPACKED_BYTES // 2**20} MiB "
                               "a backup's tables may hold together; is this Fider's backup?")
    budget[0] -= len(raw)
    if raw.count(b",") + raw.count(b"[") > MAX_VALUES:
        raise ExportUnreadable(f"{where} holds more than {MAX_VALUES:,} values, more than a backup "
                               "of posts does; is this Fider's backup?")
    try:
        data = json.loads(raw)
    except RecursionError:
        raise ExportUnreadable(f"{where} is nested too deeply to be a table") from None
    except ValueError as err:
        raise ExportUnreadable(f"{where} is not JSON ({err})") from None
    return [row for row in data if isinstance(row, dict)] if isinstance(data, list) else []


# -- Canny -----------------------------------------------------------------------


def read_canny(path: Path, include_private: bool = False) -> Export:
    rows = list(_rows(path, read_export(path)))
    if rows:
        _require_columns(path, rows[0][1], {"title": ("title",), "status": ("status",)})
    posts: list[Post] = []
    skipped: list[Skipped] = []
    taken: set[str] = set()
    for where, row in rows:
        try:
            raw_status = _first(row, "status")
            status = _status(raw_status, CANNY_STATUSES, "Canny")
            title = _first(row, "title")
            url = _first(row, "url", "post url", "link")
            data = _decision(
                "Canny", title=title, status=status, raw_status=raw_status,
                summary=_first(row, "details", "description"),
                opened_on=_day(_first(row, "created", "created at", "date"), "created"),
                decided_on=_day(_first(row, "status changed at", "status changed", "closed at",
                                       "completed at"), "status changed at"),
                author=_first(row, "author", "author name", "created by"),
                votes=_count(_first(row, "votes", "vote count", "votecount"), "votes"),
                url=url, response=_first(row, "response", "status comment", "status update"),
                areas=_areas(",".join(filter(None, [_first(row, "tags"), _first(row, "category")]))),
                target=_target(_first(row, "eta")),
            )
        except _RowProblem as problem:
            skipped.append(Skipped(where, str(problem)))
            continue
        # Canny's address ends in the post's slug, which stays when the title is edited.
        slug = _slug(url.rstrip("/").rsplit("/", 1)[-1]) if url else ""
        slug = (slug or _slug(title))[:60].strip("-") or "post"
        name, count = f"canny-{slug}", 2
        while name in taken:
            name, count = f"canny-{slug}-{count}", count + 1
        taken.add(name)
        posts.append(Post(name, where, data))
    return Export(posts, skipped)


def _target(eta: str) -> str | None:
    """Canny's ETA as the month check reads: its CSV writes MM/YYYY (06/2027), its API a time."""
    month = re.fullmatch(r"(0?[1-9]|1[0-2])/([0-9]{4})", eta)
    if month:
        text = f"{month[2]}-{int(month[1]):02d}"
    else:
        iso = re.match(r"([0-9]{4})-([0-9]{2})(?:-[0-9]{2})?(?:[T ]|$)", eta)
        if not iso:
            return None  # not a month: a milestone name made from it would never be missed
        text = f"{iso[1]}-{iso[2]}"
    try:
        parse_target(text)
    except ValueError:
        return None
    return text


READERS: dict[str, Callable[[Path, bool], Export]] = {
    "fider": read_fider,
    "canny": read_canny,
}


# -- writing ---------------------------------------------------------------------


# libyaml's emitter is some ten times faster than PyYAML's, which matters at tens of
# thousands of posts; every file is read back and judged before it is written either way.
class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Writes text of several lines as a block (`summary: |`), as a maintainer would."""


def _text(dumper: Any, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value and not value.endswith(" ") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def import_export(tool: str, export: Path, decisions_dir: Path, now: date,
                  include_private: bool = False) -> ImportReport:
    """Write one decision file per usable post; never overwrite, and say what was skipped.

    Only files `roadmap check` (judging on `now`) accepts are written; a post that would
    make one it refuses is skipped and named.
    """
    read = READERS[tool](export, include_private)
    report = ImportReport(skipped=list(read.skipped), notes=list(read.notes))
    _make_folder(decisions_dir)
    existing = {path.stem: path for path in find_files(decisions_dir)}
    ready: dict[str, tuple[Post, str]] = {}
    for post in _without_cycles(read.posts, report):
        if post.id in existing:
            report.skipped.append(Skipped(post.where, f"{existing[post.id]} exists already; it was "
                                                      "left as it is"))
        elif post.id in ready:
            report.skipped.append(Skipped(post.where, f"{post.id} comes twice in the export; the first "
                                                      f"({ready[post.id][0].where}) was taken"))
        else:
            why, text = _file_text(post, decisions_dir, now)
            if why:
                report.skipped.append(Skipped(post.where, why))
            else:
                ready[post.id] = (post, text)
    for post_id in _orphaned_duplicates(ready, existing):
        post, _ = ready.pop(post_id)
        original = post.data["duplicate_of"]
        report.skipped.append(Skipped(post.where, f"a duplicate of {original}, which was skipped "
                                                  "(a duplicate cannot name an item that does not exist)"))
    for post, text in ready.values():
        target = decisions_dir / f"{post.id}.yml"
        try:
            _write_new(target, text.encode("utf-8"))
        except FileExistsError:
            report.skipped.append(Skipped(post.where, f"{target} exists already; it was left as it is"))
        except OSError as err:
            report.stopped = (f"{target}: could not be written ({err.strerror or err}); nothing was "
                              f"written for {post.where} or the posts after it")
            break
        else:
            report.written.append(target)
    return report


def _make_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise ImportStopped(f"{folder}: the decisions folder is a file, not a folder; move the file "
                            "or set decisions_dir in mkdocs.yml")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ImportStopped(f"{folder}: the decisions folder cannot be made ({err.strerror or err})") \
            from None


def _without_cycles(posts: list[Post], report: ImportReport) -> list[Post]:
    """Posts marked duplicates of each other (or of themselves) would be a cycle check refuses:
    in each cycle the first post of the export is kept as the original, under review.
    Each post is walked once, so a chain of thousands of duplicates costs no more than a list."""
    by_id = {post.id: post for post in posts}
    order = {post.id: index for index, post in enumerate(posts)}
    done: set[str] = set()
    for post in posts:
        path: list[str] = []
        current: Post | None = post
        while current is not None and current.id not in done and current.id not in path:
            path.append(current.id)
            original = current.data.get("duplicate_of")
            current = by_id.get(original) if original else None
        done.update(path)
        if current is None or current.id not in path:
            continue
        cycle = path[path.index(current.id):]
        keep = by_id[min(cycle, key=order.__getitem__)]
        others = [i for i in cycle if i != keep.id]
        for name in ("duplicate_of", "decided_on"):
            keep.data.pop(name, None)
        keep.data["status"] = Status.UNDER_REVIEW.value
        said = f"with {', '.join(others[:5])}" if others else "with itself"
        report.notes.append(f"{keep.where}: {keep.id} is marked as a duplicate in a cycle {said}; it "
                            "is written as the original, under review: give it the status it has")
    return posts


def _orphaned_duplicates(ready: dict[str, tuple[Post, str]], existing: Mapping[str, Path]) -> list[str]:
    """Duplicates whose original will not exist (it was skipped), following chains; each post
    is walked once. Cycles were broken before, so every chain ends."""
    fate: dict[str, bool] = {}  # id -> whether its file will exist
    for start in ready:
        path: list[str] = []
        current: str | None = start
        while current is not None and current not in fate:
            if current not in ready:
                fate[current] = current in existing
                break
            path.append(current)
            current = ready[current][0].data.get("duplicate_of")
        ends_well = True if current is None else fate[current]
        for post_id in path:
            fate[post_id] = ends_well
    return [post_id for post_id in ready if not fate[post_id]]


def _file_text(post: Post, folder: Path, now: date) -> tuple[str | None, str]:
    """The file's text, or why check would refuse it: read back and judged as check does."""
    if not ID_PATTERN.fullmatch(post.id):
        return f"'{post.id[:60]}' cannot be a file name (lowercase letters, digits and hyphens)", ""
    text = SCHEMA_LINE + yaml.dump(post.data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                                   width=100)
    size = len(text.encode("utf-8"))
    if size > MAX_FILE_BYTES:
        return (f"its file would be {size:,} bytes, more than the {MAX_FILE_BYTES // 1024} KiB a "
                "decision file may be (its description or response is too long); shorten it in the "
                "export or write the file by hand"), ""
    path = folder / f"{post.id}.yml"
    record, problem = parse_text(post.id, path, text)
    if problem is not None or record is None:
        return f"its file would not read back: {problem.message if problem else 'empty'}", ""
    if record.data != post.data:
        return "its text does not read back as written", ""
    errors = [p for p in to_item(record, now).problems if p.severity is Severity.ERROR]
    if errors:
        first = errors[0]
        return f"{first.field or 'the file'}: {first.message} (check would refuse its file)", ""
    return None, text


def _write_new(target: Path, data: bytes) -> None:
    """Write the file under a temporary name, then link it into place: a full disk leaves no
    empty or half file, and an existing file is never replaced (FileExistsError).

    No fsync: it cost six milliseconds a file (five minutes for 50,000 posts), and a write
    that fails for want of space fails here, before the link, which is what this guards.
    """
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(handle, 0o666 & ~_umask())  # mkstemp makes 0600; a decision file follows the umask
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view):]
        os.close(handle)
        handle = -1
        try:
            os.link(temporary, target)
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links
            if target.exists() or target.is_symlink():
                raise FileExistsError(str(target)) from None
            os.rename(temporary, target)
    finally:
        if handle >= 0:
            os.close(handle)
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
