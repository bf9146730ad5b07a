"""Every address of the site: where each generated file goes, and how a page links to another.

Docs paths (`items/search.md`) name the files handed to MkDocs; MkDocs turns them
into addresses (`items/search/`, or `items/search.html` without `use_directory_urls`).
Markdown links are written between docs paths and MkDocs rewrites them; HTML in a
page, the feeds and roadmap.json are not rewritten, so they use `page_url`.
"""

from __future__ import annotations

from collections.abc import Iterable

from pymdownx.slugs import slugify

from roadmap.core.model import Status

HOME_PATH = "index.md"
BOARD_PATH = "board.md"
MY_REQUESTS_PATH = "my-requests.md"
REPORT_PATH = "report.md"
AREAS_PATH = "areas.md"
CHANGELOG_PATH = "changelog.md"
JSON_PATH = "roadmap.json"
JSON_SCHEMA_PATH = "roadmap.schema.json"
FEED_PATH = "feed.xml"
BADGE_PATH = "badge.svg"
BADGE_JSON_PATH = "badge.json"


def item_path(item_id: str) -> str:
    """An item's page: a stable address, whatever happens to the item."""
    return f"items/{item_id}.md"


def status_path(status: Status, number: int = 1) -> str:
    """A status's listing, page `number`."""
    return f"{status.value}.md" if number == 1 else f"{status.value}/{number}.md"


def areas_path(number: int = 1) -> str:
    return AREAS_PATH if number == 1 else f"areas/{number}.md"


def changelog_path(number: int = 1) -> str:
    return CHANGELOG_PATH if number == 1 else f"changelog/{number}.md"


def item_feed_path(item_id: str) -> str:
    """An item's Atom feed, in the folder its page has with directory URLs."""
    return f"items/{item_id}/feed.xml"


def item_badge_path(item_id: str) -> str:
    return f"items/{item_id}/badge.svg"


def json_path(atom_path: str) -> str:
    """Where the JSON Feed twin of an Atom feed is: feed.json beside feed.xml."""
    return atom_path[: -len(".xml")] + ".json"


def item_key(item_id: str) -> str:
    """The part of a feed entry's id that names its item. An identifier, not an address:
    it stays `items/<id>/` whatever `use_directory_urls` says, so readers see no new entries."""
    return f"items/{item_id}/"


_TAG_SLUG = slugify(case="lower")


def tag_slug(value: object) -> str:
    """An area's anchor as Material's tags plugin writes it (its default slugify), so the
    tags on item pages land on the area's heading."""
    return str(_TAG_SLUG(str(value), "-"))


def area_feed_paths(areas: Iterable[str]) -> dict[str, str]:
    """Each area's feed path. Areas are free text (GitHub labels among them), so the
    folder is the area's slug (as its anchor on the areas page has it), numbered when two
    areas would share one; sorted first, so an area keeps its address whatever order the
    items name it in."""
    paths: dict[str, str] = {}
    taken: set[str] = set()
    for area in sorted(set(areas)):
        base = tag_slug(area) or "area"
        name, number = base, 1
        while name in taken:
            number += 1
            name = f"{base}-{number}"
        taken.add(name)
        paths[area] = f"areas/{name}/feed.xml"
    return paths


def page_url(path: str, directory_urls: bool = True) -> str:
    """The address MkDocs gives the file at docs path `path`, relative to the site's root.

    Raw HTML in a page is not rewritten by MkDocs the way Markdown links are, so rows
    and cards written as HTML link to these addresses directly.
    """
    if not path.endswith(".md"):
        return path
    stem = path[:-3]
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5]
    return stem + "/"


def item_url(item_id: str, directory_urls: bool = True) -> str:
    """An item page's address from the site's root."""
    return page_url(item_path(item_id), directory_urls)


def relative_link(here: str, there: str) -> str:
    """The Markdown link from the page at `here` to the file at `there` (both docs paths).

    Docs paths are relative and normalised (no `.` or `..`), so the link is worked out
    from their folders alone; `posixpath.relpath` would ask for the working directory
    on every one of the tens of thousands of links a large roadmap has.
    """
    base = here.split("/")[:-1]
    target = there.split("/")
    common = 0
    while common < len(base) and common < len(target) - 1 and base[common] == target[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + target[common:])


def relative_url(here: str, there: str) -> str:
    """The link from the page at URL `here` to the URL `there` (both relative to the root):
    the same walk as between docs paths, with a page's own folder written `./`."""
    return relative_link(here, there) or "./"
