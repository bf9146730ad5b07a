"""The Markdown of every page kind, compared with golden files.

Regenerate after an intended change with: scripts/test tests/render/test_golden_pages.py --update-golden
"""

from __future__ import annotations

import pytest

from conftest import FIXTURE_SITE, NOW
from roadmap.core.model import Policy
from roadmap.judge.pipeline import Settings, run
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


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    """The fixture roadmap's pages, rendered once for the module (not at import time)."""
    return fixture_pages()


# One test per golden file, so a failure names the page; a page with no golden file yet,
# or a golden file whose page is gone, fails test_the_golden_files_are_the_pages.
@pytest.mark.parametrize("name", sorted(p.name for p in GOLDEN.iterdir()))
def test_page_matches_golden_file(name, pages, update_golden):
    by_name = {golden_name(path): text for path, text in pages.items()}
    assert name in by_name, f"{name} is no longer generated; delete it or run with --update-golden"
    if update_golden:
        (GOLDEN / name).write_text(by_name[name], encoding="utf-8")
    assert by_name[name] == (GOLDEN / name).read_text(encoding="utf-8")


def test_the_golden_files_are_the_pages(pages, update_golden):
    expected = {golden_name(p) for p in pages}
    if update_golden:
        for path, text in pages.items():
            (GOLDEN / golden_name(path)).write_text(text, encoding="utf-8")
        for stale in {p.name for p in GOLDEN.iterdir()} - expected:
            (GOLDEN / stale).unlink()
    assert {p.name for p in GOLDEN.iterdir()} == expected


def test_every_page_kind_is_covered(pages):
    kinds = {"index.md", "planned.md", "planned/2.md", "fixed.md", "wont-fix.md",
             "under-review.md", "duplicate.md", "areas.md", "changelog.md", "roadmap.json",
             "feed.xml", "feed.json", "badge.json", "items/themes/feed.xml", "items/themes/feed.json",
             "items/themes/badge.svg", "areas/ui/feed.xml", "areas/ui/feed.json"}
    assert kinds <= set(pages)
    assert {p for p in pages if p.startswith("items/") and p.endswith(".md")} == {
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
