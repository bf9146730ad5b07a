"""`roadmap build | serve | check | diff | sync | notify | init | import`: thin commands over
the roadmap service (service.py) and MkDocs.

Commands parse arguments, call the engine, print, and choose the exit code;
nothing below them exits the process.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Iterator
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import click
import yaml
from mkdocs import exceptions as mkdocs_errors
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from roadmap import __version__
from roadmap.commands import publish
from roadmap.commands.init import DISTRIBUTION, InitError, next_steps, requirement_for, scaffold
from roadmap.core.dates import OutOfRange
from roadmap.core.git import GitError, changed_files, extract_folder
from roadmap.core.words import plural
from roadmap.judge.compare import compare
from roadmap.judge.decide import Verdict
from roadmap.judge.pipeline import EpochError, resolve_now
from roadmap.mkdocs.config import REPO_PATTERN
from roadmap.mkdocs.plugin import RoadmapPlugin
from roadmap.mkdocs.service import RoadmapService, template_dirs
from roadmap.render.diff_comment import diff_markdown
from roadmap.sources.github.settings import SyncReport, no_snapshot_advice
from roadmap.sources.github.snapshot import SnapshotUnreadable, SnapshotUnwritable
from roadmap.sources.github.source import GitHubSource

CONFIG_HELP = "The MkDocs configuration file."
NOW_HELP = "Judge the roadmap as of this day (YYYY-MM-DD); default SOURCE_DATE_EPOCH, else today."
OFFLINE_HELP = "Do not fetch from GitHub: use the stored snapshot (the site says how old it is)."
STRICT_HELP = "Fail on roadmap warnings too (missed targets, items not reviewed in time)."


def github_options(command: Any) -> Any:
    """--repo and --api-url, which override the plugin's github options."""
    command = click.option("--api-url", default=None,
                           help="GitHub API address, e.g. https://ghe.example.com/api/v3.")(command)
    return click.option("--repo", "repos", multiple=True, metavar="OWNER/NAME",
                        help="Read this repository (repeat for several) instead of mkdocs.yml's.")(command)


class CommandError(click.ClickException):
    """An error already explained to the reader: printed without a traceback, exit 1."""

    def show(self, file: object = None) -> None:
        click.echo(self.message, err=True)


@click.group(context_settings={"max_content_width": 100})
@click.version_option(__version__, message="candor-roadmap %(version)s")
def main() -> None:
    """Candor: an honest public roadmap from decision files and issues."""


@main.command(short_help="Validate the decision files (for pull requests).")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help=CONFIG_HELP)
@click.option("--now", default=None, help=NOW_HELP)
@click.option("--strict", is_flag=True, help=STRICT_HELP)
@click.option("--format", "output", type=click.Choice(["text", "github"]), default="text",
              show_default=True, help="github: print GitHub Actions annotations.")
@click.option("--changed-since", metavar="REVISION", default=None,
              help="With --strict: fail only on warnings in decision files changed since REVISION "
                   "(e.g. origin/main), so a pull request answers for what it touches.")
@click.option("--offline", is_flag=True, help=OFFLINE_HELP)
@github_options
def check(config_file: str, now: str | None, strict: bool, output: str, changed_since: str | None,
          offline: bool, repos: tuple[str, ...], api_url: str | None) -> None:
    """Validate every decision file; exit 1 if any is invalid (or, with --strict, has warnings)."""
    config, service = _load(config_file, now, repos, api_url)
    # A check never makes the first sync: that is a long fetch, not a validation.
    _prepare_github(service, offline, command="check", first_sync=False)
    verdict = service.verdict()
    failing_warnings = verdict.warnings
    if changed_since:
        try:
            changed = changed_files(changed_since, service.settings.decisions_dir)
        except GitError as err:
            raise CommandError(f"--changed-since: {err}") from None
        failing_warnings = [w for w in verdict.warnings if w.path.resolve() in changed]
    if output == "github":
        base = Path(config.config_file_path).parent
        for problem in verdict.problems:
            click.echo(problem.format_workflow_command(base))
    else:
        _report(verdict, config)
    if verdict.errors:
        raise CommandError(f"{len(verdict.errors)} error(s): the roadmap cannot be published.")
    if strict and failing_warnings:
        where = f" in files changed since {changed_since}" if changed_since else ""
        raise CommandError(f"{len(failing_warnings)} warning(s){where}, which --strict treats as errors.")
    items = len(verdict.roadmap.items) if verdict.roadmap else 0
    click.echo(f"The roadmap is valid: {items} items, {len(verdict.warnings)} warning(s).")


