"""Candor's own words in the reader's language: message catalogs, dates and numbers.

Every word Candor writes for readers is an English message looked up in a gettext
catalog (roadmap/locale/<locale>/LC_MESSAGES/candor.mo, compiled from the .po files
beside them), with plural forms chosen by the catalog's own rules. A site may add or
override a catalog from its own folder. Dates and numbers are written by Babel in
the locale's way.

The language in use is set for the time a page is rendered (`speaking`), not passed
down through every function that writes a phrase: the words are the same whichever
page asks for them. Nothing activates a language for `roadmap check` and pull-request
comments, which stay in English for maintainers and CI logs.
"""

from __future__ import annotations

import contextlib
import contextvars
import gettext as _gettext
import io
import re
import struct
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

DOMAIN = "candor"
CATALOGS = Path(__file__).parent.parent / "locale"
DEFAULT_LANGUAGE = "en"

# Material's language names that are not Babel locale names as they stand: its `zh` is
# Simplified Chinese, and its Chinese variants name a script or a region.
_MATERIAL_NAMES = {"zh": "zh_Hans", "zh-Hant": "zh_Hant", "zh-TW": "zh_Hant_TW"}


class UnknownLanguage(ValueError):
    """A language name Babel has no locale for."""


def babel_locale(name: str) -> Locale:
    """The Babel locale for a language as Material names it (`de`, `pt-BR`, `zh`)."""
    if not isinstance(name, str):  # YAML gives `language: 5` or a list as they are
        raise UnknownLanguage(f"{name!r} is not a language name; use one such as de, fr, pt-BR, "
                              "ja or zh (as theme.language takes them)")
    wanted = _MATERIAL_NAMES.get(name, name.replace("-", "_"))
    try:
        return Locale.parse(wanted)
    except (UnknownLocaleError, ValueError):
        raise UnknownLanguage(f"{name!r} is not a language Candor knows; use a name such as "
                              "de, fr, pt-BR, ja or zh (as theme.language takes them)") from None


def catalog_names(locale: Locale) -> list[str]:
    """Folders a catalog for `locale` may be in, most precise first: pt_BR, then pt."""
    names = [str(locale)]
    if locale.script:
        names.append(f"{locale.language}_{locale.script}")
    names.append(locale.language)
    return list(dict.fromkeys(names))


class UnusableCatalog(ValueError):
    """A site catalog that cannot be used at all; the message says why, for the maintainer."""


def read_catalog(path: Path, problems: list[str] | None = None) -> _gettext.NullTranslations:
    """A .po file, or a .mo file, checked and compiled in memory (so a site needs no
    compile step).

    A translation whose placeholders do not match its message would break every page
    that shows it; it is left out (the message stays in English) and said in `problems`.
    A catalog that cannot be read (a charset Python does not know, a Plural-Forms that is
    not a plain plural expression) is left out whole, and said the same way.
    """
    try:
        catalog = _read(path)
        _check_plural_forms(catalog)
    except UnusableCatalog as err:
        if problems is not None:
            problems.append(f"{path}: the catalog is left out: {err}")
        return _gettext.NullTranslations()
    broken = [(m, [str(e) for e in errors]) for m, errors in catalog.check()]
    broken += [(m, ["a % that is not a placeholder of the message (write %% for a percent sign)"])
               for m in catalog if m.id and not _formats(m)]
    broken += [(m, ["markup or a double quote that the English message does not have (a catalog's "
                    "words are text: write the words alone)"])
               for m in catalog if m.id and not _plain_words(m)]
    for message, errors in broken:
        if problems is not None:
            line = f":{message.lineno}" if message.lineno else ""
            problems.append(f"{path}{line}: the translation of {message.id!r} is left out: "
                            + "; ".join(errors))
        if message.id in catalog:
            catalog.delete(message.id, message.context)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return _gettext.GNUTranslations(compiled)


def _read(path: Path) -> Catalog:
    """The catalog in `path` as Babel reads it; a .mo is read the same way as a .po, so
    that both pass the same checks."""
    try:
        with path.open("rb") as f:
            return read_mo(f) if path.suffix == ".mo" else read_po(f, domain=DOMAIN)
    except LookupError as err:
        raise UnusableCatalog(f"its charset is not one Python knows ({err})") from None
    except UnicodeDecodeError as err:
        raise UnusableCatalog(f"its text is not in the charset it names ({err.encoding})") from None
    except (ValueError, IndexError, struct.error, OSError) as err:
        raise UnusableCatalog(f"it cannot be read ({type(err).__name__}: {str(err)[:80]})") from None


