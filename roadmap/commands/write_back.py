"""Write-back (`roadmap notify`): tell each requester, on their issue, what was decided.

Each tracker that can be told offers a `WriteBack` (sources/writing.py): this module works
through it alone, names no tracker, and runs once for each tracker whose write-back is on.
For every item linked to one of its issues whose decision changed since it was last told, one
comment is posted: the decision in plain words, thanks to the person who asked, and the
item's page. With `comment-and-close` the issue is also closed with the matching reason, or
reopened when a later decision brings the request back to planned or under review.

How a decision is known to be told, so that nothing is said twice and nothing is left unsaid:

- What a comment tells is hashed (`decision_hash`): the status and, for that status, every
  fact the comment states (fixed: the version; planned: the target and whether work has
  started; won't fix: reason and workaround; duplicate: the request it repeats). The page
  link and the wording are left out, so a new `site_url` or language tells nobody again.
- Each comment ends with a hidden marker, `<!-- candor:decision <id> <hash> -->`. Its hash
  (`telling_hash`) chains the decision's hash to the hash last told on that issue, so the
  same decision told again after another one (fixed, then planned, then fixed again) has a
  new marker and is told again, while a retried job finds its own marker and says nothing.
- Before posting, the issue's comments are read: the marker counts only as the last line
  of a comment posted by Candor's own account (`IssueWriter.own_accounts`). Anyone may
  post a marker (the hash can be worked out from the public roadmap.json); theirs
  silences nothing. Old comments are never edited.
- A record in the cache folder (`WriteBack.state_file`, one per tracker: issue -> item id,
  decision hash, marker hash and status last told; and the accounts Candor posted as) spares reading every
  issue's comments on every run: only issues whose decision differs from the record are
  looked at. It is written atomically: a killed job or a full disk leaves the old record
  whole, and a record that cannot be written stops the command with a sentence (exit 1).
- The first run, with no record, is a baseline: it records the current decisions as told
  and comments on nothing, so switching write-back on does not flood years of issues.
  From then on each changed decision is told. A new issue still under review is recorded
  without a comment (nothing was decided); one that arrives already decided is told.
  A record that cannot be read (not JSON, nested past reading, not Candor's) is a warning
  and a new baseline, as a lost record is; one that is a folder is an error.

What is posted pings no one and loads nothing (render/inert.py): every @mention in it but
Candor's own thanks to the requester is broken, every image becomes a plain link. A
comment longer than the tracker takes (GitHub: 65,536 characters) is not sent; a warning names the file,
line and field, and `roadmap check` refuses such a reason or workaround beforehand.

Closing and reopening follow a told change only, never a state someone set by hand on
the tracker later. Failures to write (a token that may not write issues, 5xx, the network) are
warnings, also added to the Actions job summary: the publish has happened and stays.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2

from roadmap.core.model import Judged, Roadmap, Status
from roadmap.core.text import visible
from roadmap.core.words import plural
from roadmap.render.inert import LOGIN, inert_markdown
from roadmap.render.paths import item_path, page_url
from roadmap.render.templating import make_environment
from roadmap.sources.writing import Comment, IssueWriter, WriteBack, WriteFailed

# 2: each entry has the decision's hash beside the marker's, and the record the accounts
# Candor posted as. A record of format 1 is still read (its hash was the decision's).
STATE_FORMAT = 2
READABLE_FORMATS = (1, 2)
TEMPLATE = "notify-comment.md.j2"
# Requests left untouched for the next sync and build: write-back stops before going below.
RESERVE = 50
# Requests one issue may cost: its comments, the comment, a close or reopen.
COST_PER_ISSUE = 3

# The reason (GitHub's state_reason) for each status that closes an issue; the others leave it open.
CLOSE_REASONS = {Status.FIXED: "completed", Status.WONT_FIX: "not_planned", Status.DUPLICATE: "duplicate"}
OPEN_STATUSES = (Status.PLANNED, Status.UNDER_REVIEW)


@dataclass(frozen=True)
class Telling:
    """One issue to tell: the comment to post, and the state to give the issue, if any."""

    repo: str
    number: int
    item_id: str
    # The decision's own hash, and the marker's (the decision chained to what was told before).
    decision: str
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
            return f"comment, then close as {_words(self.state_reason)}" if self.state_reason \
                else "comment, then close"
        if self.state_change == "reopen":
            return "comment, then reopen"
        return "comment"

    def entry(self) -> dict[str, str]:
        """What the record keeps once this is told."""
        return {"id": self.item_id, "decision": self.decision, "hash": self.hash, "status": self.status}


@dataclass
class Told:
    """The record of what was told: issue (owner/name#N) -> {"id", "decision", "hash",
    "status"}, and the accounts Candor's comments were posted as."""

    issues: dict[str, dict[str, str]] = field(default_factory=dict)
    accounts: set[str] = field(default_factory=set)


