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
from roadmap.sources.github import GitHubSettings, sync  # noqa: E402

REPO = "bench/app"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=10_000)
    parser.add_argument("--changed", type=int, default=250)
    parser.add_argument("--lookup-items", type=int, default=10_000)
    parser.add_argument("--only", choices=["sync", "pages", "lookup"], default=None)
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
