"""Decision files: `content/roadmap/<id>.yml`, one item per file, the file name is its id."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import yaml

from roadmap.core.model import Problem
from roadmap.sources import Record

SUFFIXES = (".yml", ".yaml")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")

# Limits that keep a hostile or broken file from costing minutes or gigabytes. A real
# decision file is a few hundred bytes, two levels deep, and has no use for aliases.
MAX_FILE_BYTES = 64 * 1024
MAX_DEPTH = 8


class _Refused(Exception):
    """The file breaks a limit; carries the line and the message."""

    def __init__(self, line: int, message: str, fix: str) -> None:
        super().__init__(message)
        self.line, self.message, self.fix = line, message, fix


class _Loader(yaml.SafeLoader):
    """A safe loader that leaves dates as text, refuses aliases and limits nesting.

    PyYAML would turn `2026-10-01` into a date but `2026-10` into a string and
    `2026-02-30` into a crash; keeping all of them as text lets the validator
    check every date the same way and report a bad one with its line.

    An alias (`*name`) repeats an anchored value; nested aliases make a file of a
    few lines expand into gigabytes ("billion laughs"), so none are accepted.
    Nesting is checked while composing, before Python's recursion limit is hit.
    """

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise _Refused(mark.line + 1, "YAML aliases (*name) are not allowed in decision files",
                           "write the value out in full instead of referring to an anchor (&name)")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise _Refused(mark.line + 1, f"the data is nested more than {MAX_DEPTH} levels deep",
                               "decision fields are text, dates, numbers or lists of text")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

# libyaml's C parser is about twenty times faster, which matters at tens of thousands of
# files, but its composer cannot be told to refuse aliases or deep nesting. Files that
# could hold either (an anchor or alias token, three flow brackets deep, deep indentation
# or nested "- - -") take the careful pure-Python loader above; the rest take libyaml.
# Each pattern runs only when a plain substring test says it could match: most files
# hold none of these characters, and one combined pattern cost more than parsing them.
_ANCHOR_OR_ALIAS = re.compile(r"(?:^|[\s\[{,:?-])[&*]", re.MULTILINE)
_FLOW_NESTING = re.compile(r"[\[{][^\]}\n]*[\[{][^\]}\n]*[\[{]")
_DEEP_INDENT = re.compile(r"^ {16,}\S", re.MULTILINE)
_NESTED_DASHES = re.compile(r"-\s+-\s+-")
# A top-level key written plainly at the start of a line (no quotes, flow, tags or anchors).
# A top-level key in quotes: such files are read node by node.
_QUOTED_KEY = re.compile(r"^[\"']", re.MULTILINE)
_TOP_KEY = re.compile(r"^([^\s#'\"{\[&*!|>%@`-][^:\n]*?)[ \t]*:(?=\s|$)", re.MULTILINE)


# Text up to this long is kept once however many files write it: field names, statuses,
# areas, authors, days and versions repeat in every file, and a copy each took about a
# third of the memory of 100,000 loaded files. Longer text (titles, summaries, reasons)
# is nearly always a file's own, and is left as it is.
SHARED_MAX_CHARS = 40


def _shared(text: str) -> str:
    return sys.intern(text) if len(text) <= SHARED_MAX_CHARS and type(text) is str else text


def _shared_values(data: dict[str, Any]) -> dict[str, Any]:
    """The data with its keys, and its short text and lists of short text, kept once."""
    return {_shared(key): _shared(value) if isinstance(value, str)
            else [_shared(v) if isinstance(v, str) else v for v in value] if isinstance(value, list)
            else value for key, value in data.items()}


def _needs_careful_loader(text: str) -> bool:
    return bool(
        (("&" in text or "*" in text) and _ANCHOR_OR_ALIAS.search(text))
        or (text.count("[") + text.count("{") >= 3 and _FLOW_NESTING.search(text))
        or (" " * 16 in text and _DEEP_INDENT.search(text))
        or _NESTED_DASHES.search(text)
    )


_FastLoader: Any = None
if hasattr(yaml, "CSafeLoader"):
    class _CLoader(yaml.CSafeLoader):  # type: ignore[name-defined,misc]
        """libyaml's parser and composer, with the same resolvers (dates stay text)."""

    _CLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
    _FastLoader = _CLoader


