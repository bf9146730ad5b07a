"""The JSON Schema's verdicts on a decision file, put into sentences that name the field,
its line and the fix.

A valid file is checked by fastjsonschema alone; jsonschema, whose errors say
where and why, is loaded only to explain a file that fails.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import fastjsonschema

from roadmap.core.model import Problem, Source, Status
from roadmap.core.schema import decision_schema, field_names
from roadmap.sources import Record
from roadmap.sources.settings import LINK_FIELDS

if TYPE_CHECKING:
    import jsonschema

STATUS_VALUES = [s.value for s in Status]

# Fields a status taken from a tracker may lack (see `tracker_may_omit`).
TRACKER_MAY_OMIT = ("reason", "duplicate_of")

DATE_FIELDS = ("opened_on", "decided_on", "last_reviewed", "shipped_on", "started_on")

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
    # fastjsonschema checks `uniqueItems` with a recursive function it defines anew on every
    # call: a reference cycle each, which the build (judging with the cyclic collector paused,
    # see pipeline.cyclic_gc_paused) never freed, 19 MiB at 100,000 items. `_all_different`
    # checks those lists instead.
    schema["properties"] = {name: {k: v for k, v in spec.items() if k != "uniqueItems"}
                            for name, spec in schema["properties"].items()}
    return fastjsonschema.compile(schema)


@lru_cache(maxsize=1)
def _unique_lists() -> tuple[str, ...]:
    """The fields whose lists the schema wants without repeats."""
    return tuple(name for name, spec in decision_schema()["properties"].items() if spec.get("uniqueItems"))


def _all_different(value: Any) -> bool:
    # A list of anything but text (unhashable, or 1 beside true) is wrong for these fields
    # anyway, and False only sends the file on to jsonschema, which says what is wrong.
    if not isinstance(value, list):
        return True
    try:
        return len(set(value)) == len(value)
    except TypeError:
        return False


def passes_schema(data: dict[str, Any]) -> bool:
    if not all(_all_different(data.get(name)) for name in _unique_lists()):
        return False
    try:
        _quick_check()(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def schema_problems(record: Record, source: Source) -> list[Problem]:
    """What the schema refuses in a record, one problem per field and message, by line."""
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
        return [missing_field(record, name) for name in error.validator_value
                if name not in error.instance and not tracker_may_omit(record, name)]
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


def tracker_may_omit(record: Record, name: str) -> bool:
    """Whether `name` may be missing because the status came from a tracker."""
    # A tracker closes issues as "not planned" or "duplicate" without a reason or an
    # original; the site then says so plainly (and `roadmap check` warns) instead
    # of refusing to build. A maintainer who sets the status must give them.
    return name in TRACKER_MAY_OMIT and "status" in record.from_tracker


def _unknown_field(record: Record, source: Source, name: str) -> Problem:
    guess = difflib.get_close_matches(name, field_names(), n=1)
    hint = f"did you mean '{guess[0]}'? " if guess else ""
    return Problem(
        record.path, source.line_of(name), name, "this is not a field Candor knows",
        f"{hint}Known fields: {', '.join(field_names())}",
    )


def missing_field(record: Record, name: str) -> Problem:
    """A required field that is not there, with why it is needed and how to add it."""
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
    if field in LINK_FIELDS:
        return f"'{value}' does not name a {LINK_FIELDS[field].tracker} issue"
    return f"'{value}' does not have the expected form"


def _pattern_fix(field: str | None) -> str:
    if field in LINK_FIELDS:
        return LINK_FIELDS[field].fix
    return {
        "url": "write the full address, starting with https://",
        "links": "write full addresses, starting with https://",
        "duplicate_of": "use the file name of the other item, without .yml",
        "reason_category": "use lowercase words joined by hyphens, e.g. out-of-scope",
    }.get(field or "", "write dates as YYYY-MM-DD, e.g. 2026-10-01")


def _choose_from(value: str, choices: list[str]) -> str:
    guess = difflib.get_close_matches(value, choices, n=1, cutoff=0.5)
    hint = f"did you mean '{guess[0]}'? " if guess else ""
    return f"{hint}Use one of: {', '.join(choices)}"
