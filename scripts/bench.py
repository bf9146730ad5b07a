"""Benchmark figures: the GitHub sync, the weight of pages, and the "my requests" lookup.

Sync, against the local server that answers like GitHub:

For N issues (10,000 by default) it reports the requests and time of:
- a full sync (target: ceil(N/100) list requests plus a constant),
- a re-sync with nothing changed (target: only 304s),
- a re-sync after 250 issues changed (target: a constant plus ceil(250/100)).

Requests are counted twice, by the client (its own summary) and by the server
(what reached it), and both are printed. Syncs run with `request_interval: 0`;
the polite default of 0.25 s between requests would add that much per request.

Pages: the example site is built and its home and an item page are loaded in
Chromium; every file the browser fetched is weighed as stored and gzipped (as
GitHub Pages serves it). Lookup: "my requests" over a roadmap.json of 10,000
items, timed by the page's own script (median of 5 lookups).

Preview (`--only preview`), on the synthetic roadmap of each of `--sizes`: `roadmap build`
into an empty folder and again over the previous site, then `roadmap serve` driven over
loopback: save one decision, poll its item page until the new text is served (median of
`--edits`), and the rebuilds serve's log shows per edit. `--baseline PATH` measures another
checkout's `roadmap` (e.g. /work/main) in the same run, alternating, for a side-by-side.

Judge (`--only judge`), on the synthetic roadmap of each of `--sizes`: Candor's own stages
without rendering (load the decision files and the snapshot, merge, decide, finish), each
size in a fresh process so its peak memory is its own. Time per 1,000 items shows growth:
a stage that is linear in the item count keeps the same figure at every size.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fakegithub import FakeGitHub  # noqa: E402
from roadmap.sources.github.fetch import GitHubSettings, sync  # noqa: E402

REPO = "bench/app"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=10_000)
    parser.add_argument("--changed", type=int, default=250)
    parser.add_argument("--lookup-items", type=int, default=10_000)
    parser.add_argument("--only", choices=["sync", "pages", "lookup", "scale", "preview", "judge"],
                        default=None)
    parser.add_argument("--sizes", default="1000,10000,50000",
                        help="roadmap sizes for the scale figures, comma-separated")
    parser.add_argument("--repeat", type=int, default=1,
                        help="build (a) and (b) this many times each, alternating, and keep the "
                             "fastest of each: on a shared machine the slow runs are the noise")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="preview: a checkout whose roadmap package is measured beside this one")
    parser.add_argument("--edits", type=int, default=3,
                        help="preview: edits per serve, median reported (0: builds only)")
    parser.add_argument("--history", action="store_true",
                        help="judge: commit the decision files to git and read their history too")
    parser.add_argument("--judge-child", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.judge_child is not None:
        _judge_child(args.judge_child)
        return
    if args.only == "judge":
        bench_judge([int(size) for size in args.sizes.split(",")], args.history)
        return
    if args.only == "preview":
        bench_preview([int(size) for size in args.sizes.split(",")], args.baseline, args.edits)
        return
    if args.only in (None, "scale"):
        bench_scale([int(size) for size in args.sizes.split(",")], args.repeat)
    if args.only in (None, "sync"):
        bench_sync(args.issues, args.changed)
    if args.only in (None, "pages", "lookup"):
        with tempfile.TemporaryDirectory() as folder:
            site = build_example(Path(folder) / "site")
            if args.only in (None, "pages"):
                bench_pages(site)
            if args.only in (None, "lookup"):
                bench_lookup(site, args.lookup_items)


def bench_sync(count: int, changed: int) -> None:
    print(f"GitHub sync, {count:,} issues (1 in 20 a pull request), local server")
    with FakeGitHub(token="bench-token") as server, tempfile.TemporaryDirectory() as cache:
        for number in range(1, count + 1):
            server.add_issue(REPO, number, title=f"Request {number}", labels=("area",),
                             pull_request=number % 20 == 0, votes=number % 7)
        settings = GitHubSettings(repos=(REPO,), api_url=server.url, token_env="BENCH_TOKEN",
                                  cache_dir=Path(cache), request_interval=0)
        os.environ["BENCH_TOKEN"] = "bench-token"
        rows = []

        def measure(label: str, target: str, **options: bool) -> None:
            server.clear_log()
            started = time.perf_counter()
            snapshot, report = sync(settings, **options)
            seconds = time.perf_counter() - started
            assert not report.failed, report.failed
            statuses = [r.status for r in server.log]
            rows.append((label, len(statuses), statuses.count(304), report.requests, target,
                         seconds, len(snapshot.repos[REPO].issues)))

        measure("full sync", f"{math.ceil(count / 100)} + const")
        measure("re-sync, nothing changed", "only 304s")
        for number in range(1, changed + 1):
            server.update(REPO, number * (count // changed), title=f"Request {number}, edited")
        measure(f"re-sync, {changed} changed", f"const + {math.ceil(changed / 100)}")

    print("(seconds include the server answering in the same process)")
    header = ("", "requests", "of them 304", "client count", "target", "seconds", "issues kept")
    print(f"{header[0]:<28}{header[1]:>9}{header[2]:>12}{header[3]:>13}{header[4]:>14}"
          f"{header[5]:>9}{header[6]:>12}")
    for label, sent, free, client, target, seconds, kept in rows:
        print(f"{label:<28}{sent:>9}{free:>12}{client:>13}{target:>14}{seconds:>9.2f}{kept:>12,}")



CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def build_example(out: Path) -> Path:
    import subprocess

    result = subprocess.run([sys.executable, "-m", "roadmap", "build", "--now", "2026-11-23", "--site-dir",
                             str(out)], cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    return out


class _Served:
    def __init__(self, folder: Path) -> None:
        import functools
        import http.server
        import threading

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

        handler = functools.partial(Quiet, directory=str(folder))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> _Served:
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()


def bench_pages(site: Path) -> None:
    import gzip
    from urllib.parse import urlsplit

    from playwright.sync_api import sync_playwright

    print("\nPage weight, example site (files the browser fetched on first load)")
    print(f"{'page':<34}{'files':>6}{'stored KiB':>12}{'gzipped KiB':>13}{'of which HTML':>15}")
    with _Served(site) as served, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for path in ("/", "/items/offline-desktop-app/"):
            page = browser.new_page()
            fetched: list[str] = []
            page.on("requestfinished", lambda request, seen=fetched: seen.append(request.url))
            page.goto(served.url + path, wait_until="networkidle")
            page.close()
            raw = packed = html = 0
            for url in fetched:
                local = urlsplit(url).path
                file = site / local.lstrip("/")
                if file.is_dir() or local.endswith("/"):
                    file = file / "index.html"
                data = file.read_bytes()
                raw += len(data)
                size = len(gzip.compress(data, compresslevel=6))
                packed += size
                html += size if file.suffix == ".html" else 0
            print(f"{path:<34}{len(fetched):>6}{raw / 1024:>12.1f}{packed / 1024:>13.1f}{html / 1024:>15.1f}")
        browser.close()


def bench_lookup(site: Path, count: int) -> None:
    import json
    import statistics

    from playwright.sync_api import sync_playwright

    data = json.loads((site / "roadmap.json").read_text("utf-8"))
    template = data["items"][0]
    statuses = ["planned", "under-review", "fixed", "wont-fix", "duplicate"]
    data["items"] = [{**template, "id": f"item-{n}", "title": f"Request number {n}",
                      "status": statuses[n % 5], "author": f"user-{n % 500}", "page": f"items/item-{n}/",
                      "github": f"acme/app#{n}"} for n in range(count)]
    (site / "roadmap.json").write_text(json.dumps(data), "utf-8")
    times = []
    with _Served(site) as served, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(served.url + "/my-requests/?who=user-7")
        status = page.locator(".rm-lookup__status[data-lookup-ms]")
        status.wait_for()
        found = page.locator(".rm-lookup__results li").count()
        for who in ("user-7", "user-123", "#4242", "nobody", "USER-499"):
            page.evaluate("document.querySelector('.rm-lookup__status').removeAttribute('data-lookup-ms')")
            page.fill("#rm-who", who)
            page.keyboard.press("Enter")
            status.wait_for()
            times.append(float(status.get_attribute("data-lookup-ms") or "nan"))
        browser.close()
    median = statistics.median(times)
    print(f"\n\"My requests\" lookup over {count:,} items in Chromium: median {median:.2f} ms, "
          f"slowest {max(times):.2f} ms of 5 lookups (filter, sort and list; the JSON is fetched once); "
          f"user-7 has {found} requests")


AREAS = ["sync", "desktop", "mobile", "api", "search", "export", "auth", "billing", "ui", "docs",
         "performance", "notifications", "admin", "i18n", "reports", "integrations"]
WORDS = ("request people asked for because the current way takes too long and breaks often when "
         "teams grow beyond a handful of members who share boards across time zones").split()


def _words(n: int, seed: int) -> str:
    return " ".join(WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(n))


def write_synthetic(folder: Path, count: int) -> None:
    """A roadmap of `count` items: every status, real-looking text, duplicates, GitHub-linked ones."""
    import json

    decisions = folder / "content" / "roadmap"
    decisions.mkdir(parents=True)
    (folder / "content" / "about.md").write_text("# About\n\nA synthetic roadmap for the benchmark.\n")
    github_share = count // 5
    issues = []
    statuses = ["planned", "under-review", "fixed", "wont-fix", "duplicate", "under-review", "fixed"]

    def name_of(k: int) -> str:
        linked = k < github_share and statuses[k % len(statuses)] != "duplicate"
        return f"gh-{k + 1}" if linked else f"item-{k}"

    for n in range(count):
        status = statuses[n % len(statuses)]
        month = 1 + n % 12
        # Decisions and shipments fall before the day the benchmark judges on (2026-11-23):
        # a later one is refused as not having happened yet.
        decided = f"2026-{1 + n % 10:02d}-{1 + n % 28:02d}"
        lines = [f"opened_on: 2025-{month:02d}-{1 + n % 28:02d}",
                 f"areas: [{AREAS[n % len(AREAS)]}, {AREAS[(n + 1 + n % 7) % len(AREAS)]}]",
                 f"author: user-{n % 997}", f"votes: {n % 40}"]
        if status != "under-review":
            lines.append(f"decided_on: {decided}")
        if status == "planned":
            lines.append(f"target: 2027-Q{1 + n % 4}")
        elif status == "fixed":
            lines += [f"version: '3.{n % 20}'", f"shipped_on: {decided}"]
        elif status == "wont-fix":
            lines += [f"reason: {_words(24, n).capitalize()}.",
                      f"workaround: {_words(12, n + 1).capitalize()}."]
        elif status == "duplicate":
            lines.append(f"duplicate_of: {name_of(n - 1 - (n % 3))}")
        if n < github_share and status != "duplicate":
            # Decides a GitHub issue from the snapshot; title and dates come from GitHub.
            number = n + 1
            text = [f"github: {number}", f"status: {status}", *[x for x in lines if not x.startswith(
                ("opened_on", "author", "votes"))]]
            issues.append({"number": number, "title": f"Issue {number} - {_words(6, n)}", "state": "open",
                           "state_reason": None, "labels": [{"name": AREAS[n % len(AREAS)]}],
                           "milestone": None, "reactions": {"+1": n % 9},
                           "user": {"login": f"user-{n % 997}"},
                           "html_url": f"https://github.com/bench/app/issues/{number}",
                           "created_at": "2025-03-01T10:00:00Z", "updated_at": "2026-01-01T10:00:00Z",
                           "closed_at": None})
            name = name_of(n)
        else:
            text = [f"title: Item {n} - {_words(7, n)}", f"status: {status}",
                    f"summary: {_words(45, n).capitalize()}.", *lines]
            name = name_of(n)
        (decisions / f"{name}.yml").write_text("\n".join(text) + "\n")
    cache = folder / ".cache" / "roadmap"
    cache.mkdir(parents=True)
    snapshot = {"format": 1, "api_url": "https://api.github.com",
                "repos": {"bench/app": {"synced_at": "2026-11-20T10:00:00Z",
                                       "high_water": "2026-01-01T10:00:00Z",
                                       "etag": None, "issues": issues, "excluded": []}}}
    (cache / "github-snapshot.json").write_text(json.dumps(snapshot))
    (folder / "mkdocs.yml").write_text(SCALE_CONFIG.format(plugin=SCALE_PLUGIN))


SCALE_CONFIG = """site_name: Benchmark roadmap
docs_dir: content
theme:
  name: material
  font: false
  features: [navigation.instant, search.suggest]
