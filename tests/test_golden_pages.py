"""The Markdown of every page kind, compared with golden files.

Regenerate after an intended change with: scripts/test tests/test_golden_pages.py --update-golden
"""

from __future__ import annotations

import pytest

from conftest import FIXTURE_SITE, NOW
from roadmap.model import Policy
from roadmap.pipeline import Settings, run
from roadmap.render import RenderOptions, render_site

GOLDEN = FIXTURE_SITE.parent.parent / "golden"


def _judge():
    settings = Settings(FIXTURE_SITE / "content" / "roadmap", Policy(stale_after_days=90, decision_target_days=30),
                        history=False)
    verdict = run(settings, NOW)
    assert verdict.roadmap is not None, [p.format() for p in verdict.errors]
    return verdict.roadmap


def fixture_pages() -> dict[str, str]:
    return render_site(_judge(), RenderOptions(site_name="Fixture roadmap", per_page=2))


def golden_name(path: str) -> str:
    return path.replace("/", "__")


PAGES = fixture_pages()


@pytest.mark.parametrize("path", sorted(PAGES))
def test_page_matches_golden_file(path, update_golden):
    golden = GOLDEN / golden_name(path)
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(PAGES[path], encoding="utf-8")
    assert golden.exists(), f"no golden file for {path}; run with --update-golden"
    assert PAGES[path] == golden.read_text(encoding="utf-8")


def test_no_golden_file_is_left_over():
    expected = {golden_name(p) for p in PAGES}
    assert {p.name for p in GOLDEN.iterdir()} == expected


def test_every_page_kind_is_covered():
    kinds = {"index.md", "planned.md", "planned/2.md", "fixed.md", "wont-fix.md",
             "under-review.md", "duplicate.md", "areas.md", "roadmap.json"}
    assert kinds <= set(PAGES)
    assert {p for p in PAGES if p.startswith("items/")} == {
        f"items/{p.stem}.md" for p in (FIXTURE_SITE / "content" / "roadmap").glob("*.yml")
    }


def test_a_rebuild_renders_again_only_the_items_that_changed():
    import dataclasses

    from roadmap.render import PageCache

    roadmap = _judge()
    cache = PageCache()
    first = render_site(roadmap, RenderOptions(per_page=2), cache)
    assert cache.hits == 0
    changed = roadmap.items[0]
    item = dataclasses.replace(changed.item, title="A new title")
    edited = dataclasses.replace(roadmap, items=(dataclasses.replace(changed, item=item), *roadmap.items[1:]))
    second = render_site(edited, RenderOptions(per_page=2), cache)
    # Every item page but the edited one (and those naming it) came from the cache.
    naming = {j.id for j in roadmap.items if changed.id in (j.canonical, *j.duplicates)}
    assert cache.hits == len(roadmap.items) - 1 - len(naming)
    assert second[f"items/{changed.id}.md"] != first[f"items/{changed.id}.md"]
    assert "A new title" in second[f"items/{changed.id}.md"]


def test_a_changed_item_template_renders_every_item_page_again(tmp_path):
    from roadmap.render import PageCache

    roadmap = _judge()
    cache = PageCache()
    render_site(roadmap, RenderOptions(per_page=2, template_dirs=(tmp_path,)), cache)
    # A site overrides the item template while `mkdocs serve` runs.
    (tmp_path / "item.md.j2").write_text("---\ntitle: x\n---\n\n# Overridden {{ j.id }}\n")
    second = render_site(roadmap, RenderOptions(per_page=2, template_dirs=(tmp_path,)), cache)
    assert cache.hits == 0
    assert all(second[f"items/{j.id}.md"].endswith(f"# Overridden {j.id}\n") for j in roadmap.items)