def find_files(directory: Path) -> list[Path]:
    """Every decision file under `directory`, in a stable order."""
    if not directory.is_dir():
        return []
    found = [p for p in directory.rglob("*") if p.suffix in SUFFIXES and p.is_file()]
    # rglob's paths start with the folder's parts: the rest is the path within it
    # (as relative_to would say, at a tenth of its cost per file).
    inside = len(directory.parts)
    return sorted(found, key=lambda p: "/".join(p.parts[inside:]))


def load_directory(directory: Path, max_items: int | None = None) -> tuple[list[Record], list[Problem]]:
    """Read every decision file; a file that cannot be read becomes a problem, not a crash.

    More files than `max_items` are refused before any is parsed. A file whose name is
    not a valid id is still read, so its other problems are reported in the same run.
    """
    records: list[Record] = []
    problems: list[Problem] = []
    if directory.exists() and not directory.is_dir():
        return [], [_not_a_folder(directory)]
    paths = find_files(directory)
    if max_items is not None and len(paths) > max_items:
        return [], [too_many(paths[max_items], len(paths), max_items)]
    inside = _Inside(directory)
    for path in paths:
        if not inside.holds(path):
            problems.append(_linked(path))
            continue
        if not ID_PATTERN.fullmatch(path.stem):
            problems.append(_bad_name(path))
        record, problem = load_file(path)
        if problem is not None:
            problems.append(problem)
        if record is not None:
            records.append(record)
    return records, problems


class _Inside:
    """Whether a file is a plain file inside the decisions folder, not a link and not in a
    linked folder. Each folder is resolved once, not once per file in it: a file that is
    no link itself is where its folder resolves to."""

    def __init__(self, directory: Path) -> None:
        self.root = directory.resolve()
        self.folders: dict[Path, bool] = {}

    def holds(self, path: Path) -> bool:
        if path.is_symlink():
            return False
        inside = self.folders.get(path.parent)
        if inside is None:
            inside = self.folders[path.parent] = path.parent.resolve().is_relative_to(self.root)
        return inside


def _not_a_folder(path: Path) -> Problem:
    # A missing folder is a roadmap with no decisions yet; a file in its place is a mistake
    # that would otherwise build an empty roadmap and say it is valid.
    return Problem(
        path, 1, None,
        "the decisions folder is a file, so no decision could be read",
        "move the file away and make this a folder of decision files, or point the plugin's "
        "decisions_dir at the folder that holds them",
    )


def _linked(path: Path) -> Problem:
    # Not read: a link can reach any file on the machine that builds the site, and what
    # is read is published (site, search index, pull-request comment).
    return Problem(
        path, 1, None,
        "the file is a symbolic link (or inside a linked folder); decision files are read only "
        "as plain files inside the decisions folder, so nothing outside it is published",
        "replace the link with a copy of the decision file",
    )


def _bad_name(path: Path) -> Problem:
    return Problem(
        path, 1, None,
        f"the file name '{path.name}' is not a valid item id; ids become URLs "
        "(items/<id>/), so they use lowercase letters, digits and hyphens only",
        f"rename the file, e.g. to '{_suggest_id(path.stem)}{path.suffix}'",
    )


