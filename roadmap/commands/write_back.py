"""Write-back (`roadmap notify`): tell each requester, on their GitHub issue, what was decided.

For every item linked to a GitHub issue whose decision (status, reason, workaround,
target, duplicate_of) changed since it was last told, one comment is posted: the decision
in plain words, thanks to the person who asked, and the item's page. With
`comment-and-close` the issue is also closed with the matching reason, or reopened when
a later decision brings the request back to planned or under review.

How a decision is known to be told, so that nothing is said twice:

- Each comment ends with a hidden marker, `<!-- candor:decision <id> <hash> -->`, where
  the hash is the decision's (`decision_hash`). Before posting, the issue's comments are
  read: a marker already there means it was said (by a retried job, or a run whose record
  was lost), and it is not said again. An edited decision has another hash, so it gets a
  new comment; old comments are never edited.
- A record in the cache folder (`notified.json`: issue -> item id and hash last told)
  spares reading every issue's comments on every run: only issues whose decision differs
  from the record are looked at.
- The first run, with no record, is a baseline: it records the current decisions as told
  and comments on nothing, so switching write-back on does not flood years of issues.
  From then on each changed decision is told. A new issue still under review is recorded
  without a comment (nothing was decided); one that arrives already decided is told.

Closing and reopening follow a told change only, never a state someone set by hand on
GitHub later. Failures to write (a token without `issues: write`, 5xx, the network) are
warnings, also added to the Actions job summary: the publish has happened and stays.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import jinja2

from roadmap.core.model import Judged, Roadmap, Status
from roadmap.core.words import plural
from roadmap.render.paths import item_path, page_url
from roadmap.render.templating import make_environment
from roadmap.sources.github.issues import github_key
from roadmap.sources.github.settings import GitHubSettings

if TYPE_CHECKING:
    from roadmap.sources.github.write import IssueWriter

STATE_FILE = "notified.json"
STATE_FORMAT = 1
TEMPLATE = "notify-comment.md.j2"
# Requests left untouched for the next sync and build: write-back stops before going below.
RESERVE = 50
# Requests one issue may cost: its comments, the comment, a close or reopen.
COST_PER_ISSUE = 3

# GitHub's state_reason for each status that closes an issue; the others leave it open.
CLOSE_REASONS = {Status.FIXED: "completed", Status.WONT_FIX: "not_planned", Status.DUPLICATE: "duplicate"}
OPEN_STATUSES = (Status.PLANNED, Status.UNDER_REVIEW)
_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")
_MARKER = re.compile(r"<!-- candor:decision (\S+) ([0-9a-f]+) -->")


@dataclass(frozen=True)
class Telling:
    """One issue to tell: the comment to post, and the state to give the issue, if any."""

    repo: str
    number: int
    item_id: str
    hash: str
    comment: str
    # The status told (kept in the record, so a later reversal can say what it reverses).
    status: str
    # "close" (with `state_reason`) or "reopen"; None leaves the issue as it is.
    state_change: str | None = None
    state_reason: str | None = None

    @property
    def issue(self) -> str:
        return f"{self.repo}#{self.number}"

    def describe(self) -> str:
        if self.state_change == "close":
            return f"comment, then close as {_words(self.state_reason)}"
        if self.state_change == "reopen":
            return "comment, then reopen"
        return "comment"


@dataclass
class Plan:
    tellings: list[Telling] = field(default_factory=list)
    # Issues recorded as told without a comment (the baseline, new issues under review).
    recorded: dict[str, dict[str, str]] = field(default_factory=dict)
    baseline: bool = False


@dataclass(frozen=True)
class Options:
    mode: str
    site_url: str | None = None
    directory_urls: bool = True
    template_dirs: Sequence[Path] = ()


Say = Callable[[str], None]
OFF = ("github.write_back is off: nothing to tell. Set it to `comment` or `comment-and-close` "
       "under the plugin's github options to tell requesters on their issues.")


def decision_hash(judged: Judged) -> str:
    """What a comment tells, as a short hash: a new one means there is something new to say."""
    item = judged.item
    told = [item.status.value, item.reason or "", item.workaround or "",
            item.target.text if item.target else "", judged.canonical or item.duplicate_of or ""]
    return hashlib.sha256(json.dumps(told).encode("utf-8")).hexdigest()[:16]


def marker(item_id: str, hash_: str) -> str:
    return f"<!-- candor:decision {item_id} {hash_} -->"


def has_marker(bodies: Iterable[str], item_id: str, hash_: str) -> bool:
    """Whether one of the comments carries this decision's marker (stops reading at the first)."""
    return any((item_id, hash_) in _MARKER.findall(body) for body in bodies)


