"""Turn a source record into an `Item`, or into problems that say what to change.

The JSON Schema decides which fields exist and what type each has; this module
translates its verdicts into sentences and adds the rules a schema cannot say
well (real dates, honest reasons, fields that belong to another status).
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import fastjsonschema

from roadmap.dates import canonical_target, parse_day, parse_target
from roadmap.model import Item, Problem, Severity, Source, Status, Target, TargetKind
from roadmap.schema import decision_schema, field_names
from roadmap.sources import Record

if TYPE_CHECKING:
    import jsonschema

STATUS_VALUES = [s.value for s in Status]

# Fields that only mean something for one status.
STATUS_FIELDS: dict[str, Status] = {
    "version": Status.FIXED,
    "shipped_on": Status.FIXED,
    "links": Status.FIXED,
    "target": Status.PLANNED,
    "started_on": Status.PLANNED,
    "reason": Status.WONT_FIX,
    "reason_category": Status.WONT_FIX,
    "workaround": Status.WONT_FIX,
    "revisit_when": Status.WONT_FIX,
    "duplicate_of": Status.DUPLICATE,
}

# Fields a status taken from GitHub may lack (see `_github_may_omit`).
GITHUB_MAY_OMIT = ("reason", "duplicate_of")

DATE_FIELDS = ("opened_on", "decided_on", "last_reviewed", "shipped_on", "started_on")

# A won't-fix reason must be a sentence a reader can accept, not a label such as
# "out of scope": at least this many words and characters.
MIN_REASON_WORDS = 4
MIN_REASON_CHARS = 20

_REQUIRED_FIXES = {
    "status": f"add 'status:' with one of {', '.join(STATUS_VALUES)}",
    "title": "add 'title:' with the request in a few words, as a reader would search for it",
    "opened_on": "add 'opened_on: YYYY-MM-DD', the day the request was made",
    "reason": (
        "add 'reason:' with a sentence that tells the person who asked why not, "
        "e.g. 'reason: It would double the size of the installer for a few users.'"
    ),
    "duplicate_of": "add 'duplicate_of:' with the id (file name) of the item this repeats",
}

_REQUIRED_WHY = {
    "reason": "a won't-fix needs a reason: readers are owed an honest 'why not'",
    "duplicate_of": "a duplicate must say which item it repeats",
}

_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "array": "a list",
    "object": "a mapping",
    "boolean": "true or false",
}


_EXAMPLES = {"integer": "3", "array": "[first, second]", "object": "{}", "string": "text"}


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
    source = Source(record.path, dict(record.lines))
    problems = _schema_problems(record, source)
    refused = {p.field for p in problems}
    usable = record
    if problems:  # nearly every file has none: then all its fields are usable as they are
        known = set(field_names())
        usable = dataclasses.replace(record, data={k: v for k, v in record.data.items()
                                                   if k in known and k not in refused})
    status, read_as = _meant_status(record.data.get("status"), "status" in refused)
    outcome = _build_item(usable, source, status, read_as, refused, now)
    problems = sorted(problems + outcome.problems, key=lambda p: (p.line, p.field or "", p.message))
    if any(p.severity is Severity.ERROR for p in problems):
        return Outcome(None, problems)
    return Outcome(outcome.item, problems)


def _meant_status(value: Any, refused: bool) -> tuple[Status | None, str | None]:
    """The status a file gives, or the one a misspelling most likely meant, with the text read."""
    if not refused and isinstance(value, str):
        return Status(value), None
    if isinstance(value, str):
        guess = difflib.get_close_matches(value.strip().lower(), STATUS_VALUES, n=1, cutoff=0.5)
        if guess:
            return Status(guess[0]), value
    return None, None


@lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    # Imported here: only a file that fails the quick check needs jsonschema's
    # explanations, and a valid roadmap need not pay for loading it on every build.
    import jsonschema

    schema = decision_schema()
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


@lru_cache(maxsize=1)
def _quick_check() -> Any:
    """The same schema compiled to Python by fastjsonschema: about seven times faster on the
    valid files that are nearly all of a roadmap. Its verdict only decides whether
    jsonschema, whose errors say where and why, needs to look at all.

    fastjsonschema reads up to draft 7; the schema uses nothing from 2020-12 that draft 7
    lacks ($defs is reached by a plain JSON pointer), and tests check the two agree.
    """
    schema = dict(decision_schema(), **{"$schema": "http://json-schema.org/draft-07/schema#"})
    return fastjsonschema.compile(schema)


def passes_schema(data: dict[str, Any]) -> bool:
    try:
        _quick_check()(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def _schema_problems(record: Record, source: Source) -> list[Problem]:
    if passes_schema(record.data):
        return []
    seen: set[tuple[str | None, str]] = set()
    problems: list[Problem] = []
    for error in _validator().iter_errors(record.data):
        for problem in _explain(error, record, source):
            key = (problem.field, problem.message)
            if key not in seen:
                seen.add(key)
                problems.append(problem)
    return sorted(problems, key=lambda p: (p.line, p.field or "", p.message))


def _explain(error: jsonschema.ValidationError, record: Record, source: Source) -> list[Problem]:
    path = record.path
    field = str(error.path[0]) if error.path else None
    line = source.line_of(field) if field else 1
    value = error.instance
    kind = error.validator

    if kind == "additionalProperties":
        return [_unknown_field(record, source, name) for name in sorted(record.data)
                if name not in decision_schema()["properties"]]
    if kind == "required":
        return [_missing_field(record, name) for name in error.validator_value
                if name not in error.instance and not _github_may_omit(record, name)]
    if kind == "enum" and field == "status":
        return [Problem(path, line, field, f"'{value}' is not a status",
                        _choose_from(str(value), STATUS_VALUES))]
    if kind == "type":
        return [_wrong_type(path, line, field, value, error.validator_value)]
    if kind == "pattern" or kind == "oneOf":
        return [Problem(path, line, field, _pattern_message(field, value), _pattern_fix(field))]
    if kind == "minLength":
        return [Problem(path, line, field, "the text is empty",
                        "write the text, or remove the line")]
    if kind == "maxLength":
        return [Problem(path, line, field,
                        f"the text is {len(value)} characters long; at most "
                        f"{error.validator_value} fit here",
                        "shorten it; longer explanations belong in 'summary'")]
    if kind == "minimum":
        return [Problem(path, line, field, f"{value} is below {error.validator_value}",
                        "use a count of zero or more")]
    if kind == "uniqueItems":
        return [Problem(path, line, field, "the list names the same entry twice",
                        "remove the repeated entry")]
    return [Problem(path, line, field, error.message, "see the field's description in the schema")]


def _github_may_omit(record: Record, name: str) -> bool:
    # GitHub closes issues as "not planned" or "duplicate" without a reason or an
    # original; the site then says so plainly (and `roadmap check` warns) instead
    # of refusing to build. A maintainer who sets the status must give them.
    return name in GITHUB_MAY_OMIT and "status" in record.from_github


def _unknown_field(record: Record, source: Source, name: str) -> Problem:
    guess = difflib.get_close_matches(name, field_names(), n=1)
    hint = f"did you mean '{guess[0]}'? " if guess else ""
    return Problem(
        record.path, source.line_of(name), name, "this is not a field Candor knows",
        f"{hint}Known fields: {', '.join(field_names())}",
    )


def _missing_field(record: Record, name: str) -> Problem:
    why = _REQUIRED_WHY.get(name, "this field is required")
    return Problem(record.path, 1, name, why, _REQUIRED_FIXES.get(name, f"add '{name}:'"))


def _wrong_type(path: Any, line: int, field: str | None, value: Any, expected: Any) -> Problem:
    wanted = _TYPE_WORDS.get(str(expected), str(expected))
    got = _describe_value(value)
    fix = f"write {wanted}, e.g. {field}: {_EXAMPLES.get(str(expected), '...')}"
    if expected == "string" and not isinstance(value, (list, dict)):
        fix = f"put the value in quotes: {field}: \"{value}\""
    elif expected == "array":
        fix = f"write a list, e.g. {field}: [{value}]"
    return Problem(path, line, field, f"expected {wanted}, got {got}", fix)


def _describe_value(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"'{value}'"


def _pattern_message(field: str | None, value: Any) -> str:
    if field in DATE_FIELDS:
        return f"'{value}' is not a date in the form YYYY-MM-DD"
    if field in ("url", "links"):
        return f"'{value}' is not a web address"
    if field == "duplicate_of":
        return f"'{value}' is not an item id"
    if field == "reason_category":
        return f"'{value}' is not a category name"
    if field == "github":
        return f"'{value}' does not name a GitHub issue"
    return f"'{value}' does not have the expected form"


def _pattern_fix(field: str | None) -> str:
    return {
        "url": "write the full address, starting with https://",
        "links": "write full addresses, starting with https://",
        "duplicate_of": "use the file name of the other item, without .yml",
        "reason_category": "use lowercase words joined by hyphens, e.g. out-of-scope",
        "github": "write the issue number (github: 123) or owner/name#123",
    }.get(field or "", "write dates as YYYY-MM-DD, e.g. 2026-10-01")


def _choose_from(value: str, choices: list[str]) -> str:
    guess = difflib.get_close_matches(value, choices, n=1, cutoff=0.5)
    hint = f"did you mean '{guess[0]}'? " if guess else ""
    return f"{hint}Use one of: {', '.join(choices)}"


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
        github=record.github,
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
        excused = name not in data and _github_may_omit(record, name)
        if status is not needed_by or name in refused or excused:
            continue
        if name not in data and read_as is not None:
            missing = _missing_field(record, name)
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
    for name in DATE_FIELDS:
        day = dates.get(name)
        if day is None or day <= now:
            continue
        # GitHub's data never stops a build (it is repaired or warned about); a maintainer's does.
        from_github = name in record.from_github
        problems.append(Problem(
            path, source.line_of(name), name,
            f"{day} is after the day the roadmap is judged on ({now}): it cannot have happened yet",
            "write the day it happened; a day still to come belongs in 'target' (and --now sets "
            "the day to judge on)",
            Severity.WARNING if from_github else Severity.ERROR,
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
    if target is not None and target.kind is TargetKind.MILESTONE and "target" not in record.from_github:
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
