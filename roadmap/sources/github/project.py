"""Fetch a GitHub Projects (v2) board over GraphQL into its stored copy.

Projects v2 exist only in GitHub's GraphQL API. Queries go through PyGithub's own
requester, as the issues sync's requests do: the same token handling, base address
(https://api.github.com/graphql, or https://HOST/api/graphql for GitHub Enterprise
Server, which PyGithub derives from the REST address), retries within `retry_for`,
the sync's deadline and the bounded reading of answers (github_http.py). No second
GraphQL client is needed for one query.

One sync reads the board's items 100 at a time, following `pageInfo.endCursor`
while `hasNextPage`, and asks each page for `rateLimit { cost remaining limit }`,
so the cost is printed. GraphQL has no conditional requests (no ETag, no 304), and
a board's `updatedAt` does not move when an issue on it gets a vote or a new title,
so there is no cheap "nothing changed" answer to trust: every sync reads the whole
board. GitHub prices a query by the connections it may have to serve, divided by 100:
a page asks for 100 items (1) and, for each, field values and labels (100 + 100), so
201 / 100, 2 points a page: a 1,000-item board costs about 20 of the 5,000 points an
hour. The cost GitHub reports is added up and printed with each sync.

An answer with an `errors` array is a failure even with status 200 (GitHub answers
a board it cannot find, or a query it refuses, that way): the stored copy is kept
and the build says how old it is, as for issues.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import requests
from github import Github

from roadmap.sources.github import board as boards
from roadmap.sources.github.board import ProjectSettings, ProjectSnapshot
from roadmap.sources.github.fetch import explain_failure, utc_now
from roadmap.sources.github.http import SyncClock, SyncError, bounded_connection, make_client
from roadmap.sources.github.issues import LabelFilter
from roadmap.sources.github.settings import GitHubSettings, ProjectReport, RepoResult

PAGE_SIZE = 100
FIELD_VALUES = 20
LABELS = 20

QUERY = """
query($owner: String!, $number: Int!, $cursor: String) {
  rateLimit { cost remaining limit resetAt }
  repositoryOwner(login: $owner) {
    ... on ProjectV2Owner {
      projectV2(number: $number) {
        title
        url
        updatedAt
        items(first: PAGE, after: $cursor) {
          totalCount
          pageInfo { hasNextPage endCursor }
          nodes {
            databaseId
            type
            isArchived
            fieldValues(first: FIELDS) {
              nodes {
                __typename
                ... on ProjectV2ItemFieldSingleSelectValue {
                  name updatedAt field { ... on ProjectV2FieldCommon { name } }
                }
                ... on ProjectV2ItemFieldDateValue {
                  date field { ... on ProjectV2FieldCommon { name } }
                }
                ... on ProjectV2ItemFieldIterationValue {
                  title startDate duration field { ... on ProjectV2FieldCommon { name } }
                }
              }
            }
            content {
              __typename
              ... on DraftIssue { title createdAt updatedAt creator { login } }
              ... on Issue {
                number title url state stateReason createdAt updatedAt closedAt
                author { login }
                repository { nameWithOwner }
                reactions(content: THUMBS_UP) { totalCount }
                labels(first: LABELS) { nodes { name } }
                milestone { title dueOn }
              }
            }
          }
        }
      }
    }
  }
}
""".replace("PAGE", str(PAGE_SIZE)).replace("FIELDS", str(FIELD_VALUES)).replace("LABELS", str(LABELS))


class _GraphQL:
    """Queries through PyGithub's requester, over the sync's bounded connection."""

    def __init__(self, client: Github, clock: SyncClock, connection: Any,
                 mask: Callable[[str], str]) -> None:
        # Takes the token out of what the server said, before anything shortens it.
        self.mask = mask
        self.requester = client.requester
        self.clock = clock
        self.connection = connection
        self.queries = 0
        self.cost = 0
        self.remaining: int | None = None
        self.limit: int | None = None

    def query(self, variables: dict[str, Any]) -> dict[str, Any]:
        self.clock.check()
        status, headers, body = self.requester.requestJson(
            "POST", self.requester.graphql_url, input={"query": QUERY, "variables": variables},
            cnx=self.connection)
        self.queries += 1
        try:
            answer = json.loads(body) if body else None
        except ValueError:
            raise SyncError(f"GitHub's GraphQL answer ({status}) is not JSON") from None
        if status >= 400:
            raise self.requester.createException(status, headers, answer if isinstance(answer, dict) else {})
        if not isinstance(answer, dict):
            raise SyncError("GitHub's GraphQL answer is not an object")
        self._count(answer.get("data"))
        errors = answer.get("errors")
        if errors:
            # GraphQL reports a failure in the body, often with status 200.
            raise SyncError(f"GitHub's GraphQL API answered with errors: {_errors_text(errors, self.mask)}")
        data = answer.get("data")
        if not isinstance(data, dict):
            raise SyncError("GitHub's GraphQL answer has no data")
        return data

    def _count(self, data: Any) -> None:
        rate = data.get("rateLimit") if isinstance(data, dict) else None
        if not isinstance(rate, dict):
            return
        for name in ("cost", "remaining", "limit"):
            if type(rate.get(name)) is not int:
                return
        self.cost += rate["cost"]
        self.remaining, self.limit = rate["remaining"], rate["limit"]


def _errors_text(errors: Any, mask: Callable[[str], str]) -> str:
    messages = []
    for error in errors if isinstance(errors, list) else [errors]:
        said = error.get("message") if isinstance(error, dict) else error
        messages.append(" ".join(mask(str(said)).split())[:200])
    return "; ".join(messages[:3]) or "(no message)"


def sync_project(settings: GitHubSettings, project: ProjectSettings, *,
                 clock: Callable[[], str] = utc_now) -> ProjectReport:
    """Read the whole board and replace its stored copy; on failure the stored copy stays."""
    if settings.token() is None:
        # GitHub's GraphQL API answers nobody anonymously, public board or not.
        return ProjectReport(RepoResult(project.name, error=(
            f"GitHub's GraphQL API, the only way to read a project board, needs a token; set "
            f"${settings.token_env} to one that can read the board")))
    retry_clock = SyncClock(settings.retry_for, settings.deadline)
    client = make_client(settings, retry_clock)
    graphql = _GraphQL(client, retry_clock, bounded_connection(settings, retry_clock), settings.masked)
    notes: list[str] = []
    try:
        snapshot = _read_board(graphql, settings, project, clock(), notes)
    except Exception as err:  # noqa: BLE001 - every failure means "keep the last good copy"
        result = RepoResult(project.name, error=explain_failure(_plain(err), settings), pages=graphql.queries)
        return ProjectReport(result, graphql.cost, graphql.remaining, graphql.limit, tuple(notes))
    boards.save(settings.cache_dir, snapshot)
    unknown = boards.unknown_options(snapshot.items, project)
    if unknown:
        notes.append(f"{project.name}: options of '{project.status_field}' not in status_map, so "
                     f"shown as under review: {', '.join(unknown)}")
    result = RepoResult(project.name, None, len(snapshot.items), graphql.queries)
    return ProjectReport(result, graphql.cost, graphql.remaining, graphql.limit, tuple(notes))


def _plain(err: Exception) -> Exception:
    if isinstance(err, requests.exceptions.RequestException) and not isinstance(
            err, requests.exceptions.RetryError):
        return SyncError(f"GitHub could not be reached ({type(err).__name__})")
    return err


def _read_board(graphql: _GraphQL, settings: GitHubSettings, project: ProjectSettings, now: str,
                notes: list[str]) -> ProjectSnapshot:
    snapshot = ProjectSnapshot(settings.api_url, project.name, now)
    cursor: str | None = None
    seen: set[str] = set()
    while True:
        data = graphql.query({"owner": project.owner, "number": project.number, "cursor": cursor})
        board = _dict(data.get("repositoryOwner")).get("projectV2")
        if not isinstance(board, dict):
            raise SyncError(f"there is no {project.name} at {settings.api_url}, or the token cannot "
                            "read it (a token needs the read:project scope)")
        snapshot.title = boards._text(board.get("title"))
        items = _dict(board.get("items"))
        nodes = items.get("nodes")
        if not isinstance(nodes, list):
            raise SyncError(f"GitHub's answer for {project.name} has no list of items")
        for node in nodes:
            stored = _item(node, settings.labels, notes)
            if stored is not None:
                snapshot.items.append(stored)
        page = _dict(items.get("pageInfo"))
        if not page.get("hasNextPage"):
            return snapshot
        cursor = page.get("endCursor")
        if not isinstance(cursor, str) or cursor in seen:
            raise SyncError(f"GitHub's next-page cursor after query {graphql.queries} is missing or "
                            "leads back to a page already read; stopped there")
        if graphql.queries >= settings.max_pages:
            raise SyncError(f"the board goes on past {settings.max_pages:,} pages; stopped there")
        seen.add(cursor)
        time.sleep(settings.request_interval)


def _item(node: Any, labels: LabelFilter, notes: list[str]) -> dict[str, Any] | None:
    """A board item in the stored shape, cleaned; None for pull requests, archived and hidden items."""
    if not isinstance(node, dict) or node.get("isArchived") is True:
        return None
    content = _dict(node.get("content"))
    kind = content.get("__typename")
    board = boards.clean_board(_field_values(node.get("fieldValues")))
    if kind == "Issue":
        repo = _dict(content.get("repository")).get("nameWithOwner")
        issue = _rest_shape(content)
        raw = {"kind": "issue", "repo": repo, "issue": issue, "board": board}
        cleaned = boards.clean_item(raw, notes)
        if cleaned is not None and labels.hidden(cleaned["issue"]):
            return None  # a security or private issue is never stored, on a board or not
        return cleaned
    if kind == "DraftIssue":
        draft = {"title": content.get("title"), "created_at": content.get("createdAt"),
                 "updated_at": content.get("updatedAt"),
                 "author": _dict(content.get("creator")).get("login")}
        return boards.clean_item({"kind": "draft", "item": node.get("databaseId"), "draft": draft,
                                  "board": board}, notes)
    return None  # a pull request, or an item this token may not see (REDACTED)


def _dict(value: Any) -> dict[str, Any]:
    """The value when it is an object, else an empty one: any field of an answer may be wrong."""
    return value if isinstance(value, dict) else {}


def _rest_shape(issue: dict[str, Any]) -> dict[str, Any]:
    """GraphQL's issue in the REST API's shape, which `clean_issue` and the mapping read."""
    milestone = issue.get("milestone")
    labels = _dict(issue.get("labels")).get("nodes")
    labels = labels if isinstance(labels, list) else []
    reason = issue.get("stateReason")
    return {
        "number": issue.get("number"),
        "title": issue.get("title"),
        "state": str(issue.get("state") or "").lower(),
        "state_reason": reason.lower() if isinstance(reason, str) else None,
        "labels": [label for label in labels if isinstance(label, dict)],
        "milestone": ({"title": milestone.get("title"), "due_on": milestone.get("dueOn")}
                      if isinstance(milestone, dict) else None),
        "reactions": {"+1": _dict(issue.get("reactions")).get("totalCount", 0)},
        "user": {"login": _dict(issue.get("author")).get("login")},
        "html_url": issue.get("url"),
        "created_at": issue.get("createdAt"),
        "updated_at": issue.get("updatedAt"),
        "closed_at": issue.get("closedAt"),
    }


def _field_values(values: Any) -> dict[str, Any]:
    """Single-select options and dates by field name; an iteration gives its last day."""
    options: dict[str, Any] = {}
    dates: dict[str, Any] = {}
    nodes = _dict(values).get("nodes")
    for value in nodes if isinstance(nodes, list) else []:
        if not isinstance(value, dict):
            continue
        name = _dict(value.get("field")).get("name")
        if not isinstance(name, str):
            continue
        kind = value.get("__typename")
        if kind == "ProjectV2ItemFieldSingleSelectValue":
            options[name] = {"name": value.get("name"), "set_at": value.get("updatedAt")}
        elif kind == "ProjectV2ItemFieldDateValue":
            dates[name] = value.get("date")
        elif kind == "ProjectV2ItemFieldIterationValue":
            last = _last_day(value.get("startDate"), value.get("duration"))
            if last:
                dates[name] = last
    return {"options": options, "dates": dates}


def _last_day(start: Any, days: Any) -> str | None:
    if not isinstance(start, str) or type(days) is not int or days < 1:
        return None
    try:
        return (date.fromisoformat(start) + timedelta(days=days - 1)).isoformat()
    except (ValueError, OverflowError):  # a duration past year 9999 is no date either
        return None

