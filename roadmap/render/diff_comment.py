"""`roadmap diff` as Markdown for a pull-request comment.

The comment quotes text a pull request's author wrote (reasons, workarounds, problems that
echo a value) and issue titles anyone may set, so it is made inert before it is printed
(render/inert.py): no @mention in it notifies anyone, no image in it loads.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from roadmap.core.model import Problem, Severity
from roadmap.core.words import plural
from roadmap.judge.compare import Changes
from roadmap.render.inert import inert_markdown
from roadmap.render.templating import make_environment


@dataclass(frozen=True)
class ShownProblem:
    """A problem with its path as the reviewer sees it in the repository."""

    shown_path: str
    line: int
    field: str | None
    message: str
    fix: str
    severity: Severity


def diff_markdown(changes: Changes, base: str, relative_to: Path, site_url: str | None = None,
                  template_dirs: tuple[Path, ...] = ()) -> str:
    """What a pull request does to the roadmap, as Markdown for a comment on it; a site's
    own `diff.md.j2` in `template_dirs` overrides the package's, as for its pages; whichever
    is used, what it writes pings no one and loads no image."""
    env = make_environment(template_dirs)
    env.filters["quote"] = _quote
    return inert_markdown(env.get_template("diff.md.j2").render(
        changes=changes,
        problems=[_shown(p, relative_to) for p in changes.problems],
        base=base,
        summary=_summary(changes),
        site_url=(site_url.rstrip("/") + "/") if site_url else None,
    ))


def _shown(problem: Problem, relative_to: Path) -> ShownProblem:
    try:
        path = problem.path.relative_to(relative_to).as_posix()
    except ValueError:
        path = problem.path.as_posix()
    return ShownProblem(path, problem.line, problem.field, problem.message, problem.fix, problem.severity)


def _quote(text: str) -> str:
    """Indented under a list item, as a Markdown block quote."""
    return "\n".join(f"  > {line}".rstrip() for line in text.splitlines())


def _summary(changes: Changes) -> str:
    parts = [
        _count(len(changes.status), "status change"),
        _count(sum(1 for r in changes.reasons if r.before is None), "new won't-fix reason"),
        _count(sum(1 for r in changes.reasons if r.before is not None), "changed won't-fix reason"),
        _count(len(changes.targets), "target set or moved", "targets set or moved"),
        _count(len(changes.added), "item added", "items added"),
        _count(len(changes.removed), "item removed", "items removed"),
    ]
    return ", ".join(p for p in parts if p)


def _count(number: int, one: str, many: str | None = None) -> str:
    if number == 0:
        return ""
    return plural(number, one, many)
