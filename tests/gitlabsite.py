"""A local HTTP server that answers like GitLab's REST API v4, and sites that read it.

It serves `GET /api/v4/projects/:id/issues` (`:id` the URL-encoded full path) as GitLab
does: issue JSON in GitLab's shape (tests/fixtures/gitlab/issue.json, the example of
GitLab's "List project issues" documentation), `state`, `order_by=updated_at`, `sort`,
`updated_after` (inclusive, as GitLab's is), offset pagination with `page`/`per_page`,
the `Link` header (absolute URLs, rel next/first/last) and the `X-Page`, `X-Next-Page`,
`X-Per-Page`, `X-Total`, `X-Total-Pages` headers, a weak ETag with 304 answers to
`If-None-Match`, the `RateLimit-*` headers, and GitLab's error bodies
(`{"message": "404 Project Not Found"}`, 401, 429 with Retry-After, 5xx).
Confidential issues are listed only with a token (as for a project member).
For write-back it answers as GitLab does for a token with the `api` scope: `GET /user`
(the token's account, `account`), `GET` and `POST /projects/:id/issues/:iid/notes`
(notes with their `author`, `system` notes among them, paginated like the issues) and
`PUT /projects/:id/issues/:iid` with `state_event` close or reopen; a token without write
access (`writable=False`) gets GitLab's 403. A posted note's quick actions (a line whose first
non-blank character is `/` and a command name) are run as GitLab runs them, taken out of the
note and logged in `quick_actions`: `/close`, `/reopen`, `/confidential` and `/label ~x`
change the issue. `notes_next` makes a notes listing's `Link` lead wherever a test wants.
`misbehave` (a function of the request handler) takes over the answer to every request, to
misbehave as a hostile server would: `endless`, `dripping` and `raw` answers are ready-made.
Failures are scripted with `fail(...)`; every request is logged with its headers and body.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import textwrap
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlparse

from conftest import MKDOCS_YML
from fakegithub import LoopbackServer

TEMPLATE = json.loads((Path(__file__).parent / "fixtures" / "gitlab" / "issue.json").read_text("utf-8"))
TOKEN = "glpat-Sup3rS3cretGitLabT0kenNeverLeak"
PROJECT = "acme/app"
SNAPSHOT = Path(".cache/roadmap/gitlab-snapshot.json")


@dataclass
class Fault:
    status: int
    times: int
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None


@dataclass
class Request:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    method: str = "GET"
    body: Any = None


# A quick action as GitLab reads one in a note: `/name` opening a line (blanks before it
# allowed here, to be strict), then its argument.
QUICK_ACTION = re.compile(r"^\s*/([A-Za-z_]+)(?:[ \t]+(.*))?$")


class FakeGitLab:
    """Start with `with FakeGitLab() as server:`; `server.url` is the instance's address."""

    def __init__(self, token: str | None = None, per_page_cap: int = 100, account: str = "candor-bot",
                 writable: bool = True) -> None:
        self.projects: dict[str, dict[int, dict[str, Any]]] = {}
        self.notes: dict[tuple[str, int], list[dict[str, Any]]] = {}
        self.account = account
        self.writable = writable
        self.notes_next: str | None = None
        self.quick_actions: list[tuple[str, int, str, str]] = []
        self.requests: list[Request] = []
        self.faults: list[Fault] = []
        self.token = token
        self.per_page_cap = per_page_cap
        self.rate_limit = 2000
        self.clock = 0
        self.raw_pages: dict[str, Any] = {}
        self.misbehave: Any = None
        self._lock = threading.Lock()

    # The instance's data ----------------------------------------------------------------
    def add_issue(self, project: str, iid: int, *, title: str = "An issue", state: str = "opened",
                  labels: tuple[str, ...] = (), upvotes: int = 0, milestone: dict[str, Any] | None = None,
                  confidential: bool = False, author: str = "root", moved_to_id: int | None = None,
                  **extra: Any) -> dict[str, Any]:
        self.clock += 1
        issue = copy.deepcopy(TEMPLATE)
        stamp = f"2026-01-{1 + self.clock // 24:02d}T{self.clock % 24:02d}:00:00.000Z"
        issue.update(id=1000 + iid, iid=iid, title=title, state=state, labels=list(labels), upvotes=upvotes,
                     confidential=confidential, moved_to_id=moved_to_id, created_at=stamp, updated_at=stamp,
                     closed_at=stamp if state == "closed" else None,
                     web_url=f"{self.url}/{project}/-/issues/{iid}")
        issue["author"]["username"] = author
        issue["milestone"] = None if milestone is None else {**TEMPLATE["milestone"], **milestone}
        issue["references"] = {"short": f"#{iid}", "relative": f"#{iid}", "full": f"{project}#{iid}"}
        issue.update(extra)
        self.projects.setdefault(project, {})[iid] = issue
        return issue

    def touch(self, project: str, iid: int, **changes: Any) -> None:
        """Change an issue as someone on GitLab would: its updated_at moves on."""
        self.clock += 1
        issue = self.projects[project][iid]
        issue.update(changes, updated_at=f"2026-02-{1 + self.clock // 24:02d}T{self.clock % 24:02d}:00:00.000Z")

    def add_note(self, project: str, iid: int, body: str, author: str = "root", system: bool = False) -> dict[str, Any]:
        notes = self.notes.setdefault((project, iid), [])
        note = {"id": 300 + sum(len(n) for n in self.notes.values()), "type": None, "body": body,
                "attachment": None, "author": {"id": 1, "username": author, "name": author, "state": "active",
                                               "avatar_url": None, "web_url": f"{self.url}/{author}"},
                "created_at": "2026-03-01T10:00:00.000Z", "updated_at": "2026-03-01T10:00:00.000Z",
                "system": system, "noteable_id": 1000 + iid, "noteable_type": "Issue", "noteable_iid": iid,
                "resolvable": False, "confidential": False, "internal": False}
        notes.append(note)
        return note

    def writes(self) -> list[Request]:
        return [r for r in self.requests if r.method != "GET"]

    def fail(self, status: int, times: int = 1, headers: dict[str, str] | None = None,
             body: str | None = None) -> None:
        self.faults.append(Fault(status, times, headers or {}, body))

    def listings(self, project: str = PROJECT) -> list[Request]:
        path = f"/api/v4/projects/{quote(project, safe='')}/issues"
        return [r for r in self.requests if r.path == path]

    # The server -----------------------------------------------------------------------
    def __enter__(self) -> FakeGitLab:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                fake._answer(self)

            def do_POST(self) -> None:
                fake._answer(self)

            def do_PUT(self) -> None:
                fake._answer(self)

        self.server = LoopbackServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        parsed = urlparse(handler.path)
        query = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length).decode("utf-8") if length else ""
        try:
            sent: Any = json.loads(raw) if raw else None
        except ValueError:
            sent = {k: v[-1] for k, v in parse_qs(raw).items()}
        with self._lock:
            self.requests.append(Request(parsed.path, query, dict(handler.headers.items()), handler.command, sent))
            self.rate_limit -= 1
            fault = next((f for f in self.faults if f.times > 0), None)
            if fault is not None:
                fault.times -= 1
        if self.misbehave is not None:
            return self.misbehave(handler)
        limits = {"RateLimit-Limit": "2000", "RateLimit-Remaining": str(max(0, self.rate_limit)),
                  "RateLimit-Observed": str(2000 - self.rate_limit), "RateLimit-Reset": "1767225600"}
        if fault is not None:
            body = fault.body if fault.body is not None else json.dumps({"message": f"{fault.status} Error"})
            return self._send(handler, fault.status, body, {**limits, **fault.headers})
        if handler.command != "GET" or parsed.path == "/api/v4/user" or "/issues/" in parsed.path:
            return self._write_side(handler, parsed, query, sent, limits)
        prefix, suffix = "/api/v4/projects/", "/issues"
        if not (parsed.path.startswith(prefix) and parsed.path.endswith(suffix)):
            return self._send(handler, 404, json.dumps({"error": "404 Not Found"}), limits)
        project = unquote(parsed.path[len(prefix):-len(suffix)])
        authorised = self._authorised(handler)
        if authorised is False:
            return self._send(handler, 401, json.dumps({"message": "401 Unauthorized"}), limits)
        if project in self.raw_pages:
            return self._send(handler, 200, self.raw_pages[project], limits)
        if project not in self.projects:
            return self._send(handler, 404, json.dumps({"message": "404 Project Not Found"}), limits)
        issues = [i for i in self.projects[project].values() if authorised or not i.get("confidential")]
        state = query.get("state", "all")
        if state in ("opened", "closed"):
            issues = [i for i in issues if i["state"] == state]
        if "updated_after" in query:
            issues = [i for i in issues if str(i.get("updated_at")) >= _gitlab_time(query["updated_after"])]
        issues.sort(key=lambda i: (str(i.get("updated_at")), str(i.get("id"))), reverse=query.get("sort", "desc") == "desc")
        per_page = min(int(query.get("per_page", 20)), self.per_page_cap)
        page = int(query.get("page", 1))
        total_pages = max(1, -(-len(issues) // per_page))
        body = json.dumps(issues[(page - 1) * per_page: page * per_page])
        headers = {**limits, "X-Page": str(page), "X-Per-Page": str(per_page), "X-Total": str(len(issues)),
                   "X-Total-Pages": str(total_pages), "X-Next-Page": str(page + 1) if page < total_pages else "",
                   "X-Prev-Page": str(page - 1) if page > 1 else ""}
        base = f"{self.url}{parsed.path}?"
        links = []
        if page < total_pages:
            links.append(f'<{base}{urlencode({**query, "page": page + 1})}>; rel="next"')
        links.append(f'<{base}{urlencode({**query, "page": 1})}>; rel="first"')
        links.append(f'<{base}{urlencode({**query, "page": total_pages})}>; rel="last"')
        headers["Link"] = ", ".join(links)
        etag = 'W/"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'
        headers["ETag"] = etag
        if handler.headers.get("If-None-Match") == etag:
            return self._send(handler, 304, "", headers)
        return self._send(handler, 200, body, headers)

    def _write_side(self, handler: BaseHTTPRequestHandler, parsed: Any, query: dict[str, str], sent: Any,
                    limits: dict[str, str]) -> None:
        """/user, an issue's notes, and PUT on an issue, as GitLab answers them."""
        authorised = self._authorised(handler)
        if authorised is not True:
            return self._send(handler, 401, json.dumps({"message": "401 Unauthorized"}), limits)
        if parsed.path == "/api/v4/user":
            user = {"id": 42, "username": self.account, "name": self.account, "state": "active",
                    "bot": self.account.endswith("-bot")}
            return self._send(handler, 200, json.dumps(user), limits)
        prefix = "/api/v4/projects/"
        rest = parsed.path[len(prefix):] if parsed.path.startswith(prefix) else ""
        project, _, tail = rest.partition("/issues/")
        project = unquote(project)
        number, _, what = tail.partition("/")
        issue = self.projects.get(project, {}).get(int(number)) if number.isdigit() else None
        if issue is None:
            return self._send(handler, 404, json.dumps({"message": "404 Not found"}), limits)
        key = (project, int(number))
        if handler.command != "GET" and not self.writable:
            return self._send(handler, 403, json.dumps({"message": "403 Forbidden"}), limits)
        if what == "notes" and handler.command == "POST":
            body = (sent or {}).get("body") if isinstance(sent, dict) else None
            if not isinstance(body, str) or not body:
                return self._send(handler, 400, json.dumps({"message": {"note": ["can't be blank"]}}), limits)
            if len(body) > 1_000_000:
                return self._send(handler, 400, json.dumps({"message": {"note": ["is too long"]}}), limits)
            with self._lock:
                body = self._quick_actions(project, int(number), body)
                note = self.add_note(project, int(number), body, author=self.account)
            return self._send(handler, 201, json.dumps(note), limits)
        if what == "notes" and handler.command == "GET":
            return self._notes(handler, parsed, query, self.notes.get(key, []), limits)
        if what == "" and handler.command == "PUT":
            event = (sent or {}).get("state_event") if isinstance(sent, dict) else None
            if event in ("close", "reopen"):
                self.touch(project, int(number), state="closed" if event == "close" else "opened")
            return self._send(handler, 200, json.dumps(issue), limits)
        return self._send(handler, 405, json.dumps({"message": "405 Method Not Allowed"}), limits)

    def _quick_actions(self, project: str, iid: int, body: str) -> str:
        """The note without its quick-action lines, each run on the issue and logged."""
        kept = []
        for line in body.split("\n"):
            command = QUICK_ACTION.match(line)
            if command is None:
                kept.append(line)
                continue
            name, argument = command.group(1).lower(), (command.group(2) or "").strip()
            self.quick_actions.append((project, iid, name, argument))
            issue = self.projects[project][iid]
            if name in ("close", "reopen"):
                self.touch(project, iid, state="closed" if name == "close" else "opened")
            elif name == "confidential":
                self.touch(project, iid, confidential=True)
            elif name == "label":
                self.touch(project, iid, labels=[*issue["labels"], *(w.lstrip("~") for w in argument.split())])
        return "\n".join(kept)

    def _notes(self, handler: BaseHTTPRequestHandler, parsed: Any, query: dict[str, str],
               notes: list[dict[str, Any]], limits: dict[str, str]) -> None:
        ordered = list(notes) if query.get("sort", "desc") == "asc" else list(reversed(notes))
        per_page = min(int(query.get("per_page", 20)), self.per_page_cap)
        page = int(query.get("page", 1))
        total_pages = max(1, -(-len(ordered) // per_page))
        headers = {**limits, "X-Page": str(page), "X-Per-Page": str(per_page), "X-Total": str(len(ordered)),
                   "X-Total-Pages": str(total_pages), "X-Next-Page": str(page + 1) if page < total_pages else ""}
        base = f"{self.url}{parsed.path}?"
        if self.notes_next is not None:
            headers["Link"] = f'<{self.notes_next.format(base=base, page=page + 1)}>; rel="next"'
        elif page < total_pages:
            headers["Link"] = f'<{base}{urlencode({**query, "page": page + 1})}>; rel="next"'
        return self._send(handler, 200, json.dumps(ordered[(page - 1) * per_page: page * per_page]), headers)

    def _authorised(self, handler: BaseHTTPRequestHandler) -> bool | None:
        """True with the right token, None without one (anonymous), False with a wrong one."""
        given = handler.headers.get("PRIVATE-TOKEN") or (handler.headers.get("Authorization") or "")[7:]
        if not given:
            return None
        return given == self.token

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, body: str, headers: dict[str, str]) -> None:
        data = body.encode("utf-8")
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        if status != 304:
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        if status != 304:
            handler.wfile.write(data)


def _gitlab_time(text: str) -> str:
    # updated_after arrives as ISO 8601 with Z; GitLab's own times carry milliseconds.
    return text[:19] + ".000Z" if len(text) == 20 else text


def populate(server: FakeGitLab, project: str = PROJECT) -> None:
    """One issue of every kind the mapping knows, numbered 1 to 9."""
    add = server.add_issue
    add(project, 1, title="Export to CSV", labels=("export",), upvotes=3, author="ada")
    add(project, 2, title="Faster search", milestone={"title": "Spring", "due_date": "2027-03-31"})
    add(project, 3, title="Calendar view", milestone={"title": "Next release"})
    add(project, 4, title="Keyboard shortcuts", labels=("planned", "ui"))
    add(project, 5, title="Dark mode", state="closed", milestone={"title": "v2.1", "state": "closed"}, upvotes=7)
    add(project, 6, title="Rewrite in Rust", state="closed", labels=("wontfix",))
    add(project, 7, title="Dark theme please", state="closed", labels=("duplicate",))
    add(project, 8, title="Secret customer escalation", confidential=True)
    add(project, 9, title="Token leak in the login form", labels=("security",))


def make_site(folder: Path, server: FakeGitLab, projects: tuple[str, ...] = (PROJECT,), options: str = "") -> Path:
    """A roadmap site reading `projects` from the local server; `options` are more gitlab: lines."""
    gitlab = textwrap.dedent(f"""\
        gitlab:
          projects: [{", ".join(projects)}]
          url: {server.url}
          timeout: 1
          retry_for: 8
        """) + textwrap.indent(textwrap.dedent(options), "  ")
    plugin = "  - roadmap:\n" + textwrap.indent(gitlab, " " * 6)
    (folder / "mkdocs.yml").write_text(MKDOCS_YML.replace("  - roadmap\n", plugin), encoding="utf-8")
    (folder / "content" / "roadmap").mkdir(parents=True, exist_ok=True)
    return folder


def raw(body: bytes, headers: dict[str, str] | None = None) -> Any:
    """An answer of exactly `body`, with `headers` (gzip, say), Content-Length true."""
    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        for name, value in {"Content-Type": "application/json", **(headers or {})}.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    return answer


def endless(handler: BaseHTTPRequestHandler) -> None:
    """A body that never ends (chunked, as a 20 GB one would come), until the reader hangs up."""
    handler.protocol_version = "HTTP/1.1"
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    chunk = b"[" + b" " * 65536
    try:
        while True:
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            chunk = b" " * 65536
    except OSError:
        handler.close_connection = True


def dripping(handler: BaseHTTPRequestHandler) -> None:
    """A byte every 0.1 s, each well inside any read timeout, for ever."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", "1000000")
    handler.end_headers()
    try:
        handler.wfile.write(b"[")
        while True:
            handler.wfile.flush()
            time.sleep(0.1)
            handler.wfile.write(b" ")
    except OSError:
        handler.close_connection = True