plugins:
  - search
  - tags
{plugin}
markdown_extensions: [admonition, attr_list, tables, pymdownx.details, toc]
extra_css: [assets/roadmap.css]
extra_javascript: [assets/roadmap.js]
nav:
  - Home: index.md
  - Planned: planned.md
  - Under review: under-review.md
  - Fixed: fixed.md
  - Won't fix: wont-fix.md
  - Duplicates: duplicate.md
  - Areas: areas.md
  - My requests: my-requests.md
  - How we're doing: report.md
  - About: about.md
"""
SCALE_PLUGIN = """  - roadmap:
      history: false
      github:
        repos: [bench/app]
        fetch: false"""
# The plain MkDocs build of (b): no roadmap plugin; the generated Markdown is in the docs folder,
# and item pages and later listing pages are kept out of the nav as the plugin keeps them.
PLAIN_PLUGIN = """not_in_nav: |
  /items/
  /planned/
  /under-review/
  /fixed/
  /wont-fix/
  /duplicate/"""


def _measure(command: list[str], cwd: Path) -> tuple[float, int, str]:
    """Wall seconds and peak memory (KiB) of a command, from GNU time."""
    import subprocess

    result = subprocess.run(["/usr/bin/time", "-f", "%e %M", *command], cwd=cwd, capture_output=True,
                            text=True, env={**os.environ, "SOURCE_DATE_EPOCH": "1795392000"})
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    seconds, peak = result.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(peak), result.stderr


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def bench_scale(sizes: list[int], repeat: int = 1) -> None:
    import shutil

    best = f"; fastest of {repeat} alternating runs each, peak memory the largest seen" if repeat > 1 else ""
    print(f"\nScale: (a) roadmap build, (b) plain mkdocs build of the same generated Markdown{best}")
    header = (f"{'items':>7}{'(a) s':>9}{'(b) s':>9}{'a/b':>7}{'(a) MiB':>9}{'(b) MiB':>9}"
              f"{'site MiB':>10}{'index MiB':>11}{'item KB':>9}{'load s':>8}{'decide s':>9}{'render s':>9}")
    print(header)
    rows = []
    for count in sizes:
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            write_synthetic(folder, count)
            stages = _stage_times(folder)
            # (b): the very Markdown Candor generated, as files, built by MkDocs alone.
            plain = folder / "plain"
            docs = plain / "content"
            shutil.copytree(folder / "content", docs, ignore=shutil.ignore_patterns("roadmap"))
            _write_generated(folder, docs)
            (plain / "mkdocs.yml").write_text(SCALE_CONFIG.format(plugin="") + PLAIN_PLUGIN + "\n")
            a_runs, b_runs = [], []
            for _ in range(repeat):
                shutil.rmtree(folder / "site", ignore_errors=True)
                a_runs.append(_measure([sys.executable, "-m", "roadmap", "build", "--now", "2026-11-23",
                                        "--offline"], folder)[:2])
                shutil.rmtree(plain / "site", ignore_errors=True)
                b_runs.append(_measure([sys.executable, "-m", "mkdocs", "build", "-q"], plain)[:2])
            if repeat > 1:
                print(f"{'':>7}  runs (a): {', '.join(f'{s:.1f}' for s, _ in a_runs)} s;"
                      f" (b): {', '.join(f'{s:.1f}' for s, _ in b_runs)} s")
            a_seconds, a_peak = min(s for s, _ in a_runs), max(m for _, m in a_runs)
            b_seconds, b_peak = min(s for s, _ in b_runs), max(m for _, m in b_runs)
            site = folder / "site"
            index = site / "search" / "search_index.json"
            item_sizes = [p.stat().st_size for p in (site / "items").glob("*/index.html")]
            rows.append((count, a_seconds, b_seconds, a_peak, b_peak, _size(site), index.stat().st_size,
                         max(item_sizes), *stages))
            row = rows[-1]
            print(f"{count:>7,}{a_seconds:>9.1f}{b_seconds:>9.1f}{a_seconds / b_seconds:>7.2f}"
                  f"{a_peak / 1024:>9.0f}{b_peak / 1024:>9.0f}{row[5] / 2**20:>10.1f}{row[6] / 2**20:>11.2f}"
                  f"{row[7] / 1000:>9.1f}{stages[0]:>8.2f}{stages[1]:>9.2f}{stages[2]:>9.2f}")
    if len(rows) >= 2:
        by_count = {r[0]: r for r in rows}
        if 10_000 in by_count and 50_000 in by_count:
            growth = by_count[50_000][1] / by_count[10_000][1]
            print(f"time at 50,000 / time at 10,000: {growth:.2f} (target <= 5.5)")


def _stage_times(folder: Path) -> tuple[float, float, float]:
    """Seconds in Candor's own stages, in this process: load (files and snapshot), decide, render."""
    import time as clock

    from roadmap.core.model import Policy
    from roadmap.judge.decide import decide
    from roadmap.render import RenderOptions, render_site
    from roadmap.sources.github.settings import GitHubSettings
    from roadmap.sources.github.source import GitHubSource
    from roadmap.sources.merge import merge
    from roadmap.sources.yamlfiles import load_directory

    started = clock.perf_counter()
    records, problems = load_directory(folder / "content" / "roadmap")
    stored = GitHubSource(GitHubSettings(repos=("bench/app",), cache_dir=folder / ".cache" / "roadmap",
                                         fetch=False)).load(None)
    notes = stored.notes
    merged, _ = merge(records, [stored.issues])
    loaded = clock.perf_counter()
    verdict = decide(merged, __import__("datetime").date(2026, 11, 23), Policy(), notes)
    decided = clock.perf_counter()
    assert verdict.roadmap is not None, [p.format() for p in verdict.errors[:5]]
    render_site(verdict.roadmap, RenderOptions(site_name="Benchmark roadmap"))
    rendered = clock.perf_counter()
    return loaded - started, decided - loaded, rendered - decided