@dataclass
class Plan:
    tellings: list[Telling] = field(default_factory=list)
    # Issues recorded as told without a comment (the baseline, new issues under review).
    recorded: dict[str, dict[str, str]] = field(default_factory=dict)
    # Entries of a format-1 record whose decision has not changed, in the current format.
    upgraded: dict[str, dict[str, str]] = field(default_factory=dict)
    baseline: bool = False
    # Comments too long for the tracker: not told, a warning each (file, line, field).
    too_long: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Options:
    mode: str
    site_url: str | None = None
    directory_urls: bool = True
    template_dirs: Sequence[Path] = ()
    # Where the decision files' paths are shown from in warnings (mkdocs.yml's folder).
    base: Path | None = None


Say = Callable[[str], None]


def off(tracker: WriteBack) -> str:
    return (f"{tracker.setting} is off: nothing to tell. Set it to `comment` or `comment-and-close` "
            f"under the plugin's {tracker.field} options to tell requesters on their issues.")


def decision_hash(judged: Judged, by_id: dict[str, Judged], tracker: WriteBack) -> str:
    """Everything a comment tells about the decision, as a short hash: a new one means there is
    something new to say. Only the facts the comment states for this status count (a fixed
    item's milestone is not told, so moving it tells nothing)."""
    item = judged.item
    told: list[object] = [item.status.value]
    if item.status is Status.FIXED:
        told.append(item.version or "")
    elif item.status is Status.PLANNED:
        told += [item.target.text if item.target else "", item.started_on is not None]
    elif item.status is Status.WONT_FIX:
        told += [item.reason or "", item.workaround or ""]
    elif item.status is Status.DUPLICATE:
        other = by_id.get(judged.canonical or item.duplicate_of or "")
        original = (tracker.key(other.item.issue) or other.item.title) if other else item.duplicate_of
        told.append(original or "")
    return _short_hash(told)


def telling_hash(decision: str, before: str) -> str:
    """The marker's hash: the decision chained to the marker hash last told on the issue (or
    recorded at the baseline), so that a decision told, withdrawn and taken again is told
    again, and a retried telling has the same marker as the first try."""
    return _short_hash([decision, before])


def _legacy_hash(judged: Judged) -> str:
    """The decision's hash as a format-1 record kept it: an entry is unchanged when it matches."""
    item = judged.item
    told = [item.status.value, item.reason or "", item.workaround or "",
            item.target.text if item.target else "", judged.canonical or item.duplicate_of or ""]
    return _short_hash(told)


def _short_hash(told: Sequence[object]) -> str:
    return hashlib.sha256(json.dumps(told).encode("utf-8")).hexdigest()[:16]


def marker(item_id: str, hash_: str) -> str:
    return f"<!-- candor:decision {item_id} {hash_} -->"


def has_marker(comments: Iterable[Comment], item_id: str, hash_: str,
               own_accounts: Callable[[], frozenset[str]]) -> bool:
    """Whether Candor itself already posted this telling: a comment whose last line is its
    marker, by one of Candor's own accounts. Stops reading at the first; `own_accounts` is
    asked only when a marker is found."""
    wanted = marker(item_id, hash_)
    for comment in comments:
        lines = comment.body.rstrip().splitlines()
        if lines and lines[-1].strip() == wanted and comment.author in own_accounts():
            return True
    return False


# -- the record of what was told ------------------------------------------------------------

def state_path(tracker: WriteBack) -> Path:
    return tracker.state_file


class RecordProblem(Exception):
    """The record of what was told cannot be kept where it is; the message names the file."""


def load_state(tracker: WriteBack, warn: Say) -> Told | None:
    """What was told, or None when there is no usable record (then a new baseline is taken)."""
    path = state_path(tracker)
    if path.exists() and not path.is_file():
        raise RecordProblem(f"{path}: this is where write-back keeps its record of what was told, "
                            "but it is not a file; move it away (the next run then takes a new "
                            "baseline and posts nothing)")
    if not path.is_file():
        return None
    try:
        document = json.loads(path.read_text("utf-8"))
        return _told(document)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as err:
        why = "it is nested too deeply to read" if isinstance(err, RecursionError) else str(err)
        warn(f"{path}: the record of what was told could not be read ({why}); starting a new "
             "baseline (nothing is posted this run)")
        return None


