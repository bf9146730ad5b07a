"""The shape of the package: one path through the pipeline, settings declared once, stages
that import only earlier ones, a plugin made of event handlers."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import typing
from pathlib import Path

import yaml
from click.testing import CliRunner
from mkdocs.config import load_config

from conftest import FIXTURE_SITE, NOW_TEXT, ROOT
from roadmap import cli
from roadmap.core.options import is_option
from roadmap.judge.pipeline import Settings
from roadmap.mkdocs import service
from roadmap.mkdocs.config import TOP_LEVEL, RoadmapConfig
from roadmap.mkdocs.plugin import RoadmapPlugin
from roadmap.render import RenderOptions
from roadmap.sources.github.settings import GitHubSettings
from roadmap.sources.gitlab.settings import GitLabSettings

PACKAGE = ROOT / "roadmap"

# The stages, earliest first: each is a package folder of roadmap/, and a module may import
# its own stage and earlier ones only. roadmap/__init__.py (the version) counts as the first;
# the modules at the top (cli.py, __main__.py) come after every stage.
STAGES = ("core", "sources", "judge", "render", "mkdocs", "commands")
TOP = len(STAGES)


def _stage_of(module: str) -> int:
    if module == "roadmap":
        return 0
    first = module.split(".")[1]
    return STAGES.index(first) if first in STAGES else TOP


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _imports(path: Path) -> set[str]:
    """The roadmap modules a file imports; `from roadmap.x import y` counts y when y is a module."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "roadmap":
            submodules = {f"{node.module}.{a.name}" for a in node.names if _is_module(f"{node.module}.{a.name}")}
            found |= submodules or {node.module}
            if len(submodules) < len(node.names) and submodules:
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "roadmap"}
    return found


def _graph() -> dict[str, set[str]]:
    return {_module_name(path): _imports(path) - {_module_name(path)}
            for path in sorted(PACKAGE.rglob("*.py"))}


def test_the_folders_are_the_stages_and_few_modules_stay_at_the_top():
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert packages == set(STAGES)
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 6, top


def test_no_module_of_an_earlier_stage_imports_a_later_one():
    backwards = []
    for module, imported_modules in _graph().items():
        for imported in sorted(imported_modules):
            if _stage_of(imported) > _stage_of(module):
                backwards.append(f"{module} imports {imported}, a later stage")
    assert backwards == []