JUDGE_STAGES = ("load", "merge", "decide", "history", "finish")


def bench_judge(sizes: list[int], history: bool = False) -> None:
    """Load, merge, decide and finish at each size, each size in a process of its own; with
    `history`, the decision files are committed to git and one planned item in ten moves its
    target in a second commit, and reading that history is a stage of its own."""
    import json
    import subprocess

    print("\nJudge: Candor's stages without rendering, one fresh process per size"
          " (peak: the process's largest resident memory by the end of the stage)"
          + ("; decision files in git, every tenth planned item's target moved" if history else ""))
    print(f"{'items':>8}{'stage':>8}{'seconds':>9}{'ms/1k':>8}{'peak MiB':>10}{'+MiB':>7}")
    for count in sizes:
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            write_synthetic(folder, count)
            if history:
                _commit_history(folder)
            result = subprocess.run([sys.executable, __file__, "--judge-child", str(folder)],
                                    capture_output=True, text=True)
            if result.returncode != 0:
                raise SystemExit(result.stderr[-3000:])
            figures = json.loads(result.stdout.strip().splitlines()[-1])
        before = figures["start_mib"]
        total = 0.0
        for stage in JUDGE_STAGES:
            if stage not in figures:
                continue
            seconds, peak = figures[stage]
            total += seconds
            print(f"{count:>8,}{stage:>8}{seconds:>9.2f}{seconds / count * 1e6:>8.0f}{peak:>10.0f}"
                  f"{peak - before:>7.0f}", flush=True)
            before = peak
        print(f"{count:>8,}{'total':>8}{total:>9.2f}{total / count * 1e6:>8.0f}"
              f"{figures['finish'][1]:>10.0f}", flush=True)


