"""`roadmap init --language`: a language Candor cannot name is refused in one line, nothing written."""

from __future__ import annotations

from conftest import run_roadmap


def test_an_unknown_language_is_refused_in_one_line_and_nothing_is_written(tmp_path):
    result = run_roadmap("init", "acme", "--language", "xx-nowhere\nplugins: []", cwd=tmp_path)
    assert result.returncode == 1
    assert "--language: 'xx-nowhere\\nplugins: []' is not a language Candor knows" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "acme").exists()


def test_the_default_language_is_english_and_named_in_mkdocs_yml(tmp_path):
    assert run_roadmap("init", "acme", cwd=tmp_path).returncode == 0
    assert "\n  language: en\n" in (tmp_path / "acme" / "mkdocs.yml").read_text("utf-8")
    assert (tmp_path / "acme" / "content" / "about.md").read_text("utf-8").startswith("# How we decide\n")