def _told(document: Any) -> Told:
    if not isinstance(document, dict) or document.get("format") not in READABLE_FORMATS:
        raise ValueError("not a record Candor wrote")
    issues = document["told"]
    accounts = document.get("accounts", [])
    if not isinstance(issues, dict) or not isinstance(accounts, list):
        raise ValueError("not a record Candor wrote")
    entries = {}
    for key, value in issues.items():
        entry = {"id": str(value["id"]), "hash": str(value["hash"]), "status": str(value.get("status", ""))}
        if "decision" in value:
            entry["decision"] = str(value["decision"])
        entries[str(key)] = entry
    return Told(entries, {a for a in accounts if isinstance(a, str)})


def save_state(tracker: WriteBack, told: Told) -> None:
    """Write the record in one step: a killed job, or a disk that fills up, leaves the old
    record or the new one, never half of one."""
    path = state_path(tracker)
    document = {"format": STATE_FORMAT, "told": dict(sorted(told.issues.items())),
                "accounts": sorted(told.accounts)}
    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".notified-", suffix=".json", dir=path.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(document, out, sort_keys=True, indent=1)
            out.write("\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError as err:
        raise RecordProblem(f"{path}: the record of what was told could not be written "
                            f"({err.strerror or err}); the record before this run is kept") from None
    finally:
        if temporary is not None and os.path.exists(temporary):
            Path(temporary).unlink(missing_ok=True)


# -- what to tell ----------------------------------------------------------------------------

def plan(roadmap: Roadmap, told: dict[str, dict[str, str]] | None, options: Options,
         issue_states: dict[str, tuple[str, str | None]], tracker: WriteBack) -> Plan:
    """What this run tells, in issue order; `issue_states`: issue -> (state, state_reason)."""
    result = Plan(baseline=told is None)
    template = _comment_template(options)
    by_id = roadmap.by_id()
    linked = _linked(roadmap, tracker)
    for judged in sorted(linked, key=lambda j: _issue_key(tracker.key(j.item.issue) or "")):
        issue = tracker.key(judged.item.issue) or ""
        decision = decision_hash(judged, by_id, tracker)
        before = None if told is None else told.get(issue)
        if told is None or (before is None and judged.status is Status.UNDER_REVIEW):
            # Nothing told yet: the decision itself seeds the chain of marker hashes.
            result.recorded[issue] = {"id": judged.id, "decision": decision, "hash": decision,
                                      "status": judged.status.value}
            continue
        if before is not None and _unchanged(before, judged, decision):
            if "decision" not in before:  # a format-1 entry: kept, in the current format
                result.upgraded[issue] = {**before, "decision": decision}
            continue
        hash_ = telling_hash(decision, before["hash"] if before else "")
        repo, number = _issue_key(issue)
        change, reason = _state_change(judged.status, issue_states.get(issue), options.mode,
                                       tracker.records_reasons)
        previous = _status(before["status"]) if before else None
        try:
            comment = template.render(**_comment_context(judged, by_id, options, hash_, previous, tracker))
        except jinja2.TemplateError as err:
            raise TemplateProblem(f"{_template_file(template)}: {err.message or err} (while writing "
                                  f"the comment for {issue})") from None
        author = _author(judged)
        comment = inert_markdown(comment.strip(), allowed=(author,) if author else ()) + "\n"
        if len(comment) > tracker.max_comment_chars:
            result.too_long.append(_too_long(judged, issue, len(comment), options, tracker))
            continue
        result.tellings.append(Telling(repo, number, judged.id, decision, hash_, comment,
                                       judged.status.value, change, reason))
    return result


def _unchanged(before: dict[str, str], judged: Judged, decision: str) -> bool:
    if "decision" in before:
        return before["decision"] == decision
    return before["hash"] == _legacy_hash(judged)


def _too_long(judged: Judged, issue: str, length: int, options: Options, tracker: WriteBack) -> str:
    """The warning for a comment the tracker would refuse, at the field that makes it long."""
    item = judged.item
    texts = {"reason": item.reason or "", "workaround": item.workaround or "", "title": item.title,
             "summary": item.summary}
    longest = max(texts, key=lambda name: len(texts[name]))
    path = item.source.path
    if options.base is not None:
        try:
            path = path.relative_to(options.base)
        except ValueError:
            pass
    return visible(f"{path}:{item.source.line_of(longest)}: field '{longest}': the comment for {issue} "
                   f"would be {length:,} characters, more than the {tracker.max_comment_chars:,} "
                   f"{tracker.tracker} takes in one comment; not told. Shorten the {longest} "
                   f"({len(texts[longest]):,} characters now)")


class TemplateProblem(Exception):
    """The comment template (a site's own, usually) cannot be used; the message says where."""


def _comment_template(options: Options) -> jinja2.Template:
    try:
        return make_environment(options.template_dirs).get_template(TEMPLATE)
    except jinja2.TemplateSyntaxError as err:
        raise TemplateProblem(f"{err.filename or TEMPLATE}:{err.lineno}: {err.message}") from None


def _template_file(template: jinja2.Template) -> str:
    return template.filename or TEMPLATE


def _linked(roadmap: Roadmap, tracker: WriteBack) -> list[Judged]:
    return [j for j in roadmap.items if tracker.key(j.item.issue)]


def _issue_key(issue: str) -> tuple[str, int]:
    repo, _, number = issue.rpartition("#")
    return repo, int(number) if number.isdigit() else 0


def _state_change(status: Status, current: tuple[str, str | None] | None,
                  mode: str, reasons: bool) -> tuple[str | None, str | None]:
    if mode != "comment-and-close" or current is None:
        return None, None
    state, reason = current
    wanted = CLOSE_REASONS.get(status)
    if wanted is not None and not reasons:
        # A tracker that records no reason for a close: closed is closed.
        return ("close", None) if state != "closed" else (None, None)
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
                     hash_: str, previous: Status | None, tracker: WriteBack) -> dict[str, Any]:
    item = judged.item
    other = by_id.get(judged.canonical or item.duplicate_of or "")
    author = _author(judged)
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
        "duplicate_issue": tracker.key(other.item.issue) if other else None,
        "duplicate_title": other.item.title if other else (item.duplicate_of or ""),
        "marker": marker(item.id, hash_),
    }


