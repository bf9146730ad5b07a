"""`roadmap import fider|canny FILE`: a hosted feedback tool's posts as decision files.

Each post of the export becomes one decision file in the decisions folder, named
`fider-<number>.yml` or `canny-<slug>.yml`, so importing the same export again finds
the files it wrote and skips them: an existing file is never overwritten. A row that
cannot be a decision (no title, a status the tool does not have, a date that is not
one) is skipped with a message naming its row and line, and nothing is written for it.

The exports are untrusted text like any issue: characters that cannot be published
are taken out, and the files written pass `roadmap check` (a decline without a real
reason gets a sentence saying so, which check then warns about).

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
import json
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from roadmap.core.dates import parse_target
from roadmap.core.model import Status
from roadmap.core.text import publishable
from roadmap.judge.imported_reasons import no_reason
from roadmap.judge.validate import MIN_REASON_CHARS, MIN_REASON_WORDS
from roadmap.sources.github.issues import MAX_AREA, MAX_NAME, MAX_TITLE

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


class ExportUnreadable(Exception):
    """The export as a whole cannot be read; the message names the file."""


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
class ImportReport:
    written: list[Path] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


class _RowProblem(Exception):
    """This row cannot become a decision; the message says why."""


# -- reading ---------------------------------------------------------------------


def _rows(path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """Each row with where it is ('row 3, line 4'), its columns keyed by normalised name."""
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise ExportUnreadable(f"{path}: cannot be read ({getattr(err, 'strerror', None) or err})") from None
    reader = csv.reader(text.splitlines(keepends=True))
    try:
        header = next(reader)
    except StopIteration:
        raise ExportUnreadable(f"{path}: the file is empty; expected a CSV export with a header row") \
            from None
    except csv.Error as err:
        raise ExportUnreadable(f"{path}, line 1: not a CSV file ({err})") from None
    names = [_column(name) for name in header]
    number = 0
    while True:
        line = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise ExportUnreadable(f"{path}, line {line}: the CSV breaks off here ({err})") from None
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
            return publishable(value).strip()
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
    if not value.isdigit():
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
    if not title:
        raise _RowProblem("no title")
    if opened_on is None:
        raise _RowProblem("no creation date")
    data: dict[str, Any] = {"title": _one_line(title, MAX_TITLE), "status": status.value}
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


def read_fider(path: Path) -> tuple[list[Post], list[Skipped]]:
    posts: list[Post] = []
    skipped: list[Skipped] = []
    rows = list(_backup_rows(path) if zipfile.is_zipfile(path) else _rows(path))
    if rows:
        _require_columns(path, rows[0][1], {"number": ("number",), "title": ("title",),
                                            "status": ("status",)})
    numbers = {_first(row, "number") for _, row in rows}
    for where, row in rows:
        try:
            number = _first(row, "number")
            if not number.isdigit():
                raise _RowProblem(f"number '{number[:40]}' is not a post number" if number else "no number")
            raw_status = FIDER_STATUS_NUMBERS.get(_first(row, "status"), _first(row, "status"))
            if raw_status == "deleted":
                raise _RowProblem("deleted in Fider")
            status = _status(raw_status, FIDER_STATUSES, "Fider")
            original = _first(row, "original_number")
            if status is Status.DUPLICATE and original not in numbers:
                raise _RowProblem(f"a duplicate of post {original or '(not given)'}, which is not "
                                  "in this export")
            data = _decision(
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
        posts.append(Post(f"fider-{number}", where, data))
    return posts, skipped


def _backup_rows(path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """The posts of Fider's backup archive (Site settings > Export > backup: a zip of its
    tables as JSON), as rows with the posts CSV's columns."""
    try:
        with zipfile.ZipFile(path) as archive:
            tables = {name: _table(archive, path, name)
                      for name in ("posts", "users", "tags", "post_tags", "post_votes")}
    except (OSError, zipfile.BadZipFile) as err:
        raise ExportUnreadable(f"{path}: the archive cannot be read ({err})") from None
    if not tables["posts"]:
        raise ExportUnreadable(f"{path}: no posts.json in the archive; is this Fider's backup?")
    names = {row.get("id"): row.get("name") for row in tables["users"]}
    numbers = {row.get("id"): row.get("number") for row in tables["posts"]}
    tag_names = {row.get("id"): row.get("name") for row in tables["tags"]}
    tags: dict[Any, list[str]] = {}
    for link in tables["post_tags"]:
        tags.setdefault(link.get("post_id"), []).append(str(tag_names.get(link.get("tag_id")) or ""))
    votes: dict[Any, int] = {}
    for vote in tables["post_votes"]:
        votes[vote.get("post_id")] = votes.get(vote.get("post_id"), 0) + 1
    for index, post in enumerate(tables["posts"], start=1):
        key = post.get("id")
        row = {
            "number": post.get("number"), "title": post.get("title"),
            "description": post.get("description"), "createdat": post.get("created_at"),
            "createdby": names.get(post.get("user_id")), "votescount": votes.get(key, 0),
            "status": post.get("status"), "respondedat": post.get("response_date"),
            "response": post.get("response"), "originalnumber": numbers.get(post.get("original_id")),
            "tags": ", ".join(t for t in tags.get(key, []) if t),
        }
        shown = {k: "" if v is None else str(v) for k, v in row.items()}
        yield f"posts.json, post {index} (number {shown['number'] or 'missing'})", shown


def _table(archive: zipfile.ZipFile, path: Path, name: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(archive.read(f"{name}.json"))
    except KeyError:
        return []
    except ValueError as err:
        raise ExportUnreadable(f"{path}: {name}.json in the archive is not JSON ({err})") from None
    return [row for row in data if isinstance(row, dict)] if isinstance(data, list) else []


# -- Canny -----------------------------------------------------------------------


def read_canny(path: Path) -> tuple[list[Post], list[Skipped]]:
    posts: list[Post] = []
    skipped: list[Skipped] = []
    rows = list(_rows(path))
    if rows:
        _require_columns(path, rows[0][1], {"title": ("title",), "status": ("status",)})
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
    return posts, skipped


def _target(eta: str) -> str | None:
    """Canny's ETA (a month) as a target, when it reads as one."""
    if not eta:
        return None
    month = re.match(r"^(\d{4})-(\d{2})", eta)
    text = f"{month[1]}-{month[2]}" if month else eta
    try:
        parse_target(text)
    except ValueError:
        return None
    return text


READERS: dict[str, Callable[[Path], tuple[list[Post], list[Skipped]]]] = {
    "fider": read_fider,
    "canny": read_canny,
}


# -- writing ---------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Writes text of several lines as a block (`summary: |`), as a maintainer would."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value and not value.endswith(" ") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def import_export(tool: str, export: Path, decisions_dir: Path) -> ImportReport:
    """Write one decision file per usable post; never overwrite, and say what was skipped."""
    posts, skipped = READERS[tool](export)
    report = ImportReport(skipped=list(skipped))
    decisions_dir.mkdir(parents=True, exist_ok=True)
    for post in posts:
        target = decisions_dir / f"{post.id}.yml"
        if target.exists() or target.is_symlink():
            report.skipped.append(Skipped(post.where, f"{target} exists already; it was left as it is"))
            continue
        text = SCHEMA_LINE + yaml.dump(post.data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                                       width=100)
        with target.open("x", encoding="utf-8") as out:
            out.write(text)
        report.written.append(target)
    return report
