"""Decision files read the same whichever way they are read.

Most files take a quick path (libyaml builds the data; each field's line is where its
key starts a line). Whatever that path returns must equal what reading the file node by
node gives (libyaml's composer, or the careful pure-Python loader for files that could
hold aliases or deep nesting), data and lines alike; anything it is unsure of must be
read node by node.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import FIXTURE_SITE, ROOT
from roadmap.sources import Record, yamlfiles

TRICKY = {
    "plain": "title: Dark mode\nstatus: planned\nopened_on: 2026-01-02\n",
    "comments and blank lines": "# a decision\n\ntitle: Dark mode  # inline\n\nstatus: planned\n",
    "space before the colon": "title  : Dark mode\nstatus: planned\n",
    "quoted key": '"title": Dark mode\nstatus: planned\n',
    "single-quoted key": "'title': Dark mode\nstatus: planned\n",
    "key written twice": "title: A\nstatus: planned\ntitle: B\n",
    "flow mapping": "{title: Dark mode, status: planned}\n",
    "flow mapping over lines": "{title: Dark mode,\nstatus: planned}\n",
    "key-like line inside a quoted value": 'title: "Dark\nstatus: planned"\nstatus: fixed\n',
    "key-like line inside a block scalar": "summary: |\n  status: planned\n  more\ntitle: A\n",
    "colon inside a value": "title: 'Ratio: 1:2'\nurl: https://example.org/a:b\n",
    "number key": "1: one\ntitle: A\n",
    "boolean-looking key": "true: yes\ntitle: A\n",
    "null key": "~: x\ntitle: A\n",
    "explicit key": "? title\n: Dark mode\nstatus: planned\n",
    "document marker": "---\ntitle: A\nstatus: planned\n",
    "two documents": "title: A\n---\ntitle: B\n",
    "list of areas": "title: A\nareas:\n  - ui\n  - auth\n",
    "flow list": "title: A\nareas: [ui, auth]\n",
    "key with spaces": "opened on: 2026-01-02\ntitle: A\n",
    "tab after colon": "title:\tA\nstatus: planned\n",
    "key at end without value": "title: A\nstatus:\n",
    "python tag": "title: !!python/object:os.system A\n",
    "anchor": "title: &t A\nsummary: *t\n",
    "a list, not a mapping": "- title: A\n",
    "just text": "hello\n",
    "windows line ends": "title: A\r\nstatus: planned\r\n",
    "byte order mark": "\ufefftitle: A\nstatus: planned\n",
    "dash-started key": "-x: 1\ntitle: A\n",
}


def careful(path: Path, text: str) -> Record | str | None:
    """What reading node by node makes of the text: a record, a refusal message, or None."""
    try:
        node = yamlfiles._compose(text, yamlfiles._needs_careful_loader(text))
    except (yaml.YAMLError, yamlfiles._Refused):
        return None
    if not isinstance(node, yaml.MappingNode):
        return None
    record, problem = yamlfiles._to_record(path.stem, path, node)
    return record if record is not None else problem.message if problem else None


def every_decision_file() -> list[Path]:
    return sorted([*(ROOT / "content" / "roadmap").glob("*.yml"),
                   *(FIXTURE_SITE / "content" / "roadmap").glob("*.yml")])


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_the_quick_path_agrees_with_the_careful_loader(tmp_path, name):
    path = tmp_path / "item.yml"
    path.write_text(TRICKY[name], encoding="utf-8", newline="")
    text = path.read_text(encoding="utf-8")
    quick = None if yamlfiles._needs_careful_loader(text) else yamlfiles._quick_record("item", path, text)
    expected = careful(path, path.read_text(encoding="utf-8"))
    if quick is not None:
        assert quick == expected
    record, problem = yamlfiles.load_file(path)
    if isinstance(expected, Record):
        assert record == expected
    elif isinstance(expected, str):
        assert problem is not None and problem.message == expected


def test_plain_files_take_the_quick_path_and_unusual_ones_do_not(tmp_path):
    path = tmp_path / "item.yml"
    taken = {name for name, text in TRICKY.items() if not yamlfiles._needs_careful_loader(text)
             and yamlfiles._quick_record("item", path, text) is not None}
    assert {"plain", "comments and blank lines", "list of areas", "flow list"} <= taken
    assert not taken & {"key written twice", "flow mapping", "quoted key", "anchor",
                        "key-like line inside a quoted value", "two documents", "python tag"}


def test_every_real_decision_file_reads_the_same_both_ways():
    files = every_decision_file()
    assert len(files) > 30
    for path in files:
        text = path.read_text(encoding="utf-8")
        if not yamlfiles._needs_careful_loader(text):
            quick = yamlfiles._quick_record(path.stem, path, text)
            assert quick is not None, f"{path.name} should take the quick path"
            assert quick == careful(path, text), path.name


def test_a_decisions_folder_that_is_a_file_is_an_error_not_an_empty_roadmap(tmp_path):
    """A file where the decisions folder should be once read as "valid: 0 items"."""
    from conftest import run_roadmap

    (tmp_path / "mkdocs.yml").write_text("site_name: T\ndocs_dir: content\nplugins:\n  - roadmap\n")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "roadmap").write_text("x\n")
    result = run_roadmap("check", cwd=tmp_path)
    assert result.returncode == 1
    assert "content/roadmap:1: error: the decisions folder is a file" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