def _commit_history(folder: Path) -> None:
    """The decision files in a git repository: all of them in one commit, then every tenth
    planned item's target moved a quarter later in a second (dated before the judging day)."""
    import subprocess

    def git(*args: str, day: str) -> None:
        env = {**os.environ, "GIT_AUTHOR_DATE": day, "GIT_COMMITTER_DATE": day,
               "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
               "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.org"}
        subprocess.run(["git", *args], cwd=folder, env=env, check=True, capture_output=True)

    git("init", "-q", day="2026-06-01T10:00:00Z")
    git("add", "content", day="2026-06-01T10:00:00Z")
    git("commit", "-q", "-m", "Decisions", day="2026-06-01T10:00:00Z")
    moved = 0
    for path in sorted((folder / "content" / "roadmap").glob("*.yml")):
        text = path.read_text()
        if "status: planned" in text and "target: 2027-Q1" in text:
            moved += 1
            if moved % 10 == 0:
                path.write_text(text.replace("target: 2027-Q1", "target: 2027-Q2"))
    git("commit", "-q", "-a", "-m", "Targets moved", day="2026-08-01T10:00:00Z")


def _judge_child(folder: Path) -> None:
    """One size's stages, timed, in this (fresh) process; prints one JSON line."""
    import json
    import resource
    from datetime import date

    from roadmap.core.model import Policy
    from roadmap.judge.decide import decide
    from roadmap.judge.finished import finish
    from roadmap.judge.pipeline import _with_history, cyclic_gc_paused
    from roadmap.sources.github.settings import GitHubSettings
    from roadmap.sources.github.source import GitHubSource
    from roadmap.sources.history import read_history
    from roadmap.sources.merge import merge
    from roadmap.sources.yamlfiles import load_directory

    def peak_mib() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    figures: dict[str, object] = {"start_mib": peak_mib()}
    clock = time.perf_counter
    # As the pipeline runs them: without the cyclic collector.
    with cyclic_gc_paused():
        started = clock()
        records, _ = load_directory(folder / "content" / "roadmap")
        stored = GitHubSource(GitHubSettings(repos=("bench/app",), cache_dir=folder / ".cache" / "roadmap",
                                             fetch=False)).load(None)
        figures["load"] = (clock() - started, peak_mib())
        started = clock()
        merged, _ = merge(records, [stored.issues])
        del records
        figures["merge"] = (clock() - started, peak_mib())
        started = clock()
        verdict = decide(merged, date(2026, 11, 23), Policy(), stored.notes)
        figures["decide"] = (clock() - started, peak_mib())
        assert verdict.roadmap is not None, [p.format() for p in verdict.errors[:5]]
        del merged
        roadmap = verdict.roadmap
        if (folder / ".git").is_dir():
            started = clock()
            roadmap = _with_history(roadmap, read_history(folder / "content" / "roadmap"))
            figures["history"] = (clock() - started, peak_mib())
            assert roadmap.history, "no history was read"
        started = clock()
        finished = finish(roadmap)
        figures["finish"] = (clock() - started, peak_mib())
        assert len(finished.facts) == len(finished.items)
    print(json.dumps(figures))