def test_the_import_graph_has_no_cycle():
    graph = _graph()
    # A package's __init__ that only hands names on would make every import of it a cycle
    # with its own modules; the edges that matter are module to module.
    done: set[str] = set()
    cycles = []

    def visit(module: str, trail: list[str]) -> None:
        if module in trail:
            cycles.append(" -> ".join(trail[trail.index(module):] + [module]))
            return
        if module in done:
            return
        for imported in sorted(graph.get(module, ())):
            if not module.startswith(imported + "."):  # a module's own package __init__
                visit(imported, trail + [module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
    assert cycles == []


def test_the_stage_check_can_fail():
    assert _stage_of("roadmap.core.model") < _stage_of("roadmap.judge.decide") < _stage_of("roadmap.cli")
    assert "roadmap.core.git" in _imports(PACKAGE / "sources" / "history.py")


def test_the_plugin_is_made_of_mkdocs_event_handlers():
    own = [name for name, _ in inspect.getmembers(RoadmapPlugin, inspect.isfunction)
           if name in RoadmapPlugin.__dict__]
    assert own, "the plugin defines no method"
    assert [name for name in own if not name.startswith("on_") and name != "__init__"] == []
    assert len((PACKAGE / "mkdocs" / "plugin.py").read_text().splitlines()) <= 150


# -- each option declared once ----------------------------------------------------------------

def _option_fields(cls: type, prefix: str = "") -> dict[str, tuple[type, dataclasses.Field]]:
    """Every option field of a settings dataclass, by its dotted option name."""
    found: dict[str, tuple[type, dataclasses.Field]] = {}
    hints = typing.get_type_hints(cls)
    for spec in dataclasses.fields(cls):
        if not is_option(spec):
            continue
        section = hints[spec.name]
        section = next((a for a in typing.get_args(section) if dataclasses.is_dataclass(a)), section)
        if dataclasses.is_dataclass(section):
            found.update(_option_fields(section, f"{prefix}{spec.name}."))
        else:
            found[prefix + spec.name] = (cls, spec)
    return found


def _plugin_options(config: object, prefix: str = "") -> dict[str, object]:
    values: dict[str, object] = {}
    for name in config:  # type: ignore[attr-defined]
        value = config[name]  # type: ignore[index]
        if hasattr(value, "_schema"):
            values.update(_plugin_options(value, f"{prefix}{name}."))
        else:
            values[prefix + name] = value
    return values


def test_the_plugin_options_are_the_option_fields_of_the_settings():
    declared = {}
    for cls in TOP_LEVEL:
        declared.update(_option_fields(cls))
    config = RoadmapConfig(config_file_path="/site/mkdocs.yml")
    config.load_dict({})
    assert config.validate() == ([], [])
    assert set(_plugin_options(config)) == set(declared)
    assert len(declared) >= 40


def _site_options(tmp_path: Path, options: dict) -> tuple:
    site = tmp_path / "site"
    (site / "content" / "roadmap").mkdir(parents=True)
    (site / "mkdocs.yml").write_text(yaml.safe_dump({
        "site_name": "S", "docs_dir": "content", "theme": {"name": "material"},
        "plugins": [{"roadmap": options}]}), "utf-8")
    config = load_config(str(site / "mkdocs.yml"))
    plugin = next(p for p in config.plugins.values() if isinstance(p, RoadmapPlugin))
    return site, config, plugin.config


def test_a_site_that_sets_nothing_gets_every_engine_default(tmp_path):
    site, config, options = _site_options(tmp_path, {"github": {"repos": ["owner/name"]}})
    settings = service.settings_from(options, config)
    assert settings == Settings(site / "content" / "roadmap",
                                github=GitHubSettings(repos=("owner/name",), cache_dir=site / ".cache/roadmap",
                                                      config_file=site / "mkdocs.yml"),
                                # No projects: GitLab reads nothing (GitLabSource loads no issues).
                                gitlab=GitLabSettings(cache_dir=site / ".cache/roadmap"))
    rendered = service.render_options(options, config)
    # With a repository and no ask_url, readers ask on its new-issue form.
    assert rendered == RenderOptions(site_name="S", site_url=None, locale_dirs=(site / "locale",),
                                     ask_link="https://github.com/owner/name/issues/new")


# One value for each option that differs from its default, by option name.
CHANGED = {
    "enabled": True,  # the plugin's own switch: off builds nothing, so it is left on here
    "decisions_dir": "decisions", "templates_dir": "mine", "now": "2026-01-02", "language": "de",
    "locale_dir": "words", "stale_after_days": 7, "decision_target_days": 9, "max_items": 11,
    "history": False, "per_page": 13, "recent": 2, "home": False, "area_names": {"i18n": "Translations"},
    "board_cards": 3, "area_cap": 4, "ask_url": "https://example.org/ask",
    "github.repos": ["a/b"], "github.api_url": "https://ghe.example/api/v3", "github.token_env": "T",
    "github.include_labels": ["x"], "github.exclude_labels": ["y"], "github.cache_dir": "c",
    "github.fetch": False, "github.timeout": 5, "github.retry_for": 6, "github.deadline": 7,
    "github.max_pages": 8, "github.request_interval": 0, "github.write_back": "comment", "github.issue_template": "idea.md",
    **{f"github.mapping.{row}": "duplicate" for row in (
        "closed_completed", "closed_not_planned", "closed_other", "open_milestone", "open_other")},
    "github.mapping.closed_duplicate": "fixed", "github.mapping.open_labels": {"later": "planned"},
    "github.project.owner": "acme", "github.project.number": 7, "github.project.status_field": "Stage",
    "github.project.status_map": {"Doing": "planned"}, "github.project.started_options": ["Doing"],
    "github.project.target_fields": ["Due"],
    "gitlab.projects": ["g/a"], "gitlab.url": "https://gitlab.example", "gitlab.token_env": "GT",
    "gitlab.include_labels": ["x"], "gitlab.exclude_labels": ["y"], "gitlab.cache_dir": "gc",
    "gitlab.fetch": False, "gitlab.timeout": 5, "gitlab.retry_for": 6, "gitlab.deadline": 7,
    "gitlab.max_pages": 8, "gitlab.write_back": "comment-and-close",
    **{f"gitlab.mapping.{row}": "duplicate" for row in (
        "closed_completed", "closed_not_planned", "closed_other", "open_milestone", "open_other")},
    "gitlab.mapping.closed_duplicate": "fixed", "gitlab.mapping.open_labels": {"later": "planned"},
}


def _nested(flat: dict) -> dict:
    tree: dict = {}
    for name, value in flat.items():
        *sections, leaf = name.split(".")
        node = tree
        for section in sections:
            node = node.setdefault(section, {})
        node[leaf] = value
    return tree


def test_every_option_set_in_mkdocs_yml_reaches_the_engine(tmp_path):
    declared = {}
    for cls in TOP_LEVEL:
        declared.update(_option_fields(cls))
    assert set(CHANGED) == set(declared), "give the new option a value in CHANGED"
    site, config, options = _site_options(tmp_path, _nested(CHANGED))
    settings = service.settings_from(options, config)
    rendered = service.render_options(options, config)
    engine = {"Settings": settings, "Policy": settings.policy, "RenderOptions": rendered,
              "GitHubSettings": settings.github, "StatusMapping": settings.github.mapping,
              "ProjectSettings": settings.github.project, "SiteOptions": service.RoadmapService(options, config).site}
    gitlab = {"GitLabSettings": settings.gitlab, "StatusMapping": settings.gitlab.mapping}
    for name, (cls, spec) in declared.items():
        held = getattr((gitlab if name.startswith("gitlab.") else engine)[cls.__name__], spec.name)
        default = spec.default if spec.default is not dataclasses.MISSING else (
            spec.default_factory() if spec.default_factory is not dataclasses.MISSING else None)
        if name != "enabled":
            assert held != default, f"{name} did not reach {cls.__name__}"


def test_a_bad_value_is_refused_with_the_rule_and_the_value(tmp_path):
    _, _, options = _site_options(tmp_path, {})
    for name, value, said in [
        ("stale_after_days", 0, "Expected a whole number of at least 1, got 0."),
        ("now", "2026-13-01", "write it as YYYY-MM-DD."),
        ("ask_url", "javascript://x/%0aalert(1)", "Expected an http:// or https:// address, got 'javascript://x/%0aalert(1)'."),
    ]:
        config = RoadmapConfig(config_file_path=str(tmp_path / "mkdocs.yml"))
        config.load_dict({name: value})
        errors, _ = config.validate()
        assert [key for key, _ in errors] == [name]
        assert str(errors[0][1]).endswith(said)
    config = RoadmapConfig(config_file_path=str(tmp_path / "mkdocs.yml"))
    config.load_dict({"github": {"project": {"number": -1}, "write_back": "shout"}})
    errors, _ = config.validate()
    assert "Expected the project's number (1 or more), got -1." in str(errors)


def test_roadmap_build_judges_once(tmp_path, monkeypatch):
    judged = []
    real_run = service.run

    def counting_run(*args, **kwargs):
        judged.append(args[0].decisions_dir)
        return real_run(*args, **kwargs)

    monkeypatch.setattr(service, "run", counting_run)
    monkeypatch.chdir(FIXTURE_SITE)
    result = CliRunner().invoke(cli.main, ["build", "--now", NOW_TEXT, "--site-dir", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site" / "index.html").is_file()
    assert len(judged) == 1


# Stages that hold no tracker: the core model and the judging. A tracker lives in its own
# package under roadmap/sources/ (and the adapters and pages may word it for readers).
TRACKER_FREE = ("core", "judge")


def _naming_a_tracker(folder: Path, tracker: str) -> list[str]:
    """Lines of the modules under `folder` that name `tracker`, in code or comments."""
    return [f"{path.relative_to(ROOT).as_posix()}:{number}: {line.strip()}"
            for path in sorted(folder.rglob("*.py"))
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if tracker in line.casefold()]


def test_the_core_and_the_judge_name_no_tracker():
    named = [line for stage in TRACKER_FREE for line in _naming_a_tracker(PACKAGE / stage, "github")]
    assert named == []


def test_the_tracker_check_can_fail():
    assert _naming_a_tracker(PACKAGE / "sources" / "github", "github")
    assert _naming_a_tracker(PACKAGE / "sources", "github")[0].startswith("roadmap/sources/")


# What a tracker may touch: its own package under roadmap/sources/, and the one settings
# module that lists the trackers. Nothing in judge, render, the adapters or the commands.
TRACKER_SEAM = "roadmap.sources.settings"
# `roadmap init --gitlab` scaffolds a GitLab project (its mkdocs.yml and .gitlab-ci.yml):
# the one command that may name it.
SCAFFOLDING = ("roadmap/commands/init.py", "roadmap/commands/scaffold.py")


def _outside_importers(package: str) -> list[str]:
    """Modules outside `package` (and the seam) that import it."""
    return sorted(f"{module} imports {imported}" for module, imported_modules in _graph().items()
                  for imported in imported_modules
                  if imported.startswith(package) and not module.startswith(package)
                  and module != TRACKER_SEAM and module.replace(".", "/") + ".py" not in SCAFFOLDING)


def test_the_gitlab_source_touches_only_its_own_package_and_the_settings_section():
    assert _outside_importers("roadmap.sources.gitlab") == []
    named = [line for stage in ("core", "judge", "render", "mkdocs", "commands")
             for line in _naming_a_tracker(PACKAGE / stage, "gitlab")
             if not line.startswith(SCAFFOLDING)]
    assert named == []
    assert "roadmap.sources.gitlab.source" in _graph()[TRACKER_SEAM]


def test_the_seam_check_can_fail():
    # GitHub predates the seam: the commands and the adapter still import it directly.
    assert any(line.startswith("roadmap.commands.") for line in _outside_importers("roadmap.sources.github"))