@main.command(short_help="Check the roadmap, then build the site into site/.")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help=CONFIG_HELP)
@click.option("--now", default=None, help=NOW_HELP)
@click.option("-d", "--site-dir", default=None, help="Where to write the site (default: site_dir).")
@click.option("--strict", is_flag=True, help=STRICT_HELP)
@click.option("--mkdocs-strict", is_flag=True,
              help="Fail on MkDocs' own warnings (e.g. broken links), as `strict: true` in mkdocs.yml does.")
@click.option("--offline", is_flag=True, help=OFFLINE_HELP)
@github_options
def build(config_file: str, now: str | None, site_dir: str | None, strict: bool, mkdocs_strict: bool,
          offline: bool, repos: tuple[str, ...], api_url: str | None) -> None:
    """Check the roadmap, then build the site; an invalid roadmap publishes nothing.

    --strict means what it means for `roadmap check`: roadmap warnings fail the build.
    MkDocs' own strictness comes from `strict: true` in mkdocs.yml, or --mkdocs-strict.
    """
    # Only a given flag overrides the config: passing False would switch off `strict: true`.
    config, service = _load(config_file, now, repos, api_url, site_dir=site_dir,
                            strict=mkdocs_strict or None)
    # A build killed between the swap's two renames left `.site-old`: the site is back first.
    publish.recover(Path(config.site_dir))
    _prepare_github(service, offline, command="build", first_sync=True)
    if now and "SOURCE_DATE_EPOCH" not in os.environ:
        # MkDocs dates the sitemap with the build day; tie it to --now so the
        # whole site is a function of its input.
        os.environ["SOURCE_DATE_EPOCH"] = str(_midnight_epoch(resolve_now(now)))
    verdict = service.verdict()
    if verdict.errors:
        # Only what stops the build; `roadmap check` lists the warnings too.
        _report(verdict, config, warnings=False)
        raise CommandError(
            f"{len(verdict.errors)} error(s): nothing was built and the existing site is untouched."
        )
    for line in service.warnings_summary():
        click.echo(line, err=True)
    service.warnings_shown = True
    if strict and verdict.warnings:
        raise CommandError(f"{len(verdict.warnings)} warning(s), which --strict treats as errors: "
                           "nothing was built and the existing site is untouched.")
    _build_into_place(config)  # the plugin builds from `service`, judged above
    click.echo(f"Built {len(verdict.roadmap.items) if verdict.roadmap else 0} items into "
               f"{config.site_dir}")