def load_file(path: Path) -> tuple[Record | None, Problem | None]:
    """Parse one decision file into a record, keeping the line of each field."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return None, Problem(
            path, 1, None,
            f"the file is {size:,} bytes; a decision file may be at most {MAX_FILE_BYTES:,} bytes "
            f"({MAX_FILE_BYTES // 1024} KiB)",
            "keep the decision short and link to longer documents with 'url' or 'links'",
        )
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        return None, Problem(
            path, _line_at_byte(data, err.start), None,
            f"the file is not valid UTF-8 (byte {err.start})",
            "save the file as UTF-8",
        )
    return parse_text(path.stem, path, text)


def parse_text(item_id: str, path: Path, text: str) -> tuple[Record | None, Problem | None]:
    """Parse the text of a decision file (from disk, or from git for its history)."""
    careful = _FastLoader is None or _needs_careful_loader(text)
    quick = None if careful else _quick_record(item_id, path, text)
    if quick is not None:
        return quick, None
    try:
        node = _compose(text, careful)
    except _Refused as refused:
        return None, Problem(path, refused.line, None, refused.message, refused.fix)
    except yaml.reader.ReaderError as err:
        return None, Problem(
            path, text.count("\n", 0, err.position) + 1, None,
            f"the file contains a character YAML does not allow (U+{err.character:04X})",
            "remove control characters such as NUL; save the file as plain UTF-8 text",
        )
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        column = f" (column {mark.column + 1})" if mark else ""
        return None, Problem(
            path, line, None, f"this is not valid YAML: {err.problem}{column}",
            "check the indentation and quote text that contains ': ' or starts with a "
            "special character such as '[', '{', '*', '&' or '@'",
        )
    if node is None:
        return None, _empty(path)
    if not isinstance(node, yaml.MappingNode):
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        return None, Problem(
            path, node.start_mark.line + 1, None,
            f"the file holds {kind}, but a decision file is a mapping of fields",
            "write one 'field: value' per line, e.g. 'title: Offline mode'",
        )
    return _to_record(item_id, path, node)


def too_many(path: Path, count: int, limit: int) -> Problem:
    return Problem(
        path, 1, None,
        f"the roadmap has {count:,} items, more than max_items allows ({limit:,}); "
        "this is the first one past the limit",
        "raise max_items under the roadmap plugin in mkdocs.yml if the roadmap really is this big",
    )


def _empty(path: Path) -> Problem:
    return Problem(
        path, 1, None, "the file is empty",
        "write at least 'title:', 'status:' and 'opened_on:', or delete the file",
    )


def _quick_record(item_id: str, path: Path, text: str) -> Record | None:
    """The record read by libyaml alone, or None when the file needs the careful reading.

    Most decision files are plain `field: value` lines. For those, libyaml builds the
    data and each field's line is the line its key starts. The answer is used only when
    those keys are exactly the data's keys, each written once; anything unusual (a key
    written twice, quoted keys, a flow mapping, a file that does not parse) is read
    node by node, which gives the exact messages. Only for files libyaml may read
    (see _needs_careful_loader).
    """
    if _QUOTED_KEY.search(text):
        # `_TOP_KEY` cannot see a quoted key, so `title:` and `"title":` would pass as one.
        return None
    loader = _FastLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    if not isinstance(data, dict) or not data:
        return None
    lines: dict[str, int] = {}
    line, counted_to = 1, 0
    for match in _TOP_KEY.finditer(text):
        line += text.count("\n", counted_to, match.start())
        counted_to = match.start()
        key = _shared(match.group(1))
        if key in lines:
            return None
        lines[key] = line
    if lines.keys() != data.keys():
        return None
    return Record(item_id, path, _shared_values(data), lines)


def _compose(text: str, careful: bool) -> yaml.Node | None:
    if not careful:
        fast = _FastLoader(text)  # type: ignore[call-arg]
        try:
            return fast.get_single_node()  # type: ignore[attr-defined,no-any-return]
        except yaml.YAMLError:
            pass  # the careful loader reads it again, for the same messages with or without libyaml
        finally:
            fast.dispose()  # type: ignore[attr-defined]
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _to_record(item_id: str, path: Path, node: yaml.MappingNode) -> tuple[Record | None, Problem | None]:
    lines: dict[str, int] = {}
    for key_node, _value in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
        if key in lines:
            return None, Problem(
                path, key_node.start_mark.line + 1, key,
                f"the field is written twice (first on line {lines[key]})",
                "keep one of the two lines",
            )
        lines[_shared(key)] = key_node.start_mark.line + 1
    loader = _Loader("")
    try:
        data: Any = loader.construct_document(node)
    except yaml.constructor.ConstructorError as err:
        mark = err.problem_mark
        return None, Problem(
            path, mark.line + 1 if mark else 1, None,
            f"this YAML cannot be read: {err.problem}", "use plain text, numbers and lists",
        )
    finally:
        loader.dispose()
    data = _shared_values({str(k): v for k, v in data.items()})
    return Record(item_id, path, data, lines), None


def _suggest_id(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug or "my-request"


def _line_at_byte(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1
