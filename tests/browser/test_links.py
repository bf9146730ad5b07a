"""Every internal link of the built example site leads somewhere: files, and anchors within them."""

from __future__ import annotations

import html.parser
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

SITE_PATH = "/candor/"  # the path part of site_url in mkdocs.yml, where 404.html's links start


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        for name in ("href", "src"):
            if values.get(name) and tag in ("a", "link", "script", "img", "iframe", "source"):
                self.links.append(values[name] or "")


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text("utf-8"))
    return parser


@pytest.fixture(scope="module")
def site(example_site) -> Path:
    return example_site


def _target(site: Path, page: Path, link: str) -> tuple[Path | None, str]:
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        return None, ""  # another site: not ours to check here
    here = "/" + page.relative_to(site).as_posix()
    if parts.path.startswith(SITE_PATH):
        path = "/" + parts.path[len(SITE_PATH):]
    elif parts.path.startswith("/"):
        path = parts.path
    elif parts.path:
        path = posixpath.normpath(posixpath.join(posixpath.dirname(here), parts.path))
    else:
        path = here
    file = site / unquote(path).lstrip("/")
    if file.is_dir() or path.endswith("/"):
        file = file / "index.html"
    return file, parts.fragment


def test_every_internal_link_resolves(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 40
    parsed = {page: _parse(page) for page in pages}
    broken = []
    checked = 0
    for page, links in parsed.items():
        for link in links.links:
            target, fragment = _target(site, page, link)
            if target is None:
                continue
            checked += 1
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {link}")
            elif fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                if unquote(fragment) not in ids:
                    broken.append(f"{page.relative_to(site)}: {link} (no #{fragment})")
    assert checked > 1000
    assert broken == []


def test_links_to_other_sites_are_marked_as_user_content(site):
    import re

    pages = [p for p in site.rglob("*.html") if "items" in p.parts]
    external = 0
    for page in pages:
        article = page.read_text("utf-8").split("<article", 1)[-1].split("</article>", 1)[0]
        for tag in re.findall(r"<a\s[^>]*>", article):
            href = re.search(r'href="([^"]*)"', tag)
            if href and href.group(1).startswith(("http://", "https://")):
                external += 1
                assert 'rel="nofollow ugc noopener"' in tag, (page, tag)
    assert external > 10
