"""Pages rendered by a forked child while MkDocs works: the same pages, whatever happens to the child."""

from __future__ import annotations

import os

import pytest

from conftest import FIXTURE_SITE, NOW
from roadmap.model import Policy
from roadmap.pipeline import Settings, run
from roadmap.render import RenderOptions, plan_site, render_site
from roadmap.render.background import BackgroundPages, can_fork

pytestmark = pytest.mark.skipif(not can_fork(), reason="background rendering forks; this process cannot")


def _plan():
    verdict = run(Settings(FIXTURE_SITE / "content" / "roadmap", Policy(stale_after_days=90)), NOW)
    assert verdict.roadmap is not None
    options = RenderOptions(site_name="Fixture roadmap", per_page=2)
    return plan_site(verdict.roadmap, options), render_site(verdict.roadmap, options)


def _reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_the_child_renders_the_same_pages_asked_for_in_any_order():
    plan, serial = _plan()
    background = BackgroundPages(plan)
    paths = [path for path, _ in plan]
    assert paths == list(serial)
    got = {path: background.get(path) for path in reversed(paths)}
    assert got == serial
    assert _reaped(background._pid)


def test_pages_the_child_did_not_send_are_rendered_by_the_parent():
    plan, serial = _plan()
    parent = os.getpid()

    def dies_in_the_child(make):
        def render():
            if os.getpid() != parent:
                os._exit(9)  # the child is killed halfway, as by the OOM killer
            return make()
        return render

    half = len(plan) // 2
    plan = plan[:half] + [(path, dies_in_the_child(make)) for path, make in plan[half:]]
    background = BackgroundPages(plan)
    assert {path: background.get(path) for path, _ in plan} == serial
    assert _reaped(background._pid)


def test_an_error_while_rendering_reaches_the_parent_as_itself():
    plan, _ = _plan()

    def broken() -> str:
        raise ValueError("a template bug")

    background = BackgroundPages([*plan[:3], ("items/broken.md", broken), *plan[3:]])
    assert background.get(plan[2][0]) == plan[2][1]()
    with pytest.raises(ValueError, match="a template bug"):
        background.get("items/broken.md")
    background.close()
    assert _reaped(background._pid)


def test_closing_early_stops_and_reaps_the_child():
    plan, serial = _plan()
    background = BackgroundPages(plan * 200)  # more than the pipe holds: the child is still writing
    first = plan[0][0]
    assert background.get(first) == serial[first]
    background.close()
    assert _reaped(background._pid)