def _author(judged: Judged) -> str | None:
    """The requester's login, when it is one (a GitHub login or another tracker's
    user name, as render/inert.py reads names): the one mention a comment keeps live."""
    author = judged.item.author
    return author if author and LOGIN.fullmatch(author) else None


def _page(item_id: str, options: Options) -> str | None:
    if not options.site_url:
        return None
    return options.site_url.rstrip("/") + "/" + quote(page_url(item_path(item_id), options.directory_urls))


# -- telling ---------------------------------------------------------------------------------

def dry_run_text(result: Plan, options: Options, state_file: Path, tracker: str) -> str:
    """Exactly what a run would post, close and reopen, in issue order."""
    lines = [f"Write-back ({options.mode}), dry run: nothing is sent to {tracker}."]
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


def tell(result: Plan, told: Told, tracker: WriteBack, say: Say, warn: Say) -> Outcome:
    """Post, close and reopen as planned; every failure is a warning, and what was told is
    recorded even when a later issue fails."""
    outcome = Outcome()

    def warning(text: str) -> None:
        outcome.warnings.append(text)
        warn(text)

    record = Told({**told.issues, **result.recorded, **result.upgraded}, set(told.accounts))
    writer = tracker.writer()  # the tracker's client loads only now
    # Accounts Candor posted as on earlier runs (a GitHub App's bot) are its own too.
    writer.posted_as |= told.accounts
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
                        f"{limit or 0:,} requests are left this {tracker.period}, and the next sync "
                        "needs some; the next run tells the rest")
                break
            try:
                _tell_one(writer, telling, outcome, say)
            except WriteFailed as err:
                if err.exhausted:
                    warning(f"write-back stopped with {_issues(len(result.tellings) - index)} left to "
                            f"tell: {err}; the next run tells the rest")
                    break
                warning(f"{telling.issue}: could not {telling.describe()}: {err}"
                        + (f"; the token in ${tracker.token_env} needs {tracker.write_permission} on "
                           f"{telling.repo}" if err.refused else ""))
                if err.rate_limited:
                    break
                if err.refused:
                    refused.add(telling.repo)  # its other issues would be refused the same way
                continue
            record.issues[telling.issue] = telling.entry()
    finally:
        record.accounts |= writer.posted_as
        try:
            save_state(tracker, record)
        except RecordProblem as err:
            if outcome.posted:
                # The markers of what was posted are on the issues: the next run finds them.
                raise RecordProblem(f"{err}; nothing is posted twice: the next run finds what this run "
                                    f"posted ({plural(outcome.posted, 'comment')}) by its markers") from None
            raise
    say(_cost(writer, outcome, tracker.period))
    return outcome