def _write_generated(folder: Path, docs: Path) -> None:
    from datetime import date

    from roadmap.core.model import Policy
    from roadmap.judge.pipeline import Settings, run
    from roadmap.render import RenderOptions, render_site
    from roadmap.sources.github.settings import GitHubSettings

    settings = Settings(folder / "content" / "roadmap", Policy(),
                        GitHubSettings(repos=("bench/app",), cache_dir=folder / ".cache" / "roadmap",
                                       fetch=False))
    verdict = run(settings, date(2026, 11, 23))
    assert verdict.roadmap is not None
    pages = render_site(verdict.roadmap, RenderOptions(site_name="Benchmark roadmap"))
    assets = Path(__file__).resolve().parent.parent / "roadmap" / "assets"
    for name in ("roadmap.css", "roadmap.js"):
        pages[f"assets/{name}"] = (assets / name).read_text("utf-8")
    for path, text in pages.items():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")


def bench_preview(sizes: list[int], baseline: Path | None, edits: int) -> None:
    import shutil
    import statistics

    trees = [("this", ROOT)] + ([(baseline.name, baseline.resolve())] if baseline else [])
    print("\nPreview: build into an empty folder, rebuild over the previous site, and serve's"
          f" save -> served item page (median of {edits} edits, over loopback)")
    print(f"{'items':>7}  {'code':<12}{'build s':>9}{'rebuild s':>11}{'edit s':>8}  "
          f"{'edits s':<22}{'rebuilds/edit':>14}")
    for count in sizes:
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            write_synthetic(folder, count)
            for label, tree in trees:
                # The checkout's package first on the path: its `roadmap`, this venv's libraries.
                env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONWARNINGS": "ignore"}
                shutil.rmtree(folder / "site", ignore_errors=True)
                fresh = _timed_build(folder, env)
                rebuild = _timed_build(folder, env)  # the previous site is in the way now
                _wait_for_trash(folder)  # its deletion is not this tree's serve time
                times, rebuilds = _serve_edits(folder, env, count, edits) if edits else ([0.0], [0])
                median = statistics.median(times)
                print(f"{count:>7,}  {label:<12}{fresh:>9.1f}{rebuild:>11.1f}{median:>8.1f}  "
                      f"{', '.join(f'{t:.1f}' for t in times):<22}{', '.join(map(str, rebuilds)):>14}",
                      flush=True)


