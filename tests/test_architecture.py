"""The shape of the package: one path through the pipeline, settings declared once, stages
that import only earlier ones, a plugin made of event handlers."""

from __future__ import annotations

import ast
import dataclasses
import inspect
from pathlib import Path

import pytest
from click.testing import CliRunner
from mkdocs.config import load_config

from conftest import FIXTURE_SITE, NOW_TEXT, ROOT
from roadmap import cli
from roadmap.core.model import Status
from roadmap.judge.pipeline import Settings, default_policy
from roadmap.mkdocs import service
from roadmap.mkdocs.config import DEFAULTS, DEFAULTS_ROOT, RoadmapConfig, relative_default
from roadmap.mkdocs.plugin import RoadmapPlugin
from roadmap.render import RenderOptions
from roadmap.sources.github.board import ProjectSettings
from roadmap.sources.github.issues import LabelFilter, StatusMapping
from roadmap.sources.github.settings import GitHubSettings

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


def _option_defaults(config_class: type, prefix: str = "") -> dict[str, object]:
    """Every option's default, by its dotted name, from the MkDocs config classes."""
    values: dict[str, object] = {}
    config = config_class(config_file_path=DEFAULTS_ROOT + "mkdocs.yml")
    config.load_dict({})
    config.validate()
    for name in config:
        value = config[name]
        if hasattr(value, "_schema"):
            values.update({f"{prefix}{name}.{k}": v for k, v in _dict_of(value).items()})
        else:
            values[prefix + name] = value
    return values


def _dict_of(sub_config: object) -> dict[str, object]:
    found: dict[str, object] = {}
    for name in sub_config:  # type: ignore[attr-defined]
        value = sub_config[name]  # type: ignore[index]
        if hasattr(value, "_schema"):
            found.update({f"{name}.{k}": v for k, v in _dict_of(value).items()})
        else:
            found[name] = value
    return found


def _field_default(cls: type, name: str) -> object:
    spec = {f.name: f for f in dataclasses.fields(cls)}[name]
    if spec.default_factory is not dataclasses.MISSING:
        return spec.default_factory()
    return spec.default


# Each engine setting with an option behind it: (dataclass, field, option, as the engine holds it).
ENGINE_FIELDS = [
    (Settings, "max_items", "max_items", None),
    (Settings, "history", "history", None),
    (RenderOptions, "per_page", "per_page", None),
    (RenderOptions, "recent", "recent", None),
    (RenderOptions, "home", "home", None),
    (RenderOptions, "board_cards", "board_cards", None),
    (RenderOptions, "area_cap", "area_cap", None),
    (GitHubSettings, "api_url", "github.api_url", None),
    (GitHubSettings, "token_env", "github.token_env", None),
    (GitHubSettings, "cache_dir", "github.cache_dir", lambda p: Path(relative_default(p))),
    (GitHubSettings, "timeout", "github.timeout", None),
    (GitHubSettings, "retry_for", "github.retry_for", None),
    (GitHubSettings, "request_interval", "github.request_interval", None),
    (GitHubSettings, "fetch", "github.fetch", None),
    (GitHubSettings, "deadline", "github.deadline", None),
    (GitHubSettings, "max_pages", "github.max_pages", None),
    (GitHubSettings, "write_back", "github.write_back", None),
    (ProjectSettings, "status_field", "github.project.status_field", None),
    (ProjectSettings, "status_map", "github.project.status_map",
     lambda rows: tuple((name, Status(status)) for name, status in rows.items())),
    (ProjectSettings, "started_options", "github.project.started_options", tuple),
    (ProjectSettings, "target_fields", "github.project.target_fields", tuple),
    (LabelFilter, "include", "github.include_labels", tuple),
    (LabelFilter, "exclude", "github.exclude_labels", tuple),
    *[(StatusMapping, row, f"github.mapping.{row}", str) for row in (
        "closed_completed", "closed_not_planned", "closed_duplicate", "closed_other",
        "open_milestone", "open_other")],
]


@pytest.mark.parametrize(("cls", "name", "option", "convert"), ENGINE_FIELDS,
                         ids=[f"{c.__name__}.{n}" for c, n, _, _ in ENGINE_FIELDS])
def test_an_engine_default_is_the_option_default(cls, name, option, convert):
    declared = _option_defaults(RoadmapConfig)[option]
    engine = _field_default(cls, name)
    assert (convert(declared) if convert else declared) == \
        (engine.value if isinstance(engine, str) and hasattr(engine, "value") else engine)


def test_every_option_reaches_the_engine():
    """A site at its defaults gets the engine's defaults: nothing is lost or re-declared."""
    config = load_config(str(FIXTURE_SITE / "mkdocs.yml"))
    options = next(p for p in config.plugins.values() if isinstance(p, RoadmapPlugin)).config
    options.github.repos = ["owner/name"]
    for name in ("stale_after_days", "decision_target_days", "history", "max_items"):
        options[name] = DEFAULTS[name]
    derived = service.settings_from(options, config)
    assert derived.policy == default_policy()
    assert derived.max_items == Settings(Path()).max_items
    assert derived.history == Settings(Path()).history
    expected = GitHubSettings(repos=("owner/name",), cache_dir=derived.github.cache_dir,
                              config_file=derived.github.config_file)
    assert derived.github == expected
    assert derived.github.cache_dir == FIXTURE_SITE / relative_default(DEFAULTS.github.cache_dir)


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