# A plural expression as gettext's catalogs write them: n, whole numbers, comparisons,
# && || !, ?: and n % <a number>. Nothing divides (n/0, n % (n-n) stop every page that
# counts something) and nothing else is evaluated.
_PLURAL_TOKEN = re.compile(r"\s*(?:(n)|(\d{1,9})|(%\s*[1-9]\d{0,8})|(==|!=|<=|>=|<|>|&&|\|\||!|\?|:|\(|\)))")
_MAX_PLURAL_LENGTH = 300
_MAX_PLURALS = 10


def _check_plural_forms(catalog: Catalog) -> None:
    header = dict(catalog.mime_headers).get("Plural-Forms")
    if not header:
        return
    try:
        count = int(catalog.num_plurals)
        expression = catalog.plural_expr
    except (ValueError, TypeError, AttributeError):
        raise UnusableCatalog(f"its Plural-Forms ({header[:80]!r}) does not say "
                              "nplurals=N; plural=EXPR") from None
    if not 1 <= count <= _MAX_PLURALS:
        raise UnusableCatalog(f"its Plural-Forms says nplurals={count}; Candor takes 1 to {_MAX_PLURALS}")
    if len(expression) > _MAX_PLURAL_LENGTH or not _plain_plural(expression):
        raise UnusableCatalog(f"its Plural-Forms expression {expression[:80]!r} is not a plain plural "
                              "expression (n, numbers, comparisons, && || !, ?: and n % NUMBER)")
    try:
        choose = _gettext.c2py(expression)
        wrong = next((n for n in (*range(0, 1001), 10**6, 10**9) if not 0 <= choose(n) < count), None)
    except (ValueError, RecursionError, ArithmeticError) as err:
        raise UnusableCatalog(f"its Plural-Forms expression {expression[:80]!r} cannot be used "
                              f"({type(err).__name__})") from None
    if wrong is not None:
        raise UnusableCatalog(f"its Plural-Forms expression {expression[:80]!r} chooses a form "
                              f"past nplurals={count} for n={wrong}")


def _plain_plural(expression: str) -> bool:
    position, depth = 0, 0
    while position < len(expression.rstrip()):
        token = _PLURAL_TOKEN.match(expression, position)
        if token is None:
            return False
        depth += {"(": 1, ")": -1}.get(token.group(4) or "", 0)
        if not 0 <= depth <= 10:
            return False
        position = token.end()
    return True


def _formats(message: Message) -> bool:
    """Whether each form of a translation can be filled in with its message's placeholders
    (templates fill in every message, so a stray % would break the page)."""
    ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
    strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    names = {name: 0 for text in ids for name in _PLACEHOLDER.findall(text)}
    try:
        for text in strings:
            if text:
                text % names
    except (ValueError, KeyError, TypeError):
        return False
    return True


_PLACEHOLDER = re.compile(r"%\((\w+)\)")
# A tag as Candor's own messages write one (`<strong>`, `</code>`), and the start of any tag.
_PLAIN_TAG = re.compile(r"</?[a-z]+>")
_ANY_TAG = re.compile(r"<[A-Za-z/!?]")


def _plain_words(message: Message) -> bool:
    """Whether a translation is words only: its words reach pages, feeds and scripts in many
    places, some of them inside an HTML attribute, so markup or a double quote the English
    message does not have could run script there. The message's own plain tags may stay."""
    ids = " ".join(message.id if isinstance(message.id, (list, tuple)) else (message.id,))
    strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    allowed = set(_PLAIN_TAG.findall(ids))
    for text in strings:
        rest = _PLAIN_TAG.sub(lambda tag: "" if tag.group() in allowed else "<", text or "")
        if _ANY_TAG.search(rest) or ('"' in rest and '"' not in ids):
            return False
    return True


def find_catalog(folder: Path, locale: Locale) -> Path | None:
    for name in catalog_names(locale):
        for suffix in (".po", ".mo"):
            path = folder / name / "LC_MESSAGES" / f"{DOMAIN}{suffix}"
            if path.is_file():
                return path
    return None


@dataclass(frozen=True)
class Language:
    """The reader's language: its name as the site gives it, its locale and its words."""

    name: str
    locale: Locale
    translations: _gettext.NullTranslations = field(compare=False, repr=False)
    # What was wrong with the site's catalogs (each bad translation was left out).
    problems: tuple[str, ...] = field(default=(), compare=False)
    # The catalog files the words come from, most important first.
    catalogs: tuple[Path, ...] = ()

    def catalog_versions(self) -> tuple[str, ...]:
        """Each catalog file and when it last changed, to tell an edited catalog."""
        return tuple(f"{path}@{path.stat().st_mtime_ns}" for path in self.catalogs if path.is_file())


