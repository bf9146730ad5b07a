"""Benchmark figures for the GitHub sync, against the local server that answers like GitHub.

For N issues (10,000 by default) it reports the requests and time of:
- a full sync (target: ceil(N/100) list requests plus a constant),
- a re-sync with nothing changed (target: only 304s),
- a re-sync after 250 issues changed (target: a constant plus ceil(250/100)).

Requests are counted twice, by the client (its own summary) and by the server
(what reached it), and both are printed. Syncs run with `request_interval: 0`;
the polite default of 0.25 s between requests would add that much per request.
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
    args = parser.parse_args()
    bench_sync(args.issues, args.changed)


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


if __name__ == "__main__":
    main()
