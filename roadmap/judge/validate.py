"""Turn a source record into an `Item`, or into problems that say what to change.

The JSON Schema decides which fields exist and what type each has (its verdicts
are put into sentences by schema_problems.py); this module adds the rules a
schema cannot say well (real dates, dates in order, honest reasons, fields that
belong to another status).
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from roadmap.core.dates import canonical_target, parse_day, parse_target
from roadmap.core.model import STATUS_FIELDS, Item, Problem, Severity, Source, Status, Target, TargetKind
from roadmap.core.schema import decision_schema, field_names
from roadmap.core.text import describe, first_unpublishable
from roadmap.judge.imported_reasons import is_placeholder
from roadmap.judge.schema_problems import (
    DATE_FIELDS,
    STATUS_VALUES,
    missing_field,
    schema_problems,
    tracker_may_omit,
)
from roadmap.sources import Record

# How far the first time zone on Earth (UTC+14) can be into the next day when UTC is not.
EARLIEST_ZONE_AHEAD = timedelta(days=1)

# A won't-fix reason must be a sentence a reader can accept, not a label such as
# "out of scope": at least this many words and characters.
MIN_REASON_WORDS = 4
MIN_REASON_CHARS = 20

# A won't-fix is told in a comment on the request's issue (write-back): the largest comment
# an issue tracker takes is 65,536 characters, and the comment's own words, links and marker
# need the rest. Past this, the tracker refuses the comment on every run, so `check`
# refuses the file instead. The text is counted as the comment writes it: each `<` shown
# as `&lt;` (four characters), each `@` and `![` with a joiner that keeps them inert.
MAX_TOLD_CHARS = 60_000
TOLD_FIELDS = ("reason", "workaround")


@dataclass(frozen=True)
class Outcome:
    item: Item | None
    problems: list[Problem]


def to_item(record: Record, now: date) -> Outcome:
    """Validate one record against the schema and the status rules, judged on `now`.

    Every independent problem is reported at once: a field the schema refuses is
    left out of the other checks, and a misspelt status is read as the status the
    author most likely meant, so the problems that status brings are not hidden
    until the next run.
    """
    # The record's own lines, not a copy: neither is changed, and the item keeps them for
    # as long as the site is built (a copy each was 8 MiB at 50,000 items).
    source = Source(record.path, record.lines)
    own = _own_problems(record, source)
    if _not_a_decision_file(record):
        return Outcome(None, own)
    problems = _without_echoes(schema_problems(record, source), record) + own
    refused = {p.field for p in problems}
    usable = record
    if problems:  # nearly every file has none: then all its fields are usable as they are
        known = _known_fields()
        usable = dataclasses.replace(record, data={k: v for k, v in record.data.items()
                                                   if k in known and k not in refused})
    status, read_as = _meant_status(record.data.get("status"), "status" in refused)
    outcome = _build_item(usable, source, status, read_as, refused, now)
    problems = sorted(problems + outcome.problems, key=lambda p: (p.line, p.field or "", p.message))
    if any(p.severity is Severity.ERROR for p in problems):
        return Outcome(None, problems)
    return Outcome(outcome.item, problems)


def _own_problems(record: Record, source: Source) -> list[Problem]:
    """What a schema cannot see: characters that cannot be published, numbers that are not
    written as whole numbers, and a file that is not a decision file at all."""
    if _not_a_decision_file(record):
        # Say so without echoing its keys: a YAML file that landed here by mistake (a CI
        # config, a secrets file) must not have its contents printed in a public CI log.
        return [Problem(
            record.path, 1, None,
            f"this is not a decision file: none of its {len(record.data)} keys is a field Candor knows",
            "move the file out of the decisions folder; decision files hold fields such as "
            "title, status and opened_on",
        )]
    problems = []
    for name, value in record.data.items():
        if name in record.from_tracker:
            continue  # a tracker's text was cleaned where it came in (its source's package)
        bad = first_unpublishable(name)
        if bad is not None:
            problems.append(Problem(
                record.path, source.line_of(name), None,
                f"a field name contains {describe(bad.group())}, which cannot be published",
                "retype the field name; it may hold an invisible character"))
            continue
        problems += _text_problems(record, source, name, value)
        if name in _whole_number_fields() and isinstance(value, float):
            whole = f"{value:.0f}" if value.is_integer() else str(int(value))
            problems.append(Problem(
                record.path, source.line_of(name), name,
                f"expected a whole number, got {value!r} (a number with a fractional part or "
                "an exponent)", f"write it as a whole number, e.g. {name}: {whole}"))
    return problems + _too_long_to_tell(record, source)


def _too_long_to_tell(record: Record, source: Source) -> list[Problem]:
    """Reason and workaround together must fit in one comment on the issue; the field named
    is the one that takes them past the limit."""
    told = 0
    for name in TOLD_FIELDS:
        value = record.data.get(name)
        if not isinstance(value, str) or name in record.from_tracker:
            continue
        text = value.strip()
        length = told_length(text)
        told += length
        if told <= MAX_TOLD_CHARS:
            continue
        written = f" ({length:,} as the comment writes it)" if length != len(text) else ""
        together = f", {told:,} with the {TOLD_FIELDS[0]}" if told > length else ""
        return [Problem(
            record.path, source.line_of(name), name,
            f"the {name} is {len(text):,} characters{written}{together}: too long to be told "
            f"in one comment on the issue, which holds at most {MAX_TOLD_CHARS:,} characters of "
            "reason and workaround",
            "shorten it to what the person who asked needs to read; a longer write-up can "
            "live on a page of its own, linked from the text")]
    return []


def told_length(text: str) -> int:
    """How long `text` is, at most, once a comment writes it (see MAX_TOLD_CHARS)."""
    return len(text) + 3 * text.count("<") + text.count("@") + text.count("![")


def _text_problems(record: Record, source: Source, name: str, value: Any) -> list[Problem]:
    texts = [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)] \
        if isinstance(value, list) else []
    for text in texts:
        bad = first_unpublishable(text)
        if bad is not None:
            return [Problem(
                record.path, source.line_of(name), name,
                f"the text contains {describe(bad.group())} at character {bad.start() + 1}, which "
                "cannot be published: control characters break the feed, a lone surrogate cannot "
                "be written at all, and invisible or direction-changing characters make text read "
                "differently from what it says",
                "delete the character (editors may not show it; YAML escapes such as \\x1b or "
                "\\u202e write one)")]
    return []


def _not_a_decision_file(record: Record) -> bool:
    return bool(record.data) and not record.from_tracker and _known_fields().isdisjoint(record.data)


@functools.cache
def _known_fields() -> frozenset[str]:
    # Once per process: asked of every record, twice (the schema does not change).
    return frozenset(field_names())


def _without_echoes(problems: list[Problem], record: Record) -> list[Problem]:
    # The schema names unknown fields; one whose name cannot be published is named by
    # _own_problems instead, without printing the character.
    return [p for p in problems if p.field is None or first_unpublishable(p.field) is None]


@functools.cache
def _whole_number_fields() -> frozenset[str]:
    """Fields the schema types as integers: JSON Schema counts 1000.0 as one, YAML reads
    1.0e+3 as 1000.0, and the site would show "1000.0" (or a second copy of an issue)."""
    fields = set()
    for name, spec in decision_schema()["properties"].items():
        kinds = [spec.get("type")] + [option.get("type") for option in spec.get("oneOf", [])]
        if "integer" in kinds:
            fields.add(name)
    return frozenset(fields)


def _meant_status(value: Any, refused: bool) -> tuple[Status | None, str | None]:
    """The status a file gives, or the one a misspelling most likely meant, with the text read."""
    if not refused and isinstance(value, str):
        return Status(value), None
    if isinstance(value, str):
        guess = difflib.get_close_matches(value.strip().lower(), STATUS_VALUES, n=1, cutoff=0.5)
        if guess:
            return Status(guess[0]), value
    return None, None


def _build_item(record: Record, source: Source, status: Status | None, read_as: str | None,
                refused: set[str | None], now: date) -> Outcome:
    """The item, from the fields the schema accepted, with every rule they break."""
    data = record.data
    path = record.path
    problems: list[Problem] = []

    dates: dict[str, date] = {}
    for name in DATE_FIELDS:
        if name in data:
            try:
                dates[name] = parse_day(data[name])
            except ValueError as err:
                problems.append(Problem(path, source.line_of(name), name, str(err),
                                        "write dates as YYYY-MM-DD, e.g. 2026-10-01"))

    target: Target | None = None
    if "target" in data:
        try:
            target = parse_target(data["target"])
        except ValueError as err:
            problems.append(Problem(
                path, source.line_of("target"), "target", str(err),
                "write YYYY-MM-DD, YYYY-MM, YYYY-Qn (e.g. 2027-Q1) or a milestone name",
            ))

    if status is not None:
        problems += _status_problems(record, source, status, read_as, refused)
    problems += _date_problems(record, source, dates, target, now)

    if data.get("duplicate_of") == record.id:
        problems.append(Problem(path, source.line_of("duplicate_of"), "duplicate_of",
                                "an item cannot be a duplicate of itself",
                                "name the other item this request repeats"))

    if status is None or read_as is not None or any(p.severity is Severity.ERROR for p in problems):
        return Outcome(None, problems)
    item = Item(
        id=record.id,
        title=data.get("title", "").strip(),
        status=status,
        source=source,
        summary=data.get("summary", "").strip(),
        areas=tuple(a.strip() for a in data.get("areas", [])),
        opened_on=dates.get("opened_on"),
        decided_on=dates.get("decided_on"),
        last_reviewed=dates.get("last_reviewed"),
        author=data.get("author"),
        votes=data.get("votes", 0),
        url=data.get("url"),
        owner=data.get("owner"),
        version=data.get("version"),
        shipped_on=dates.get("shipped_on"),
        links=tuple(data.get("links", [])),
        target=target,
        started_on=dates.get("started_on"),
        reason=_clean(data.get("reason")),
        reason_category=data.get("reason_category"),
        workaround=_clean(data.get("workaround")),
        revisit_when=_clean(data.get("revisit_when")),
        duplicate_of=data.get("duplicate_of"),
        issue=record.issue,
    )
    return Outcome(item, problems)


def _status_problems(record: Record, source: Source, status: Status, read_as: str | None,
                     refused: set[str | None]) -> list[Problem]:
    """What the status asks of the other fields; for a misspelt status, the one it likely meant."""
    data, path = record.data, record.path
    meaning = f" (taking status '{read_as}' to mean {status.value})" if read_as else ""
    problems = []
    for name, owner_status in STATUS_FIELDS.items():
        if name in data and status is not owner_status:
            problems.append(Problem(
                path, source.line_of(name), name,
                f"this field applies to {owner_status.value} items, but this item is {status.value}"
                f"{meaning}",
                f"remove the line, or change the status to {owner_status.value}",
            ))

    if status is Status.UNDER_REVIEW and "decided_on" in data:
        problems.append(Problem(
            path, source.line_of("decided_on"), "decided_on",
            f"an item under review has no decision yet{meaning}",
            "remove 'decided_on', or set the status that was decided",
        ))

    # The schema already reports a missing reason or original for a status it could read.
    for name, needed_by in (("reason", Status.WONT_FIX), ("duplicate_of", Status.DUPLICATE)):
        excused = name not in data and tracker_may_omit(record, name)
        if status is not needed_by or name in refused or excused:
            continue
        if name not in data and read_as is not None:
            missing = missing_field(record, name)
            problems.append(dataclasses.replace(missing, message=missing.message + meaning))
        elif name == "reason" and name in data:
            problems.extend(_reason_problems(record, source))
    return problems


def _date_problems(record: Record, source: Source, dates: dict[str, date], target: Target | None,
                   now: date) -> list[Problem]:
    """Dates that cannot be true (in the future) or that contradict each other."""
    path = record.path
    problems = []
    # Every date field records something that happened, so none can be later than the day
    # the roadmap is judged on (a future last review would keep an item from ever going stale).
    # The judging day is UTC's, but a maintainer writes their own: in UTC+14 the next day
    # has begun for ten hours of every UTC day, so that day is not yet "in the future".
    latest = now + EARLIEST_ZONE_AHEAD
    for name in DATE_FIELDS:
        day = dates.get(name)
        if day is None or day <= latest:
            continue
        # A tracker's data never stops a build (it is repaired or warned about); a maintainer's does.
        from_tracker = name in record.from_tracker
        problems.append(Problem(
            path, source.line_of(name), name,
            f"{day} is after the day the roadmap is judged on ({now}): it cannot have happened yet",
            "write the day it happened; a day still to come belongs in 'target' (and --now sets "
            "the day to judge on)",
            Severity.WARNING if from_tracker else Severity.ERROR,
        ))

    opened, decided = dates.get("opened_on"), dates.get("decided_on")
    if opened and decided and decided < opened:
        problems.append(Problem(
            path, source.line_of("decided_on"), "decided_on",
            f"the decision ({decided}) comes before the request was opened ({opened})",
            "check both dates", Severity.WARNING,
        ))
    if target is not None and opened and target.deadline and target.deadline < opened:
        problems.append(Problem(
            path, source.line_of("target"), "target",
            f"the target {target.text} ends before the request was opened ({opened})",
            "check the target and 'opened_on'", Severity.WARNING,
        ))
    if target is not None and target.kind is TargetKind.MILESTONE and "target" not in record.from_tracker:
        canonical = canonical_target(target.text, now)
        if canonical is not None:
            problems.append(Problem(
                path, source.line_of("target"), "target",
                f"'{target.text}' reads like a date, but Candor can only take it as a milestone "
                "name, which has no date and so can never be shown as missed",
                f"write it as target: {canonical}", Severity.WARNING,
            ))
    return problems


def _reason_problems(record: Record, source: Source) -> list[Problem]:
    reason = " ".join(str(record.data.get("reason", "")).split())
    words = reason.split()
    if is_placeholder(reason):
        # Written by `roadmap import` for a decline that came without a real reason.
        return [Problem(
            record.path, source.line_of("reason"), "reason",
            "this decline was imported without a real reason (its tool gave none, or only a label)",
            "write why it was declined, in a sentence for the person who asked",
            Severity.WARNING,
        )]
    if len(words) >= MIN_REASON_WORDS and len(reason) >= MIN_REASON_CHARS:
        return []
    return [Problem(
        record.path, source.line_of("reason"), "reason",
        f"'{reason}' is a label, not a reason: a won't-fix needs a sentence of at least "
        f"{MIN_REASON_WORDS} words that tells the person who asked why not",
        "explain the decision, e.g. 'reason: Sync conflicts would need a full merge engine.'"
        " (a short label can go in 'reason_category')",
    )]


def _clean(text: str | None) -> str | None:
    return text.strip() if isinstance(text, str) else None
