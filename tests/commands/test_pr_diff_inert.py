"""The pull-request comment of `roadmap diff` quotes text the pull request's author wrote and
titles anyone may set: what it prints pings no one and loads no image on GitHub."""

from __future__ import annotations

import re

from conftest import NOW_TEXT, git, run_roadmap, write

# A live mention as GitHub reads one, and an image as it renders one.
LIVE_MENTION = re.compile(r"(?<![A-Za-z0-9])@[A-Za-z0-9]")
IMAGE = re.compile(r"!\[[^\]]*\][\[(]")


def test_the_diff_comment_pings_no_one_and_loads_no_image(site):
    git("init", "-q", "-b", "main", cwd=site)
    git("config", "user.email", "maintainer@example.org", cwd=site)
    git("config", "user.name", "Maintainer", cwd=site)
    write(site / "content" / "roadmap", "offline.yml", """\
        title: Offline mode
        status: under-review
        opened_on: 2026-08-14
        """)
    git("add", "-A", cwd=site)
    git("commit", "-q", "-m", "roadmap", cwd=site)
    write(site / "content" / "roadmap", "offline.yml", """\
        title: "Offline mode for @acme/everyone ![x](https://track.example/t.gif)"
        status: wont-fix
        reason: "Sync would need a merge engine, @maintainers agree: ![chart](https://track.example/c.png)"
        workaround: "Ask @support-team; see https://social.example/@candor"
        opened_on: 2026-08-14
        decided_on: 2026-10-01
        """)
    result = run_roadmap("diff", "main", "--now", NOW_TEXT, cwd=site)
    assert result.returncode == 0, result.stderr
    comment = result.stdout
    assert "see https://social.example/@candor" in comment  # a link: GitHub mentions no one there
    assert not LIVE_MENTION.findall(comment.replace("https://social.example/@candor", ""))
    assert not IMAGE.search(comment)
    # What the reviewer reads is what was written.
    shown = comment.replace("\u200d", "")
    assert "> Sync would need a merge engine, @maintainers agree: ![chart](https://track.example/c.png)" in shown
    assert "Workaround: Ask @support-team; see https://social.example/@candor" in shown
    assert "**Offline mode for @acme/everyone !\\[x\\](https://track.example/t.gif)** (`offline`)" in shown