@main.command(short_help="Preview the site, rebuilding as decision files change.")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help=CONFIG_HELP)
@click.option("-a", "--dev-addr", default=None, help="IP address and port, e.g. localhost:8000.")
def serve(config_file: str, dev_addr: str | None) -> None:
    """Preview the site as of today, rebuilding when a decision file or template changes."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    _load(config_file, None)  # fail early, with a clear message, on a bad config
    _configure_logging()
    try:
        mkdocs_serve(config_file, dev_addr=dev_addr, livereload=True)
    except (mkdocs_errors.Abort, mkdocs_errors.BuildError) as err:
        raise CommandError(str(err)) from None


@main.command(short_help="What the working tree changes on the roadmap, as Markdown.")
@click.argument("base")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help=CONFIG_HELP)
@click.option("--now", default=None, help=NOW_HELP)
@click.option("--offline", is_flag=True, help=OFFLINE_HELP)
def diff(base: str, config_file: str, now: str | None, offline: bool) -> None:
    """Print, as Markdown for a pull-request comment, what the working tree changes since BASE.

    BASE is a git revision such as origin/main. Exit 1 when the changed roadmap
    does not pass `roadmap check` (the Markdown says why).
    """
    config, service = _load(config_file, now)
    _prepare_github(service, offline, command="diff", first_sync=False)
    settings = service.settings
    head = service.verdict()
    with tempfile.TemporaryDirectory(prefix="roadmap-diff-") as scratch:
        try:
            base_dir = extract_folder(base, settings.decisions_dir, Path(scratch))
        except GitError as err:
            raise CommandError(f"roadmap diff: {err}") from None
        # Both sides are judged on the same day, from the same GitHub snapshot.
        before = service.judge_as_of(dataclasses.replace(settings, decisions_dir=base_dir))
        changes = compare(before, head, base_dir, settings.decisions_dir)
    click.echo(diff_markdown(changes, base, Path(config.config_file_path).parent,
                             site_url=config.site_url or None), nl=False)
    if not changes.valid:
        raise CommandError("The changed roadmap does not pass `roadmap check`; see Checks above.")


@main.command(short_help="Fetch issues from GitHub into the snapshot.")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help=CONFIG_HELP)
@click.option("--full", is_flag=True, help="Fetch every issue again instead of only what changed.")
@github_options
def sync(config_file: str, full: bool, repos: tuple[str, ...], api_url: str | None) -> None:
    """Fetch issues from GitHub into the snapshot that builds use."""
    config, service = _load(config_file, None, repos, api_url)
    if service.settings.github is None:
        raise CommandError(f"{config_file}: no GitHub repository to read. Add it under the plugin:\n"
                           "plugins:\n  - roadmap:\n      github:\n        repos: [owner/name]\n"
                           "or pass --repo owner/name.")
    with _terminated_cleanly():
        report = _fetch(service, full)
    if report is not None and report.failed:
        raise CommandError(
            f"{len(report.failed)} of {len(report.results) + (report.project is not None)} "
            f"{'sources (repositories and the project board)' if report.project else 'repositories'} "
            "could not be fetched; "
            "the snapshot keeps their last good copy, and builds will say how old it is."
        )


@main.command(short_help="Tell requesters on their GitHub issues what was decided.")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help=CONFIG_HELP)
@click.option("--now", default=None, help=NOW_HELP)
@click.option("--dry-run", is_flag=True,
              help="Print each comment that would be posted, and each issue closed or reopened, "
                   "without sending anything (GitHub is not asked whether it has them already).")
def notify(config_file: str, now: str | None, dry_run: bool) -> None:
    """Comment on each GitHub issue whose decision changed since the last run (github.write_back).

    Decisions are read as the last build published them: from the decision files and the
    stored snapshot, without fetching. Failures to write are warnings, never exit 1.
    """
    from roadmap.commands.notify import OFF, Options, TemplateProblem
    from roadmap.commands.notify import notify as tell
    from roadmap.core.i18n import UnknownLanguage, speaking

    config, service = _load(config_file, now)
    service.skip_sync()
    settings = dataclasses.replace(service.settings, history=False)
    options = Options(service.options.github.write_back, config.site_url or None,
                      config.use_directory_urls, template_dirs(service.options, config))
    # The publishing workflow runs this for every roadmap: without GitHub, or with
    # write-back off, it has nothing to do, and says so.
    if settings.github is None:
        click.echo(f"{config_file} names no GitHub repository (github.repos): nothing to tell.")
        return
    if options.mode == "off":
        click.echo(OFF)
        return
    if not GitHubSource(settings.github).has_stored_copy():
        # A publish job whose cache was not restored: a warning, not a failed publish.
        click.echo(f"warning: {no_snapshot_advice(settings.github, 'notify')} Nothing was told.", err=True)
        return
    verdict = service.judge_as_of(settings)
    if verdict.roadmap is None:
        _report(verdict, config, warnings=False)
        raise CommandError(f"{len(verdict.errors)} error(s): nothing was told.")
    try:
        # The comment speaks the site's language, as its pages do.
        with speaking(service.language()):
            tell(verdict.roadmap, settings.github, options, dry_run=dry_run, say=click.echo,
                 warn=lambda text: click.echo(f"warning: {text}", err=True),
                 summary_file=os.environ.get("GITHUB_STEP_SUMMARY"))
    except TemplateProblem as err:
        raise CommandError(f"{str(err).rstrip('.')}. Nothing was told.") from None
    except UnknownLanguage as err:
        raise CommandError(f"theme.language: {err}; or set the roadmap plugin's `language`.") from None


@main.command(short_help="Create a roadmap repository: config, examples, workflows.")
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", "project", default=None, help="The project's name (default: the folder's).")
@click.option("--repo", default=None, metavar="OWNER/NAME", help="Also list this repository's GitHub issues.")
@click.option("--from-source", "source", default=None, metavar="PATH|URL",
              help="Install Candor from this git URL (git+https://...) or local checkout instead of "
                   f"the release candor-roadmap=={__version__}.")
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
def init(directory: Path, project: str | None, repo: str | None, source: str | None, force: bool) -> None:
    """Create a new roadmap repository: mkdocs.yml, example decisions, workflows.

    Its requirements.txt, which the workflows install, pins the Candor that wrote it
    (candor-roadmap==VERSION), or names --from-source.
    """
    if repo and not REPO_PATTERN.match(repo):
        raise CommandError(f"--repo: expected owner/name, got '{repo}'.")
    try:
        requirement = requirement_for(__version__, source)
    except InitError as err:
        raise CommandError(f"--from-source: {err}") from None
    folder_name = directory.resolve().name.replace("-", " ").replace("_", " ").strip().title()
    name = project or folder_name or "Project"
    files = scaffold(name, _judging_day(None), repo, requirement)
    clashes = files.existing(directory)
    if clashes and not force:
        raise CommandError(f"{directory}: these files exist already: {', '.join(clashes)}. "
                           "Nothing was written; use --force to overwrite them.")
    files.write(directory)
    for path in sorted(files.files):
        click.echo(f"  wrote {(directory / path).as_posix()}")
    click.echo(f"\nA roadmap for {name} is ready in {directory}.\n{next_steps(repo, requirement)}")
    if requirement.startswith(f"{DISTRIBUTION} @ file:"):
        click.echo("\nNote: requirements.txt names a folder on this machine, which GitHub's runners do "
                   "not have; give --from-source a git URL before you push.")


@main.command("import", short_help="Turn a Fider or Canny export into decision files.")
@click.argument("tool", type=click.Choice(["fider", "canny"]))
@click.argument("export", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help=CONFIG_HELP)
def import_posts(tool: str, export: Path, config_file: str) -> None:
    """Write one decision file per post of a Fider or Canny CSV export (never overwriting one)."""
    from roadmap.commands.importers import ExportUnreadable, import_export

    _, service = _load(config_file, None)
    folder = service.settings.decisions_dir
    try:
        report = import_export(tool, export, folder)
    except ExportUnreadable as err:
        raise CommandError(str(err)) from None
    for path in report.written:
        click.echo(f"  wrote {path.as_posix()}")
    for skipped in report.skipped:
        click.echo(f"  skipped {skipped.where}: {skipped.why}; nothing written for it", err=True)
    click.echo(f"{plural(len(report.written), 'decision file')} written, "
               f"{plural(len(report.skipped), 'post')} skipped. "
               "Run `roadmap check` to see what needs a maintainer's word.")


def _override_github(plugin: RoadmapPlugin, repos: tuple[str, ...], api_url: str | None) -> None:
    """--repo and --api-url win over mkdocs.yml."""
    github = plugin.config.github
    if repos:
        for repo in repos:
            if not REPO_PATTERN.match(repo):
                raise CommandError(f"--repo: expected owner/name, got '{repo}'.")
        github.repos = list(repos)
    if api_url:
        if not api_url.startswith(("https://", "http://")):
            raise CommandError(f"--api-url: expected an address starting with https://, got '{api_url}'.")
        github.api_url = api_url


def _prepare_github(service: RoadmapService, offline: bool, *, command: str, first_sync: bool) -> None:
    """Fetch what changed on GitHub, or not; a roadmap never synced gets one line of advice.

    Only `build` (and `sync`) make a first sync: `check` and `diff`, and any --offline
    command, say at once that there is no snapshot instead of waiting on the network.
    """
    github = service.settings.github
    fetch = not offline and github is not None and github.fetch
    if github is None or GitHubSource(github).has_stored_copy():
        if fetch:
            _fetch(service, full=False)
        else:
            service.skip_sync()
        return
    if not (fetch and first_sync):
        raise CommandError(no_snapshot_advice(github, command))
    report = _fetch(service, full=False)
    if report is not None and report.failed:
        raise CommandError(no_snapshot_advice(github, command, report.failed))


def _fetch(service: RoadmapService, full: bool) -> SyncReport | None:
    _configure_logging()
    bars = _ProgressBars()
    try:
        return service.sync(full=full, progress=bars)
    except (SnapshotUnreadable, SnapshotUnwritable) as err:
        raise CommandError(str(err)) from None
    finally:
        bars.close()


class _ProgressBars:
    """One bar per repository on the terminal: pages read of pages to read, and issues so far."""

    def __init__(self) -> None:
        self.repo: str | None = None
        self.bar: Any = None
        self.issues = 0

    def __call__(self, repo: str, page: int, last_page: int | None, issues: int) -> None:
        if repo != self.repo:
            self.close()
            self.repo = repo
            self.bar = click.progressbar(
                length=max(last_page or page, page), label=f"Fetching {repo}", file=sys.stderr,
                show_pos=True, show_eta=False, item_show_func=self._issues_text)
            self.bar.__enter__()
        self.issues = issues
        self.bar.length = max(last_page or page, page)
        self.bar.update(page - self.bar.pos, issues)

    def _issues_text(self, issues: int | None) -> str:
        return f"pages, {self.issues:,} issues"

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _load(config_file: str, now: str | None, repos: tuple[str, ...] = (), api_url: str | None = None,
          **overrides: str | bool | None) -> tuple[MkDocsConfig, RoadmapService]:
    """The site's configuration, and the roadmap service its plugin will build from."""
    if not Path(config_file).is_file():
        raise CommandError(f"{config_file}: no such file. Run this where your mkdocs.yml is, "
                           "or pass -f path/to/mkdocs.yml.")
    try:
        given = {k: v for k, v in overrides.items() if v is not None}
        config = load_config(config_file, **given)  # type: ignore[arg-type]
    except mkdocs_errors.ConfigurationError as err:
        raise CommandError(f"{config_file}: {err}") from None
    except (yaml.YAMLError, ValueError) as err:
        # PyYAML reads 2026-13-01 as a date and fails while loading, before any option is checked.
        raise CommandError(f"{config_file}: could not be read: {err}") from None
    plugin = next((p for p in config.plugins.values() if isinstance(p, RoadmapPlugin)), None)
    if plugin is None:
        raise CommandError(f"{config_file}: the roadmap plugin is not enabled; add it:\n"
                           "plugins:\n  - roadmap")
    _judging_day(now)
    if now:
        plugin.config.now = now
    _override_github(plugin, repos, api_url)
    plugin.service = RoadmapService(plugin.config, config)
    return config, plugin.service