def _timed_build(folder: Path, env: dict[str, str]) -> float:
    import subprocess

    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "roadmap", "build", "--now", "2026-11-23", "--offline"],
                            cwd=folder, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    return seconds


def _wait_for_trash(folder: Path) -> None:
    while any("-trash-" in p.name for p in folder.iterdir()):
        time.sleep(0.1)


def _serve_edits(folder: Path, env: dict[str, str], count: int, edits: int) -> tuple[list[float], list[int]]:
    """Seconds from saving a decision to its item page showing the change, and the rebuilds
    serve's log shows for each edit (once it is quiet again), for `edits` edits."""
    import socket
    import subprocess

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    name = f"item-{count - 1}"  # a decision file of its own (not a GitHub issue's)
    decision = folder / "content" / "roadmap" / f"{name}.yml"
    original = decision.read_text()
    url = f"http://127.0.0.1:{port}/items/{name}/"
    log = folder / "serve.log"
    with log.open("wb") as out:
        child = subprocess.Popen([sys.executable, "-m", "roadmap", "serve", "-a", f"127.0.0.1:{port}"],
                                 cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=out)
    times, rebuilds = [], []
    try:
        _page_until(url, lambda text: f"Item {count - 1} " in text, child, log)
        _quiet(log)
        for edit in range(edits):
            before = log.read_text().count("Detected file changes")
            marker = f"Edited {edit} item"
            started = time.perf_counter()
            decision.write_text(original.replace(f"title: Item {count - 1} ", f"title: {marker} "))
            _page_until(url, lambda text, marker=marker: marker in text, child, log)  # type: ignore[misc]
            times.append(time.perf_counter() - started)
            _quiet(log)
            rebuilds.append(log.read_text().count("Detected file changes") - before)
    finally:
        child.terminate()
        child.wait(timeout=60)
        decision.write_text(original)
    return times, rebuilds


def _page_until(url: str, wanted: object, child: object, log: Path) -> str:
    import urllib.request

    while True:
        if child.poll() is not None:  # type: ignore[attr-defined]
            raise SystemExit("roadmap serve ended:\n" + log.read_text()[-3000:])
        try:
            with urllib.request.urlopen(url, timeout=600) as answer:
                text = answer.read().decode("utf-8")
            if wanted(text):  # type: ignore[operator]
                return str(text)
        except OSError:
            pass  # not serving yet
        time.sleep(0.05)


def _quiet(log: Path, seconds: float = 2.0) -> None:
    """Until every rebuild serve's log announced has finished and nothing new came for
    `seconds` (longer than a polling watcher's half-second scan plus MkDocs' build delay)."""
    last, since = "", time.perf_counter()
    while True:
        text = log.read_text()
        if text != last:
            last, since = text, time.perf_counter()
        settled = text.count("Detected file changes") <= text.count("Reloading browsers") + \
            text.count("An error happened during the rebuild")
        if settled and time.perf_counter() - since >= seconds:
            return
        time.sleep(0.1)


if __name__ == "__main__":
    main()
