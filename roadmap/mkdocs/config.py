"""The plugin's options, made from the engine's settings by one loop.

Every option is declared once, as a field of the dataclass that uses it (see
roadmap/core/options.py): `Policy`, `Settings`, `RenderOptions`, `GitHubSettings` and
the few fields of `SiteOptions` below, which only this adapter reads. `config_class`
turns such dataclasses into a MkDocs config class (so a bad value is refused the way
MkDocs refuses one: "Expected ... but received ..."), and `settings_of` turns the
validated options back into the dataclass, as MkDocs' search plugin builds its index
from `**self.config`.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from datetime import date
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from mkdocs.config import base
from mkdocs.config import config_options as c

from roadmap.core.dates import parse_day
from roadmap.core.i18n import babel_locale
from roadmap.core.model import Policy
from roadmap.core.options import Folder, OneOf, Positive, Rule, Text, Url, is_option, rule_of, setting
from roadmap.render import RenderOptions
from roadmap.sources.settings import Settings


class PositiveInt(c.Type):
    """A whole number of at least 1, refused with the value and the rule (`what`) when it is not."""

    def __init__(self, default: int | None = None, what: str = "a whole number of at least 1") -> None:
        super().__init__(int, default=default)
        self.what = what

    def run_validation(self, value: object) -> int:
        number = super().run_validation(value)
        if isinstance(number, bool) or number < 1:
            raise base.ValidationError(f"Expected {self.what}, got {value!r}.")
        return number


class WebAddress(c.URL):
    """An http(s) address: MkDocs' URL takes any scheme with a host (javascript://x too),
    and an address here becomes a link readers click."""

    def run_validation(self, value: object) -> str:
        address = super().run_validation(value)
        if address and urlsplit(address).scheme.lower() not in ("http", "https"):
            raise base.ValidationError(f"Expected an http:// or https:// address, got {value!r}.")
        return address


class CheckedText(c.Type):
    """Text an option holds, refused with the sentence its check raises when it does not fit."""

    def __init__(self, check: typing.Callable[[str], object], default: str | None = None) -> None:
        super().__init__(str, default=default)
        self.check = check

    def run_validation(self, value: object) -> str:
        # YAML reads 2026-11-23 as a date: it is the text that was written.
        text = str(value) if isinstance(value, date) else super().run_validation(value)
        try:
            self.check(text)
        except ValueError as err:
            said = str(err)
            raise base.ValidationError(said if said.endswith(".") else said + ".") from None
        return text


def check_day(text: str) -> None:
    """A day written YYYY-MM-DD."""
    try:
        parse_day(text)
    except ValueError as err:
        raise ValueError(f"{err}; write it as YYYY-MM-DD.") from None


@dataclasses.dataclass(frozen=True)
class SiteOptions:
    """The options only the adapter reads; the engine gets what they lead to (a folder's
    path, the judging day, the language)."""

    enabled: bool = True
    # Folder of decision files, relative to docs_dir.
    decisions_dir: str = "roadmap"
    # Folder of Markdown templates that override the package's, relative to the
    # config file; by default `<theme custom_dir>/roadmap`.
    templates_dir: Path | None = setting(None, Folder())
    # The day to judge the roadmap on; by default SOURCE_DATE_EPOCH, else today.
    now: str | None = setting(None, Text(check_day))
    # The language of Candor's own words, dates and numbers; by default theme.language (else en).
    # (UnknownLanguage, a ValueError, says which names Babel knows.)
    language: str | None = setting(None, Text(babel_locale))
    # A folder of the site's own message catalogs (<lang>/LC_MESSAGES/candor.po), relative to
    # mkdocs.yml: they add a language or override Candor's words in one.
    locale_dir: Path = setting(Path("locale"), Folder())


# The dataclasses whose fields are the plugin's top-level options, in the order the
# options are validated.
TOP_LEVEL = (SiteOptions, Policy, Settings, RenderOptions)


def config_class(name: str, *declared: type) -> type[base.Config]:
    """A MkDocs config class with one option for each option field of the dataclasses."""
    options: dict[str, Any] = {}
    for cls in declared:
        hints = typing.get_type_hints(cls)
        for spec in dataclasses.fields(cls):
            if not is_option(spec):
                continue
            if spec.name in options:
                raise TypeError(f"the option {spec.name!r} is declared twice ({cls.__name__})")
            options[spec.name] = _option(hints[spec.name], _default(spec), rule_of(spec),
                                         required=_required(spec))
    return type(name, (base.Config,), options)


def _default(spec: dataclasses.Field[Any]) -> Any:
    if spec.default_factory is not dataclasses.MISSING:
        return spec.default_factory()
    return None if spec.default is dataclasses.MISSING else spec.default


def _required(spec: dataclasses.Field[Any]) -> bool:
    return spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING


def _option(hint: Any, default: Any, rule: Rule | None, *, required: bool = False) -> c.BaseConfigOption[Any]:
    """The MkDocs option for a field typed `hint`; a required field of a section is optional
    there (a section without it is no section: see `settings_of`)."""
    inner = _optional_of(hint)
    if dataclasses.is_dataclass(inner):  # a section is always there; see _section_or_none
        return _option(inner, None, rule)
    if inner is not None or required:
        return c.Optional(_option(inner or hint, None, rule))
    if dataclasses.is_dataclass(hint):
        section = typing.cast(type, hint)
        return c.SubConfig(config_class(section.__name__ + "Options", section))
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return c.Choice([member.value for member in hint], default=_plain(default))
    if typing.get_origin(hint) is tuple:
        return _collection(typing.get_args(hint)[0], default, rule)
    return _scalar(hint, default, rule)


def _collection(item: Any, default: tuple[Any, ...], rule: Rule | None) -> c.BaseConfigOption[Any]:
    if typing.get_origin(item) is tuple:  # (key, value) pairs: a mapping in mkdocs.yml
        value = typing.get_args(item)[1]
        return c.DictOfItems(_option(value, None, rule), default={k: _plain(v) for k, v in default})
    return c.ListOfItems(_option(item, None, rule), default=list(default))


def _scalar(hint: Any, default: Any, rule: Rule | None) -> c.BaseConfigOption[Any]:
    if isinstance(rule, Positive):
        return PositiveInt(default, rule.what)
    if isinstance(rule, Text):
        return CheckedText(rule.check, default)
    if isinstance(rule, OneOf):
        return c.Choice(rule.choices, default=default)
    if isinstance(rule, Url):
        return WebAddress(default=default)
    if isinstance(rule, Folder):
        return c.Dir(exists=False, default=None if default is None else str(default))
    if hint is float:
        return c.Type((int, float), default=default)
    return c.Type(hint, default=default)


def _optional_of(hint: Any) -> Any:
    """X for `X | None`, else None."""
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and type(None) in args:
        return next(a for a in args if a is not type(None))
    return None


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


T = TypeVar("T")


def settings_of(cls: type[T], options: Any, **derived_values: Any) -> T:
    """The dataclass `cls` from validated options (a config or a section of one); the fields
    that are no options come from `derived_values` (which may also finish an option's
    value, as the service does for `github`), else their defaults."""
    hints = typing.get_type_hints(cls)
    values = {spec.name: _value(hints[spec.name], options[spec.name])
              for spec in dataclasses.fields(cls)  # type: ignore[arg-type]
              if is_option(spec) and spec.name not in derived_values}
    return cls(**values, **derived_values)


def _value(hint: Any, value: Any) -> Any:
    inner = _optional_of(hint)
    if inner is not None:
        if dataclasses.is_dataclass(inner):
            return _section_or_none(typing.cast(type, inner), value)
        return None if value is None else _value(inner, value)
    if dataclasses.is_dataclass(hint):
        return settings_of(hint, value)  # type: ignore[arg-type]
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint(value)
    if typing.get_origin(hint) is tuple:
        item = typing.get_args(hint)[0]
        if typing.get_origin(item) is tuple:
            kind = typing.get_args(item)[1]
            return tuple((key, _value(kind, v)) for key, v in value.items())
        return tuple(_value(item, v) for v in value)
    if hint is Path:
        return Path(value)
    return value


def _section_or_none(cls: type, section: Any) -> Any:
    """A section whose required settings are not all given is no section (None): a
    `github.project` without its owner and number names no board."""
    required = [spec.name for spec in dataclasses.fields(cls) if _required(spec)]
    if any(section[name] in (None, "") for name in required):
        return None
    return settings_of(cls, section)


# The plugin's options (`plugins: [roadmap: {...}]`), made once at import.
RoadmapConfig: type[base.Config] = config_class("RoadmapConfig", *TOP_LEVEL)