def _tell_one(writer: IssueWriter, telling: Telling, outcome: Outcome, say: Say) -> None:
    # Reading the comments leaves room for the comment and the close after them.
    comments = writer.comments(telling.repo, telling.number, keep=RESERVE + COST_PER_ISSUE - 1)
    if has_marker(comments, telling.item_id, telling.hash, writer.own_accounts):
        outcome.already += 1
        done = "already told (its comment is there)"
    else:
        writer.comment(telling.repo, telling.number, telling.comment)
        outcome.posted += 1
        done = "commented"
    if telling.state_change == "close":
        writer.close(telling.repo, telling.number, telling.state_reason)
        outcome.closed += 1
        done += f", closed as {_words(telling.state_reason)}" if telling.state_reason else ", closed"
    elif telling.state_change == "reopen":
        writer.reopen(telling.repo, telling.number)
        outcome.reopened += 1
        done += ", reopened"
    say(f"{telling.issue} ({telling.item_id}): {done}")


def _cost(writer: IssueWriter, outcome: Outcome, period: str) -> str:
    remaining, limit = writer.remaining
    left = f"; {remaining:,} of {limit:,} requests left this {period}" \
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


def _issues(count: int) -> str:
    return plural(count, "issue")


def _words(state_reason: str | None) -> str:
    return (state_reason or "").replace("_", " ")


def notify(roadmap: Roadmap, tracker: WriteBack, options: Options, *, dry_run: bool,
           say: Say, warn: Say, summary_file: str | None = None) -> Outcome | None:
    """The whole of `roadmap notify` for one tracker: plan, then print it (dry run) or tell it.

    Never raises for the tracker's sake: a publish has happened, and what could not be told
    is a warning (also in the job summary) that the next run tries again. Raises
    RecordProblem when the record of what was told cannot be kept (a folder in its place, a
    full disk): the command says so and exits 1, the old record untouched.
    """
    if options.mode == "off":
        say(off(tracker))
        return None
    collected: list[str] = []

    def warning(text: str) -> None:
        collected.append(text)
        warn(text)

    told = load_state(tracker, warning)
    try:
        states = tracker.issue_states()
    except Exception as err:  # noqa: BLE001 - an unreadable snapshot only costs the closing
        warning(f"the {tracker.tracker} snapshot could not be read ({err}); issues are commented on, "
                "not closed or reopened")
        states = {}
    result = plan(roadmap, None if told is None else told.issues, options, states, tracker)
    for text in result.too_long:
        warning(text)
    if result.tellings and not options.site_url:
        warning("site_url is not set in mkdocs.yml, so the comments cannot link to the item pages")
    if dry_run:
        say(dry_run_text(result, options, state_path(tracker), tracker.tracker).rstrip("\n"))
        append_summary(summary_file, collected)
        return None
    if told is None:
        save_state(tracker, Told(result.recorded))
        say(f"Write-back: no record of earlier write-back ({state_path(tracker)}); the current "
            f"decisions of {_issues(len(result.recorded))} are recorded as told, without "
            "commenting. From now on each changed decision is told on its issue.")
        append_summary(summary_file, collected)
        return Outcome()
    if not result.tellings:
        save_state(tracker, Told({**told.issues, **result.recorded, **result.upgraded}, told.accounts))
        say("Write-back: no decision changed since the last run; nothing to tell." if not result.too_long
            else "Write-back: nothing could be told; see the warnings.")
        append_summary(summary_file, collected)
        return Outcome()
    if tracker.token() is None:
        warning(f"no token in ${tracker.token_env}: write-back needs one that may write issues "
                f"({tracker.write_permission}); {_issues(len(result.tellings))} "
                "left to tell")
        append_summary(summary_file, collected)
        return Outcome(warnings=collected)
    outcome = tell(result, told, tracker, say, warn)
    outcome.warnings[:0] = collected
    append_summary(summary_file, outcome.warnings)
    return outcome
