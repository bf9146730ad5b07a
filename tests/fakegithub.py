"""A local HTTP server that answers like GitHub's REST API, for tests and the benchmark.

It serves `GET /repos/{owner}/{name}/issues` the way GitHub does: issue JSON in
GitHub's shape (from tests/fixtures/github/issue.json, GitHub's documented
example), pull requests mixed in, `state`/`sort`/`direction`/`since`/`page`/
`per_page`, `Link` pagination with absolute URLs, weak ETags with 304 answers
to `If-None-Match` (which do not use up the rate limit), the X-RateLimit-*
headers, and GitHub's error bodies (401, 403 rate limit, 404).

It also answers `POST /graphql` (and `/api/graphql`, GitHub Enterprise Server's
address) for Projects (v2) boards, in GitHub's shapes: `repositoryOwner { ... on
ProjectV2Owner { projectV2(number:) { items(first:, after:) } } }` with `pageInfo`
cursors, field values of each type (single select, date, iteration, text, number),
issues (taken from the REST data above) and draft issues, the `rateLimit` object with
a cost worked out as GitHub does, and failures as GitHub sends them: an `errors` array
with status 200 (`fail("graphql_errors")`), a board that is not there (NOT_FOUND).

Failures are scripted with `fail(...)`: a status (502, 403/429 with
Retry-After or X-RateLimit-Reset), a slow answer (timeout), a connection closed
before answering, an answer cut off halfway, an answer that trickles in a byte
at a time (each byte inside the read timeout), a `Link: rel="next"` that leads
back to a page already read or on through pages without end, and a redirect
to another server. `add_raw` stores any JSON as an issue, for records GitHub
(or a proxy, or an old GitHub Enterprise Server) gets wrong. Every request is
logged so tests can count exactly what a sync cost.

`GET /repos/{owner}/{name}/releases` answers with the releases `add_release` stored,
newest first as GitHub lists them, in GitHub's shape, paginated and with ETags too.

For write-back it also answers `GET` and `POST /repos/{owner}/{name}/issues/{n}/comments`
(paginated like the listing) and `PATCH /repos/{owner}/{name}/issues/{n}` (state,
state_reason), as GitHub does for a token with `issues: write`. `writable=False` is a
token without it: writes get GitHub's 403 "Resource not accessible by integration". A
comment longer than 65,536 characters gets GitHub's 422.
A fault with `verb="POST"` (or "PATCH") fails writes only. By default the token is an
installation token, as the workflow's GITHUB_TOKEN is: its comments are posted as
`github-actions[bot]`, and `GET /user` answers 403. `account="name"` makes it a personal
token of that account: `GET /user` answers its login, and its comments are posted as it.
The `loop` and `endless` faults with `path="/comments"` strike the comment listings.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

TEMPLATE = json.loads((Path(__file__).parent / "fixtures" / "github" / "issue.json").read_text("utf-8"))
DOCS = "https://docs.github.com/rest"
START = datetime(2026, 1, 5, 9, 0, 0, tzinfo=timezone.utc)


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Fault:
    # "status", "slow", "reset", "truncate", "trickle", "loop", "endless", "elsewhere", "redirect"
    kind: str
    times: int = 1
    page: int | None = None
    # loop: the page the next link leads back to; redirect: where to.
    to_page: int = 1
    location: str = "http://elsewhere.invalid/repos/acme/app/issues"
    status: int = 502
    headers: dict[str, str] = field(default_factory=dict)
    message: str = "Server Error"
    seconds: float = 0.0
    # Where it strikes: requests whose path holds this (by default, the issues listings).
    path: str = "/issues"
    # Only requests with this method (POST, PATCH); None: GETs, where `path` says.
    verb: str | None = None


@dataclass
class Logged:
    path: str
    query: dict[str, str]
    status: int
    authorization: str | None
    if_none_match: str | None
    method: str = "GET"
    body: Any = None


class LoopbackServer(ThreadingHTTPServer):
    """A threading server that takes a client hanging up mid-answer as normal: Candor stops
    reading an answer over its size or time limit on purpose. socketserver would print that
    as a traceback into the stderr a test reads, and only when the timing falls so."""

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class FakeGitHub:
    """GitHub's issues API for a few repositories, on 127.0.0.1 and a free port."""

    def __init__(self, token: str | None = None, limit: int = 5000, writable: bool = True,
                 account: str | None = None) -> None:
        self.token = token
        self.writable = writable
        # The personal token's account; None: an installation token (github-actions[bot]).
        self.account = account
        # Comments by (repo, number), oldest first, as GitHub keeps them.
        self.comments: dict[tuple[str, int], list[dict[str, Any]]] = {}
        self.limit = limit if token else 60
        self.used = 0
        self.reset_at = int(time.time()) + 3600
        self.repos: dict[str, dict[int, dict[str, Any]]] = {}
        self.raw: dict[str, dict[int, tuple[Any, str]]] = {}
        self.releases: dict[str, list[dict[str, Any]]] = {}
        self.faults: list[Fault] = []
        self.log: list[Logged] = []
        self.clock = START
        # Project boards by (owner, number): their title and items, GraphQL-shaped.
        self.projects: dict[tuple[str, int], dict[str, Any]] = {}
        self.graphql_points = 0
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # -- the data ---------------------------------------------------------------

    def _tick(self) -> str:
        self.clock += timedelta(minutes=7)
        return stamp(self.clock)

    def add_issue(self, repo: str, number: int | None = None, *, title: str = "An issue",
                  state: str = "open", state_reason: str | None = None,
                  labels: tuple[str, ...] = (), milestone: dict[str, Any] | None = None,
                  votes: int = 0, login: str = "octocat", pull_request: bool = False,
                  body: str = "") -> dict[str, Any]:
        issues = self.repos.setdefault(repo, {})
        number = number if number is not None else max(issues, default=0) + 1
        when = self._tick()
        issue = copy.deepcopy(TEMPLATE)
        api = f"https://api.github.com/repos/{repo}/issues/{number}"
        issue.update({
            "id": 1000000 + number, "number": number, "title": title, "body": body,
            "url": api, "html_url": f"https://github.com/{repo}/issues/{number}",
            "repository_url": f"https://api.github.com/repos/{repo}",
            "comments_url": f"{api}/comments", "events_url": f"{api}/events",
            "labels_url": f"{api}/labels{{/name}}", "timeline_url": f"{api}/timeline",
            "state": state, "state_reason": state_reason,
            "created_at": when, "updated_at": when,
            "closed_at": when if state == "closed" else None,
        })
        issue["user"] = {**TEMPLATE["user"], "login": login, "html_url": f"https://github.com/{login}"}
        issue["labels"] = [self._label(repo, name, i) for i, name in enumerate(labels)]
        issue["milestone"] = self._milestone(repo, milestone) if milestone else None
        issue["reactions"] = {**TEMPLATE["reactions"], "+1": votes, "total_count": votes,
                              "url": f"{api}/reactions"}
        if pull_request:
            issue["pull_request"] = {
                "url": f"https://api.github.com/repos/{repo}/pulls/{number}",
                "html_url": f"https://github.com/{repo}/pull/{number}",
                "diff_url": f"https://github.com/{repo}/pull/{number}.diff",
                "patch_url": f"https://github.com/{repo}/pull/{number}.patch",
                "merged_at": None,
            }
        issues[number] = issue
        return issue

    def add_raw(self, repo: str, record: Any, *, updated_at: str | None = None) -> None:
        """Store any JSON as the next issue of `repo`, as a broken or unusual record would come."""
        issues = self.repos.setdefault(repo, {})
        key = max(issues, default=0) + 1
        self.raw.setdefault(repo, {})[key] = (record, updated_at or self._tick())
        issues[key] = {"__raw__": key, "state": "open", "updated_at": self.raw[repo][key][1],
                       "created_at": self.raw[repo][key][1], "number": key}

    def update(self, repo: str, number: int, **changes: Any) -> None:
        """Change an issue as someone on GitHub would; its updated_at moves forward."""
        issue = self.repos[repo][number]
        if "labels" in changes:
            changes["labels"] = [self._label(repo, n, i) for i, n in enumerate(changes["labels"])]
        if "milestone" in changes and changes["milestone"] is not None:
            changes["milestone"] = self._milestone(repo, changes["milestone"])
        if "votes" in changes:
            votes = changes.pop("votes")
            issue["reactions"] = {**issue["reactions"], "+1": votes, "total_count": votes}
        issue.update(changes)
        issue["updated_at"] = self._tick()
        if changes.get("state") == "closed":
            issue["closed_at"] = issue["updated_at"]

    def add_release(self, repo: str, tag: str, *, name: str | None = None, body: str = "",
                    published_at: str | None = None, draft: bool = False,
                    prerelease: bool = False) -> dict[str, Any]:
        """A release of `repo`, as GitHub's "list releases" returns it."""
        releases = self.releases.setdefault(repo, [])
        number = len(releases) + 1
        when = self._tick()
        api = f"https://api.github.com/repos/{repo}/releases/{number}"
        release = {
            "url": api, "html_url": f"https://github.com/{repo}/releases/tag/{tag}",
            "assets_url": f"{api}/assets",
            "upload_url": f"https://uploads.github.com/repos/{repo}/releases/{number}/assets{{?name,label}}",
            "tarball_url": f"https://api.github.com/repos/{repo}/tarball/{tag}",
            "zipball_url": f"https://api.github.com/repos/{repo}/zipball/{tag}",
            "id": 7000 + number, "node_id": "MDc6UmVsZWFzZTE=", "tag_name": tag,
            "target_commitish": "main", "name": name, "body": body, "draft": draft,
            "prerelease": prerelease, "created_at": published_at or when,
            "published_at": None if draft else (published_at or when),
            "author": TEMPLATE["user"], "assets": [],
        }
        releases.append(release)
        return release

    def _label(self, repo: str, name: str, index: int) -> dict[str, Any]:
        return {**TEMPLATE["labels"][0], "id": 5000 + index, "name": name, "default": False,
                "url": f"https://api.github.com/repos/{repo}/labels/{name}", "description": None}

    def _milestone(self, repo: str, given: dict[str, Any]) -> dict[str, Any]:
        number = given.get("number", 1)
        return {
            "url": f"https://api.github.com/repos/{repo}/milestones/{number}",
            "html_url": f"https://github.com/{repo}/milestone/{number}",
            "labels_url": f"https://api.github.com/repos/{repo}/milestones/{number}/labels",
            "id": 9000 + number, "node_id": "MDk6TWlsZXN0b25lMTAwMjYwNA==", "number": number,
            "state": given.get("state", "open"), "title": given["title"],
            "description": given.get("description", ""), "creator": TEMPLATE["user"],
            "open_issues": 4, "closed_issues": 8,
            "created_at": "2025-12-01T10:00:00Z", "updated_at": "2026-01-02T10:00:00Z",
            "closed_at": None, "due_on": given.get("due_on"),
        }

    # -- project boards (GraphQL) -------------------------------------------------

    def add_project(self, owner: str, number: int, title: str = "Roadmap") -> None:
        self.projects[(owner.lower(), number)] = {"title": title, "items": [], "next_id": 9001,
                                                  "updatedAt": self._tick()}

    def add_project_item(self, owner: str, number: int, *, issue: tuple[str, int] | None = None,
                         draft: dict[str, Any] | None = None, archived: bool = False,
                         **fields: dict[str, Any]) -> int:
        """Put an issue (repo, number) or a draft issue on the board, with field values made by
        `select`, `date_value`, `iteration`, `text_value` or `number_value` (keyword: field name;
        write spaces in field names as underscores). Returns the item's database id."""
        board = self.projects[(owner.lower(), number)]
        item_id = board["next_id"]
        board["next_id"] += 1
        values = [{**value, "field": {"name": name.replace("_", " ")}} for name, value in fields.items()]
        board["items"].append({"databaseId": item_id, "issue": issue, "draft": draft,
                               "isArchived": archived, "values": values})
        board["updatedAt"] = self._tick()
        return item_id

    def add_project_raw(self, owner: str, number: int, node: Any) -> None:
        """Put any JSON among the board's items, as a broken or unusual node would come."""
        self.projects[(owner.lower(), number)]["items"].append({"raw": node})

    def set_item_field(self, owner: str, number: int, item_id: int, name: str, value: dict[str, Any]) -> None:
        board = self.projects[(owner.lower(), number)]
        item = next(i for i in board["items"] if i["databaseId"] == item_id)
        item["values"] = [v for v in item["values"] if v["field"]["name"] != name] + \
            [{**value, "field": {"name": name}}]
        board["updatedAt"] = self._tick()

    def _issue_node(self, repo: str, number: int) -> dict[str, Any]:
        issue = self.repos[repo][number]
        milestone = issue.get("milestone")
        reason = issue.get("state_reason")
        return {
            "__typename": "Issue", "number": issue["number"], "title": issue["title"],
            "url": issue["html_url"], "state": issue["state"].upper(),
            "stateReason": reason.upper() if reason else None,
            "createdAt": issue["created_at"], "updatedAt": issue["updated_at"],
            "closedAt": issue["closed_at"], "author": {"login": issue["user"]["login"]},
            "repository": {"nameWithOwner": repo},
            "reactions": {"totalCount": issue["reactions"]["+1"]},
            "labels": {"nodes": [{"name": label["name"]} for label in issue["labels"]]},
            "milestone": {"title": milestone["title"], "dueOn": milestone["due_on"]} if milestone else None,
        }

    def _item_node(self, item: dict[str, Any]) -> Any:
        if "raw" in item:
            return item["raw"]
        if item["issue"] is not None:
            content: dict[str, Any] = self._issue_node(*item["issue"])
            kind = "ISSUE"
        else:
            draft = item["draft"]
            content = {"__typename": "DraftIssue", "title": draft.get("title", "A draft"),
                       "createdAt": draft.get("created_at", "2026-01-10T10:00:00Z"),
                       "updatedAt": draft.get("updated_at", "2026-01-10T10:00:00Z"),
                       "creator": {"login": draft.get("login", "octocat")}}
            kind = "DRAFT_ISSUE"
        return {"databaseId": item["databaseId"], "type": kind, "isArchived": item["isArchived"],
                "fieldValues": {"nodes": item["values"]}, "content": content}

    def graphql(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        """The answer GitHub gives a project query, rate-limit object included."""
        first = _first(query, "items", 100)
        # GitHub's rule: the requests each connection may need (one for the items, one per
        # item for each connection inside an item), divided by 100, at least 1.
        nested = sum(first for name in ("fieldValues", "labels") if _first(query, name, 0))
        cost = max(1, round((1 + nested) / 100))
        self.graphql_points += cost
        rate = {"cost": cost, "remaining": 5000 - self.graphql_points, "limit": 5000,
                "resetAt": stamp(datetime.fromtimestamp(self.reset_at, tz=timezone.utc))}
        owner, number = str(variables.get("owner", "")), variables.get("number")
        if owner.lower() not in {o for o, _ in self.projects} and owner not in {r.split("/")[0] for r in self.repos}:
            return {"data": {"rateLimit": rate, "repositoryOwner": None}}
        board = self.projects.get((owner.lower(), number)) if isinstance(number, int) else None
        if board is None:
            return {"data": {"rateLimit": rate, "repositoryOwner": {"projectV2": None}},
                    "errors": [{"type": "NOT_FOUND", "path": ["repositoryOwner", "projectV2"],
                                "locations": [{"line": 5, "column": 7}],
                                "message": f"Could not resolve to a ProjectV2 with the number {number}."}]}
        cursor = variables.get("cursor")
        start = int(base64.b64decode(cursor).decode().split(":")[1]) if cursor else 0
        chunk = board["items"][start:start + first]
        end = start + len(chunk)
        items = {
            "totalCount": len(board["items"]),
            "pageInfo": {"hasNextPage": end < len(board["items"]),
                         "endCursor": base64.b64encode(f"cursor:{end}".encode()).decode() if chunk else None},
            "nodes": [self._item_node(item) for item in chunk],
        }
        project = {"title": board["title"], "url": f"https://github.com/orgs/{owner}/projects/{number}",
                   "updatedAt": board["updatedAt"], "items": items}
        return {"data": {"rateLimit": rate, "repositoryOwner": {"projectV2": project}}}

    # -- failures ---------------------------------------------------------------

    def fail(self, kind: str, **options: Any) -> None:
        self.faults.append(Fault(kind, **options))

    def _take_fault(self, page: int, path: str | None = None) -> Fault | None:
        """The next fault for a GET of `path` (None: any, as GraphQL asks), if one is due."""
        with self._lock:
            for fault in self.faults:
                if fault.times > 0 and fault.verb is None and (fault.page is None or fault.page == page) and \
                        (path is None or (path.endswith("/issues") if fault.path == "/issues"
                                          else fault.path in path)):
                    fault.times -= 1
                    return fault
        return None

    def _take_write_fault(self, verb: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.times > 0 and fault.verb == verb:
                    fault.times -= 1
                    return fault
        return None

    def add_comment(self, repo: str, number: int, body: str, login: str = "maintainer") -> dict[str, Any]:
        comments = self.comments.setdefault((repo, number), [])
        ident = 7000000 + sum(len(c) for c in self.comments.values())
        when = self._tick()
        comment = {
            "id": ident, "node_id": f"IC_{ident}", "body": body,
            "url": f"https://api.github.com/repos/{repo}/issues/comments/{ident}",
            "html_url": f"https://github.com/{repo}/issues/{number}#issuecomment-{ident}",
            "issue_url": f"https://api.github.com/repos/{repo}/issues/{number}",
            "user": {**TEMPLATE["user"], "login": login}, "created_at": when, "updated_at": when,
            "author_association": "MEMBER",
        }
        comments.append(comment)
        return comment

    # -- the server -------------------------------------------------------------

    def start(self) -> str:
        handler = type("Handler", (_Handler,), {"github": self})
        self._server = LoopbackServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self.url

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakeGitHub:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what the tests read ----------------------------------------------------

    def requests_to(self, path_part: str = "") -> list[Logged]:
        return [r for r in self.log if path_part in r.path]

    def clear_log(self) -> None:
        self.log.clear()

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)


def select(name: str, updated_at: str = "2026-02-01T10:00:00Z") -> dict[str, Any]:
    return {"__typename": "ProjectV2ItemFieldSingleSelectValue", "name": name, "optionId": "f75ad846",
            "updatedAt": updated_at}


def date_value(day: str) -> dict[str, Any]:
    return {"__typename": "ProjectV2ItemFieldDateValue", "date": day}


def iteration(title: str, start: str, days: int) -> dict[str, Any]:
    return {"__typename": "ProjectV2ItemFieldIterationValue", "title": title, "startDate": start,
            "duration": days, "iterationId": "cfc16e4d"}


def text_value(text: str) -> dict[str, Any]:
    return {"__typename": "ProjectV2ItemFieldTextValue", "text": text}


def number_value(number: float) -> dict[str, Any]:
    return {"__typename": "ProjectV2ItemFieldNumberValue", "number": number}


def _first(query: str, connection: str, default: int) -> int:
    found = re.search(rf"\b{connection}\(first:\s*(\d+)", query)
    return int(found.group(1)) if found else default


class _Handler(BaseHTTPRequestHandler):
    github: FakeGitHub
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        gh = self.github
        self._verb, self._body = "GET", None  # one handler serves a connection's every request
        parsed = urlparse(self.path)
        query = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
        page = int(query.get("page", "1"))
        fault = gh._take_fault(page, parsed.path)
        if fault and fault.kind == "reset":
            self._log(parsed.path, query, 0)
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault and fault.kind == "slow":
            time.sleep(fault.seconds)
        if fault and fault.kind == "redirect":
            self._log(parsed.path, query, 301)
            self.send_response(301)
            self.send_header("Location", fault.location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return

        expected = f"token {gh.token}" if gh.token else None
        given = self.headers.get("Authorization")
        if given and given.replace("Bearer ", "token ") != expected:
            return self._error(parsed.path, query, 401, "Bad credentials")
        if fault and fault.kind == "status":
            return self._error(parsed.path, query, fault.status, fault.message, fault.headers)
        if gh.remaining <= 0:
            return self._error(parsed.path, query, 403,
                               "API rate limit exceeded for 127.0.0.1. (But here's the good news: "
                               "Authenticated requests get a higher rate limit.)")

        parts = parsed.path.strip("/").split("/")
        if parsed.path == "/rate_limit":
            core = {"limit": gh.limit, "remaining": gh.remaining, "reset": gh.reset_at, "used": gh.used}
            return self._json(parsed.path, query, {"resources": {"core": core}, "rate": core})
        if len(parts) == 4 and parts[0] == "repos" and parts[3] == "issues":
            repo = f"{parts[1]}/{parts[2]}"
            if repo not in gh.repos:
                return self._error(parsed.path, query, 404, "Not Found")
            return self._issues(parsed.path, query, repo, page, fault)
        if len(parts) == 4 and parts[0] == "repos" and parts[3] == "releases":
            repo = f"{parts[1]}/{parts[2]}"
            if repo not in gh.repos:
                return self._error(parsed.path, query, 404, "Not Found")
            return self._releases(parsed.path, query, repo, page)
        if len(parts) == 6 and parts[0] == "repos" and parts[3] == "issues" and parts[5] == "comments":
            return self._comment_list(parsed.path, query, parts, page, fault)
        if parsed.path == "/user":
            if gh.account is None:
                return self._error(parsed.path, query, 403, "Resource not accessible by integration")
            return self._json(parsed.path, query, {**TEMPLATE["user"], "login": gh.account})
        return self._error(parsed.path, query, 404, "Not Found")

    # -- write-back: comments, and an issue's state ---------------------------------

    def _comment_list(self, path: str, query: dict[str, str], parts: list[str], page: int,
                      fault: Fault | None = None) -> None:
        issue = self._issue_at(parts)
        if issue is None:
            return self._error(path, query, 404, "Not Found")
        comments = self.github.comments.get((f"{parts[1]}/{parts[2]}", int(parts[4])), [])
        per_page = min(int(query.get("per_page", "30")), 100)
        last = max(1, -(-len(comments) // per_page))
        base = f"http://{self.headers.get('Host')}{path}"
        links = [f'<{base}?{urlencode({**query, "page": number})}>; rel="{rel}"'
                 for rel, number in (("next", page + 1), ("last", last)) if page < last]
        if fault is not None and fault.kind in ("loop", "endless"):
            after = fault.to_page if fault.kind == "loop" else page + 1
            links = [f'<{base}?{urlencode({**query, "page": after})}>; rel="next"']
            fault.times += 1  # a loop stays a loop, however often it is followed
        self._json(path, query, comments[(page - 1) * per_page: page * per_page],
                   {"Link": ", ".join(links)} if links else {})

    def _issue_at(self, parts: list[str]) -> dict[str, Any] | None:
        if len(parts) < 5 or parts[0] != "repos" or parts[3] != "issues" or not parts[4].isdigit():
            return None
        return self.github.repos.get(f"{parts[1]}/{parts[2]}", {}).get(int(parts[4]))

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        if urlparse(self.path).path in ("/graphql", "/api/graphql"):
            return self._graphql()
        self._write("POST")

    def do_PATCH(self) -> None:  # noqa: N802 - http.server's naming
        self._write("PATCH")

    def _write(self, verb: str) -> None:
        gh = self.github
        parsed = urlparse(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"null")
        except ValueError:
            body = None
        self._verb, self._body = verb, body
        expected = f"token {gh.token}" if gh.token else None
        given = self.headers.get("Authorization")
        if not given:
            return self._error(parsed.path, {}, 401, "Requires authentication")
        if given.replace("Bearer ", "token ") != expected:
            return self._error(parsed.path, {}, 401, "Bad credentials")
        fault = gh._take_write_fault(verb)
        if fault is not None:
            return self._error(parsed.path, {}, fault.status, fault.message, fault.headers)
        if gh.remaining <= 0:
            return self._error(parsed.path, {}, 403, "API rate limit exceeded for installation ID 1.")
        if not gh.writable:
            return self._error(parsed.path, {}, 403, "Resource not accessible by integration")
        parts = parsed.path.strip("/").split("/")
        issue = self._issue_at(parts)
        if issue is None or not isinstance(body, dict):
            return self._error(parsed.path, {}, 404 if issue is None else 400,
                               "Not Found" if issue is None else "Problems parsing JSON")
        repo, number = f"{parts[1]}/{parts[2]}", int(parts[4])
        if verb == "POST" and len(parts) == 6 and parts[5] == "comments":
            if not isinstance(body.get("body"), str):
                return self._error(parsed.path, {}, 422, "Validation Failed")
            if len(body["body"]) > 65536:
                return self._error(parsed.path, {}, 422, "Validation Failed: Body is too long "
                                   "(maximum is 65536 characters)")
            comment = gh.add_comment(repo, number, body["body"], login=gh.account or "github-actions[bot]")
            return self._json(parsed.path, {}, comment, status=201)
        if verb == "PATCH" and len(parts) == 5:
            state, reason = body.get("state"), body.get("state_reason")
            if state not in ("open", "closed") or reason not in (None, "completed", "not_planned",
                                                                   "duplicate", "reopened"):
                return self._error(parsed.path, {}, 422, "Validation Failed")
            gh.update(repo, number, state=state, state_reason=reason,
                      **({"closed_at": None} if state == "open" else {}))
            return self._json(parsed.path, {}, issue)
        return self._error(parsed.path, {}, 404, "Not Found")

    def _releases(self, path: str, query: dict[str, str], repo: str, page: int) -> None:
        releases = sorted(self.github.releases.get(repo, []), key=lambda r: (r["created_at"], r["id"]),
                          reverse=True)
        per_page = min(int(query.get("per_page", "30")), 100)
        last = max(1, -(-len(releases) // per_page))
        base = f"http://{self.headers.get('Host')}{path}"
        links = [f'<{base}?{urlencode({**query, "page": number})}>; rel="{rel}"'
                 for rel, number in (("next", page + 1), ("last", last)) if page < last]
        self._json(path, query, releases[(page - 1) * per_page: page * per_page],
                   {"Link": ", ".join(links)} if links else {})

    # -- GraphQL, for GitHub Projects ---------------------------------------------------

    def _graphql(self) -> None:
        gh = self.github
        parsed = urlparse(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        fault = gh._take_fault(len(gh.requests_to("graphql")) + 1)
        if fault and fault.kind == "slow":
            time.sleep(fault.seconds)
        expected = f"token {gh.token}" if gh.token else None
        given = self.headers.get("Authorization")
        if given and given.replace("Bearer ", "token ") != expected:
            return self._error(parsed.path, {}, 401, "Bad credentials")
        if not given:
            # GitHub's GraphQL API has no anonymous access.
            return self._error(parsed.path, {}, 401, "This endpoint requires you to be authenticated.")
        if fault and fault.kind == "status":
            return self._error(parsed.path, {}, fault.status, fault.message, fault.headers)
        try:
            request = json.loads(body)
        except ValueError:
            return self._error(parsed.path, {}, 400, "Problems parsing JSON")
        if fault and fault.kind == "graphql_errors":
            answer: dict[str, Any] = {"data": None, "errors": [
                {"type": "RATE_LIMITED" if "rate" in fault.message.lower() else "INTERNAL",
                 "message": fault.message}]}
        else:
            answer = gh.graphql(str(request.get("query", "")), request.get("variables") or {})
        self._json(parsed.path, {}, answer)

    def _issues(self, path: str, query: dict[str, str], repo: str, page: int, fault: Fault | None) -> None:
        issues = list(self.github.repos[repo].values())
        state = query.get("state", "open")
        if state != "all":
            issues = [i for i in issues if i["state"] == state]
        since = query.get("since")
        if since:
            issues = [i for i in issues if i["updated_at"] >= since]
        key = "updated_at" if query.get("sort") == "updated" else "created_at"
        issues.sort(key=lambda i: (i[key], i["number"]), reverse=query.get("direction", "desc") == "desc")
        per_page = min(int(query.get("per_page", "30")), 100)
        last = max(1, -(-len(issues) // per_page))
        chunk = issues[(page - 1) * per_page: page * per_page]
        raw = self.github.raw.get(repo, {})
        chunk = [raw[i["__raw__"]][0] if "__raw__" in i else i for i in chunk]
        links = []
        base = f"http://{self.headers.get('Host')}{path}"
        for rel, number in (("prev", page - 1), ("next", page + 1), ("last", last), ("first", 1)):
            if (rel in ("next", "last") and page < last) or (rel in ("prev", "first") and page > 1):
                links.append(f'<{base}?{urlencode({**query, "page": number})}>; rel="{rel}"')
        if fault is not None and fault.kind in ("loop", "endless"):
            after = fault.to_page if fault.kind == "loop" else page + 1
            links = [f'<{base}?{urlencode({**query, "page": after})}>; rel="next"']
            fault.times += 1  # a loop stays a loop, however often it is followed
        if fault is not None and fault.kind == "elsewhere":
            links = [f'<http://elsewhere.invalid{path}?{urlencode({**query, "page": page + 1})}>; rel="next"']
        headers = {"Link": ", ".join(links)} if links else {}
        self._json(path, query, chunk, headers, cut=fault is not None and fault.kind == "truncate",
                   trickle=fault.seconds if fault is not None and fault.kind == "trickle" else None)

    def _json(self, path: str, query: dict[str, str], data: Any, headers: dict[str, str] | None = None,
              cut: bool = False, trickle: float | None = None, status: int = 200) -> None:
        gh = self.github
        body = json.dumps(data, indent=2).encode("utf-8")
        etag = f'W/"{hashlib.sha256(body).hexdigest()}"'
        if self.headers.get("If-None-Match") == etag:
            # GitHub does not count a 304 against the rate limit.
            self._log(path, query, 304)
            self.send_response(304)
            self._rate_headers()
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        gh.used += 1
        self._log(path, query, status)
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("ETag", etag)
        self.send_header("Cache-Control", "private, max-age=60, s-maxage=60")
        self.send_header("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self._rate_headers()
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if cut:
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if trickle is not None:
            # One byte at a time, each well inside any read timeout: never a timeout, never done.
            try:
                for index in range(len(body)):
                    self.wfile.write(body[index:index + 1])
                    self.wfile.flush()
                    time.sleep(trickle)
            except OSError:
                pass  # the client gave up, as it should
            return
        try:
            self.wfile.write(body)
        except OSError:
            pass  # the client stopped reading (an answer past its size limit), as it may

    def _error(self, path: str, query: dict[str, str], status: int, message: str,
               headers: dict[str, str] | None = None) -> None:
        gh = self.github
        gh.used += 1 if status != 403 or gh.remaining > 0 else 0
        self._log(path, query, status)
        body = json.dumps({"message": message, "documentation_url": DOCS, "status": str(status)}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self._rate_headers(headers)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _rate_headers(self, overrides: dict[str, str] | None = None) -> None:
        gh = self.github
        values = {"X-RateLimit-Limit": str(gh.limit), "X-RateLimit-Remaining": str(gh.remaining),
                  "X-RateLimit-Reset": str(gh.reset_at), "X-RateLimit-Used": str(gh.used),
                  "X-RateLimit-Resource": "core"}
        for name, value in values.items():
            if name not in (overrides or {}):
                self.send_header(name, value)
        self.send_header("X-GitHub-Media-Type", "github.v3; format=json")
        self.send_header("X-GitHub-Request-Id", f"CAFE:{len(gh.log):04X}")

    def _log(self, path: str, query: dict[str, str], status: int) -> None:
        self.github.log.append(Logged(path, query, status, self.headers.get("Authorization"),
                                      self.headers.get("If-None-Match"), getattr(self, "_verb", "GET"),
                                      getattr(self, "_body", None)))