def load_language(name: str = DEFAULT_LANGUAGE, site_folders: Sequence[Path] = ()) -> Language:
    """The language `name`, with the site's catalogs in `site_folders` before Candor's own.

    A message no catalog has stays in English: a site in a language Candor has no
    catalog for still builds, with Material's words translated and Candor's in English.
    """
    locale = babel_locale(name)
    found = [p for p in (find_catalog(f, locale) for f in (*site_folders, CATALOGS)) if p]
    if not found:
        # Candor's words stay in English, and so do its dates and numbers: an Arabic date
        # in an English sentence reads worse than either (the page keeps Material's direction).
        return Language(name, ENGLISH.locale, _gettext.NullTranslations())
    words: _gettext.NullTranslations = _gettext.NullTranslations()
    problems: list[str] = []
    for path in reversed(found):
        catalog = read_catalog(path, problems)
        catalog.add_fallback(words)
        words = catalog
    return Language(name, locale, words, tuple(problems), tuple(found))


ENGLISH = Language(DEFAULT_LANGUAGE, Locale.parse("en"), _gettext.NullTranslations())
_speaking: contextvars.ContextVar[Language] = contextvars.ContextVar("candor_language", default=ENGLISH)


@contextlib.contextmanager
def speaking(language: Language) -> Iterator[None]:
    """Candor's words, dates and numbers in `language` for the time of the block."""
    token = _speaking.set(language)
    try:
        yield
    finally:
        _speaking.reset(token)


def current() -> Language:
    return _speaking.get()


def gettext(message: str) -> str:
    return current().translations.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return current().translations.ngettext(singular, plural, count)


def N_(message: str) -> str:  # noqa: N802 (gettext's name for it)
    """Marks a message for the catalog where it is defined; it is translated where shown."""
    return message


def day(value: date | None) -> str:
    """A day as the reader's locale writes it: '23.11.2026', '23 nov. 2026', '2026/11/23'.

    English without a region (Material's `en`) has no one way: "Nov 23, 2026" in the US,
    "23 Nov 2026" in Britain. It keeps ISO 8601 (2026-11-23), which every English reader
    reads and which matches how targets are written (2026-Q3, 2026-12); `language: en-GB`
    or `en-US` gives that country's form.
    """
    if value is None:
        return ""
    locale = current().locale
    if locale.language == "en" and not locale.territory:
        return value.isoformat()
    return format_date(value, "medium", locale=locale)


# The reason categories the documentation suggests, as readers see them. A site's own
# category (any lowercase words joined by hyphens) is shown as its words, not its slug.
REASON_CATEGORIES = {
    "out-of-scope": N_("Out of scope"),
    "cost": N_("Too costly"),
    "low-demand": N_("Too little demand"),
    "superseded": N_("Superseded by something else"),
}


def reason_category(slug: str) -> str:
    """A won't-fix's category in the page's language: 'out-of-scope' reads 'Außerhalb des Rahmens'."""
    known = REASON_CATEGORIES.get(slug)
    if known is not None:
        return gettext(known)
    words = " ".join(slug.split("-"))
    return words[:1].upper() + words[1:]


def month(year: int, number: int, long: bool = False) -> str:
    """A month: 'Nov 2026', 'Nov. 2026', '2026年11月'; long, 'November 2026'."""
    return format_skeleton("yMMMM" if long else "yMMM", date(year, number, 1), locale=current().locale)


def number(value: int | float) -> str:
    """A number with the locale's digits grouping: 12,345 or 12.345."""
    return format_decimal(value, locale=current().locale)


def days(count: int) -> str:
    """A span of days in the words a reader would use: '3 days', '5 weeks', '14 months'."""
    if count < 1:
        return gettext("less than a day")
    if count < 14:
        return ngettext("%(num)d day", "%(num)d days", count) % {"num": count}
    if count < 60:
        weeks = count // 7
        return ngettext("%(num)d week", "%(num)d weeks", weeks) % {"num": weeks}
    if count < 730:
        months = count // 30
        return ngettext("%(num)d month", "%(num)d months", months) % {"num": months}
    years, rest = divmod(count, 365)
    months = rest // 30
    said = ngettext("%(num)d year", "%(num)d years", years) % {"num": years}
    if months:
        said = gettext("%(years)s %(months)s") % {
            "years": said, "months": ngettext("%(num)d month", "%(num)d months", months) % {"num": months}}
    return said