def _judging_day(now: str | None) -> date:
    """The day to judge on, or a CommandError that says what is wrong with --now or SOURCE_DATE_EPOCH."""
    try:
        return resolve_now(now)
    except (EpochError, OutOfRange) as err:
        where = "" if isinstance(err, EpochError) else "--now: "
        raise CommandError(f"{where}{err}.") from None
    except ValueError as err:
        raise CommandError(f"--now: {err}; write it as YYYY-MM-DD.") from None


def _report(verdict: Verdict, config: MkDocsConfig, warnings: bool = True) -> None:
    base = Path(config.config_file_path).parent
    shown = verdict.problems if warnings else verdict.errors
    for problem in shown:
        click.echo(problem.format(base), err=True)


def _build_into_place(config: MkDocsConfig) -> None:
    """Build into a fresh folder beside the site and swap it in only when the build succeeded
    (roadmap/publish.py: atomic, through a symlinked site, umask, one build at a time)."""
    target = Path(config.site_dir)
    _configure_logging()
    try:
        with _terminated_cleanly(), publish.replacing(target, waiting=_say_waiting(target)) as staging:
            config.site_dir = str(staging)
            # What `mkdocs build` tells plugins around a build, so they can tell it from `serve`.
            config.plugins.on_startup(command="build", dirty=False)
            try:
                mkdocs_build(config)
            finally:
                config.site_dir = str(target)
                config.plugins.on_shutdown()
    except (mkdocs_errors.Abort, mkdocs_errors.BuildError) as err:
        raise CommandError(f"The build failed; the existing site is untouched. {err}") from None
    except OSError as err:
        # A full disk, a folder that cannot be written: a sentence, not 45 lines of traceback.
        where = f" ({err.filename})" if err.filename else ""
        raise CommandError(f"The build failed: {err.strerror or err}{where}. The existing site "
                           "is untouched.") from None


def _say_waiting(target: Path) -> Any:
    def say() -> None:
        click.echo(f"Another build is writing {target}; waiting for it to finish.", err=True)
    return say


@contextlib.contextmanager
def _terminated_cleanly() -> Iterator[None]:
    """SIGTERM (a cancelled CI job, `timeout`) ends the command as Ctrl-C would: the
    half-built folder or half-written snapshot is removed on the way out."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    parent = os.getpid()

    def stop(signum: int, frame: Any) -> None:
        if os.getpid() != parent:
            os._exit(128 + signum)  # a forked renderer: its parent cleans up
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _midnight_epoch(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp())


def _configure_logging() -> None:
    # MkDocs' own commands set this up in their CLI; ours call its functions directly.
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