# -- the record of what was told ------------------------------------------------------------

def state_path(settings: GitHubSettings) -> Path:
    return settings.cache_dir / STATE_FILE


def load_state(settings: GitHubSettings, warn: Say) -> dict[str, dict[str, str]] | None:
    """Issue (owner/name#N) -> {"id", "hash", "status"} last told; None when there is no usable
    record."""
    path = state_path(settings)
    if not path.is_file():
        return None
    try:
        document = json.loads(path.read_text("utf-8"))
        told = document["told"]
        if document.get("format") != STATE_FORMAT or not isinstance(told, dict):
            raise ValueError("not a record Candor wrote")
        return {str(k): {"id": str(v["id"]), "hash": str(v["hash"]), "status": str(v.get("status", ""))}
                for k, v in told.items()}
    except (OSError, ValueError, KeyError, TypeError) as err:
        warn(f"{path}: the record of what was told could not be read ({err}); starting a new "
             "baseline (nothing is posted this run)")
        return None


def save_state(settings: GitHubSettings, told: dict[str, dict[str, str]]) -> None:
    """Write the record in one step: a killed job leaves the old record or the new one."""
    path = state_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"format": STATE_FORMAT, "told": dict(sorted(told.items()))}
    handle, temporary = tempfile.mkstemp(prefix=".notified-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(document, out, sort_keys=True, indent=1)
            out.write("\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# -- what to tell ----------------------------------------------------------------------------

def plan(roadmap: Roadmap, told: dict[str, dict[str, str]] | None, options: Options,
         issue_states: dict[str, tuple[str, str | None]]) -> Plan:
    """What this run tells, in issue order; `issue_states`: issue -> (state, state_reason)."""
    result = Plan(baseline=told is None)
    template = _comment_template(options)
    by_id = roadmap.by_id()
    for judged in sorted(_linked(roadmap), key=lambda j: _issue_key(github_key(j.item.issue) or "")):
        issue = github_key(judged.item.issue) or ""
        hash_ = decision_hash(judged)
        entry = {"id": judged.id, "hash": hash_, "status": judged.status.value}
        before = None if told is None else told.get(issue)
        if told is None or (before is None and judged.status is Status.UNDER_REVIEW):
            result.recorded[issue] = entry
            continue
        if before is not None and before["hash"] == hash_:
            continue
        repo, number = _issue_key(issue)
        change, reason = _state_change(judged.status, issue_states.get(issue), options.mode)
        previous = _status(before["status"]) if before else None
        try:
            comment = template.render(**_comment_context(judged, by_id, options, hash_, previous))
        except jinja2.TemplateError as err:
            raise TemplateProblem(f"{_template_file(template)}: {err.message or err} (while writing "
                                  f"the comment for {issue})") from None
        result.tellings.append(Telling(repo, number, judged.id, hash_, comment.strip() + "\n",
                                       judged.status.value, change, reason))
    return result


class TemplateProblem(Exception):
    """The comment template (a site's own, usually) cannot be used; the message says where."""


def _comment_template(options: Options) -> jinja2.Template:
    try:
        return make_environment(options.template_dirs).get_template(TEMPLATE)
    except jinja2.TemplateSyntaxError as err:
        raise TemplateProblem(f"{err.filename or TEMPLATE}:{err.lineno}: {err.message}") from None


def _template_file(template: jinja2.Template) -> str:
    return template.filename or TEMPLATE


def _linked(roadmap: Roadmap) -> list[Judged]:
    return [j for j in roadmap.items if github_key(j.item.issue)]


def _issue_key(issue: str) -> tuple[str, int]:
    repo, _, number = issue.rpartition("#")
    return repo, int(number) if number.isdigit() else 0


def _state_change(status: Status, current: tuple[str, str | None] | None,
                  mode: str) -> tuple[str | None, str | None]:
    if mode != "comment-and-close" or current is None:
        return None, None
    state, reason = current
    wanted = CLOSE_REASONS.get(status)
    if wanted is not None and (state != "closed" or reason != wanted):
        return "close", wanted
    if status in OPEN_STATUSES and state == "closed":
        return "reopen", None
    return None, None


def _status(value: str) -> Status | None:
    try:
        return Status(value)
    except ValueError:
        return None


def _comment_context(judged: Judged, by_id: dict[str, Judged], options: Options,
                     hash_: str, previous: Status | None) -> dict[str, Any]:
    item = judged.item
    other = by_id.get(judged.canonical or item.duplicate_of or "")
    author = item.author if item.author and _LOGIN.match(item.author) else None
    return {
        "item": item,
        "judged": judged,
        "status": item.status.value,
        # What the issue was last told, when it was told something else (else None): a
        # request back under review can say which decision was withdrawn.
        "previous": previous.value if previous is not None and previous is not item.status else None,
        "author": author,
        "page": _page(item.id, options),
        "duplicate_page": _page(other.id, options) if other else None,
        "duplicate_issue": github_key(other.item.issue) if other else None,
        "duplicate_title": other.item.title if other else (item.duplicate_of or ""),
        "marker": marker(item.id, hash_),
    }


def _page(item_id: str, options: Options) -> str | None:
    if not options.site_url:
        return None
    return options.site_url.rstrip("/") + "/" + quote(page_url(item_path(item_id), options.directory_urls))


# -- telling ---------------------------------------------------------------------------------

def dry_run_text(result: Plan, options: Options, state_file: Path) -> str:
    """Exactly what a run would post, close and reopen, in issue order."""
    lines = [f"Write-back ({options.mode}), dry run: nothing is sent to GitHub."]
    if result.baseline:
        lines.append(f"No record of earlier write-back ({state_file}): this run would record the "
                     f"current decisions of {_issues(len(result.recorded))} as told, without commenting.")
        return "\n".join(lines) + "\n"
    if result.recorded:
        lines.append(f"{_issues(len(result.recorded)).capitalize()} new and under review would be "
                     "recorded without a comment.")
    lines.append(f"{_issues(len(result.tellings)).capitalize()} to tell.")
    for telling in result.tellings:
        lines.append("")
        lines.append(f"== {telling.issue} ({telling.item_id}): {telling.describe()}")
        lines.append(telling.comment.rstrip("\n"))
    return "\n".join(lines) + "\n"


@dataclass
class Outcome:
    posted: int = 0
    already: int = 0
    closed: int = 0
    reopened: int = 0
    warnings: list[str] = field(default_factory=list)


def tell(result: Plan, told: dict[str, dict[str, str]], settings: GitHubSettings,
         say: Say, warn: Say) -> Outcome:
    """Post, close and reopen as planned; every failure is a warning, and what was told is
    recorded even when a later issue fails."""
    from roadmap.sources.github.write import IssueWriter, WriteFailed  # PyGithub only when writing

    outcome = Outcome()

    def warning(text: str) -> None:
        outcome.warnings.append(text)
        warn(text)

    record = {**told, **result.recorded}
    writer = IssueWriter(settings)
    writer.ask_budget()
    # Repositories where the token may not write: their other issues are not tried this run.
    refused: set[str] = set()
    try:
        for index, telling in enumerate(result.tellings):
            if telling.repo in refused:
                continue
            remaining, limit = writer.remaining
            if remaining is not None and remaining - COST_PER_ISSUE < RESERVE:
                left = len(result.tellings) - index
                warning(f"write-back stopped with {_issues(left)} left to tell: {remaining:,} of "
                        f"{limit or 0:,} requests are left this hour, and the next sync needs some; "
                        "the next run tells the rest")
                break
            try:
                _tell_one(writer, telling, outcome, say)
            except WriteFailed as err:
                warning(f"{telling.issue}: could not {telling.describe()}: {err}"
                        + (f"; the token in ${settings.token_env} needs `issues: write` on "
                           f"{telling.repo}" if err.refused else ""))
                if err.rate_limited:
                    break
                if err.refused:
                    refused.add(telling.repo)  # its other issues would be refused the same way
                continue
            record[telling.issue] = {"id": telling.item_id, "hash": telling.hash, "status": telling.status}
    finally:
        save_state(settings, record)
    say(_cost(writer, outcome))
    return outcome


def _tell_one(writer: IssueWriter, telling: Telling, outcome: Outcome, say: Say) -> None:
    if has_marker(writer.comments(telling.repo, telling.number), telling.item_id, telling.hash):
        outcome.already += 1
        done = "already told (its comment is there)"
    else:
        writer.comment(telling.repo, telling.number, telling.comment)
        outcome.posted += 1
        done = "commented"
    if telling.state_change == "close" and telling.state_reason:
        writer.close(telling.repo, telling.number, telling.state_reason)
        outcome.closed += 1
        done += f", closed as {_words(telling.state_reason)}"
    elif telling.state_change == "reopen":
        writer.reopen(telling.repo, telling.number)
        outcome.reopened += 1
        done += ", reopened"
    say(f"{telling.issue} ({telling.item_id}): {done}")


def _cost(writer: IssueWriter, outcome: Outcome) -> str:
    remaining, limit = writer.remaining
    left = f"; {remaining:,} of {limit:,} requests left this hour" \
        if remaining is not None and limit is not None else ""
    requests = writer.requests
    return (f"Write-back: {plural(outcome.posted, 'comment')} posted, "
            f"{outcome.already} already there, {outcome.closed} closed, {outcome.reopened} reopened, "
            f"in {plural(requests, 'request')}{left}.")


def append_summary(path: str | None, warnings: Sequence[str]) -> None:
    """Add the warnings to the GitHub Actions job summary, where a maintainer sees them."""
    if not path or not warnings:
        return
    lines = ["### Roadmap write-back: warnings", ""] + [f"- {w}" for w in warnings] + [""]
    try:
        with open(path, "a", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
    except OSError:
        pass  # the summary is a courtesy; the warnings were printed too


def issue_states(settings: GitHubSettings) -> dict[str, tuple[str, str | None]]:
    """Each stored issue's state and state_reason, from the snapshot the site was built from."""
    from roadmap.sources.github import snapshot as snapshots

    stored = snapshots.load(settings.cache_dir, settings.api_url)
    return {f"{repo}#{number}": (str(issue.get("state")), issue.get("state_reason"))
            for repo, entry in stored.repos.items() for number, issue in entry.issues.items()}


def _issues(count: int) -> str:
    return plural(count, "issue")


def _words(state_reason: str | None) -> str:
    return (state_reason or "").replace("_", " ")


def notify(roadmap: Roadmap, settings: GitHubSettings, options: Options, *, dry_run: bool,
           say: Say, warn: Say, summary_file: str | None = None) -> Outcome | None:
    """The whole of `roadmap notify`: plan, then print it (dry run) or tell it.

    Never raises for GitHub's sake: a publish has happened, and what could not be told
    is a warning (also in the job summary) that the next run tries again.
    """
    if options.mode == "off":
        say(OFF)
        return None
    collected: list[str] = []

    def warning(text: str) -> None:
        collected.append(text)
        warn(text)

    told = load_state(settings, warning)
    try:
        states = issue_states(settings)
    except Exception as err:  # noqa: BLE001 - an unreadable snapshot only costs the closing
        warning(f"the GitHub snapshot could not be read ({err}); issues are commented on, "
                "not closed or reopened")
        states = {}
    result = plan(roadmap, told, options, states)
    if result.tellings and not options.site_url:
        warning("site_url is not set in mkdocs.yml, so the comments cannot link to the item pages")
    if dry_run:
        say(dry_run_text(result, options, state_path(settings)).rstrip("\n"))
        append_summary(summary_file, collected)
        return None
    if result.baseline:
        save_state(settings, result.recorded)
        say(f"Write-back: no record of earlier write-back ({state_path(settings)}); the current "
            f"decisions of {_issues(len(result.recorded))} are recorded as told, without "
            "commenting. From now on each changed decision is told on its issue.")
        append_summary(summary_file, collected)
        return Outcome()
    if not result.tellings:
        save_state(settings, {**(told or {}), **result.recorded})
        say("Write-back: no decision changed since the last run; nothing to tell.")
        append_summary(summary_file, collected)
        return Outcome()
    if settings.token() is None:
        warning(f"no token in ${settings.token_env}: write-back needs one that may write issues "
                f"(in GitHub Actions: `permissions: issues: write`); {_issues(len(result.tellings))} "
                "left to tell")
        append_summary(summary_file, collected)
        return Outcome(warnings=collected)
    outcome = tell(result, told or {}, settings, say, warn)
    outcome.warnings[:0] = collected
    append_summary(summary_file, outcome.warnings)
    return outcome
