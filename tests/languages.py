"""The example roadmap built in other languages, and a pseudo-locale that shows untranslated words.

A language build is the example site with `theme.language` set (and no `nav`, so the
navigation is named by the generated pages' own headings). The pseudo-locale is a
catalog in which every message of Candor's template is transformed (ẁŕàṕṕéd in ⟦ ⟧,
placeholders and markup kept): built with it, any Candor word still in plain English
on a page was never looked up in a catalog.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from conftest import ROOT, build_site

TEMPLATE = ROOT / "roadmap" / "locale" / "candor.pot"
# Languages Candor ships catalogs for, as theme.language names them.
SHIPPED = ("en", "de", "fr", "es", "pt-BR", "ja", "zh")

# What a message keeps as it is: placeholders, HTML tags, a Markdown link's address, entities.
_KEEP = re.compile(r"%\(\w+\)[sd]|<[^>]+>|\]\((?:%\(\w+\)s|[^)]*)\)|&\w+;")
_ACCENTED = str.maketrans("aceinorsuwyACEINORSUWY", "áçéíñóŕšúẁýÁÇÉÍÑÓŔŠÚẀÝ")
OPEN, CLOSE = "⟦", "⟧"


def pseudo(message: str) -> str:
    """'Target %(target)s' -> '⟦Ŧáŕgét %(target)s⟧': every letter changed, placeholders kept."""
    parts, last = [], 0
    for kept in _KEEP.finditer(message):
        parts.append(message[last:kept.start()].translate(_ACCENTED))
        parts.append(kept.group())
        last = kept.end()
    parts.append(message[last:].translate(_ACCENTED))
    return OPEN + "".join(parts) + CLOSE


def template() -> Catalog:
    with TEMPLATE.open("rb") as f:
        return read_po(f)


def write_pseudo_catalog(folder: Path, language: str = "en") -> Path:
    """The pseudo-locale as a site's own catalog for `language` (overriding Candor's)."""
    catalog = Catalog(locale=language.replace("-", "_"), domain="candor")
    for message in template():
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            catalog.add(message.id, tuple(pseudo(m) for m in message.id))
        else:
            catalog.add(message.id, pseudo(message.id))
    path = folder / language.replace("-", "_") / "LC_MESSAGES" / "candor.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, catalog)
    return path


def language_config(folder: Path, language: str, locale_dir: Path | None = None, **plugin: object) -> Path:
    """The example's mkdocs.yml in `language`, written into `folder`."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    config["docs_dir"] = str(ROOT / config["docs_dir"])
    config["theme"]["custom_dir"] = str(ROOT / config["theme"]["custom_dir"])
    config["theme"]["language"] = language
    config.pop("nav", None)
    for entry in config["plugins"]:
        if isinstance(entry, dict) and "roadmap" in entry:
            entry["roadmap"].update(plugin)
            if locale_dir is not None:
                entry["roadmap"]["locale_dir"] = str(locale_dir)
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def build_in_language(folder: Path, language: str, locale_dir: Path | None = None, **plugin: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return build_site(folder / "site", language_config(folder, language, locale_dir, **plugin))


def build_pseudo(folder: Path) -> Path:
    catalogs = folder / "locale"
    write_pseudo_catalog(catalogs)
    return build_in_language(folder, "en", catalogs)


# -- finding Candor's English on built pages ------------------------------------------------

# Candor's generated pages and files (the example's own about and maintainer pages are the
# site's words, not Candor's).
GENERATED = re.compile(r"^(index|board|planned|under-review|fixed|wont-fix|duplicate|areas|my-requests|report)"
                       r"(/.*)?/index\.html$|^items/.+/index\.html$|^(planned|under-review|fixed|wont-fix|"
                       r"duplicate|areas)/\d+/index\.html$")
# Two or more words, or one long word ("decisions", "median").
_WORDS = re.compile(r"[A-Za-z']{2,}(?:[ -][A-Za-z']{2,})+|[A-Za-z]{6,}")


def english_fragments() -> set[str]:
    """Runs of English words from every message, between placeholders and markup."""
    fragments: set[str] = set()
    for message in template():
        for text in (message.id if isinstance(message.id, tuple) else (message.id,)):
            for piece in _KEEP.split(text):
                fragments.update(_WORDS.findall(piece))
    return fragments


def single_words() -> set[str]:
    """Messages of one word ('Planned', 'Board'): untranslated, they are a whole text on their own."""
    return {m.id for m in template() if isinstance(m.id, str) and re.fullmatch(r"[A-Za-z']+:?", m.id)}


def decision_texts() -> str:
    """Everything the example's decision files say: titles and reasons stay as written."""
    folder = ROOT / "content" / "roadmap"
    return "\n".join(" ".join(p.read_text("utf-8").split()) for p in sorted(folder.glob("*.yml")))


def untranslated(text: str, fragments: set[str], words: set[str], data: str) -> list[str]:
    """Candor's English left in `text` once everything the pseudo-locale wrote is taken out.

    A run of words that the decision files also say (a title such as "A feed of
    decisions") is the maintainers' text, not Candor's, and is not counted.
    """
    rest = re.sub(re.escape(OPEN) + r".*?" + re.escape(CLOSE), "\u2002", text, flags=re.S)
    found = [f for f in fragments if re.search(r"(?<![\w'])" + re.escape(f) + r"(?![\w'])", rest)
             and f not in data]
    found += [w for w in words if rest.strip() == w]
    return found
