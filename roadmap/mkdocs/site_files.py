"""The roadmap's pages in MkDocs' list of files: generated files in, decision files out;
and the roadmap's folders `serve` must watch itself."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel


def with_generated(files: Files, config: MkDocsConfig, pages: dict[str, str], decisions_dir: Path) -> Files:
    """The site's files without the decision files, with the generated pages (by docs path)."""
    files = _without(files, config, decisions_dir)
    for path, content in pages.items():
        _add(files, File.generated(config, path, content=content, inclusion=_inclusion(path)))
    return files


def with_stand_ins(files: Files, config: MkDocsConfig, pages: dict[str, str]) -> Files:
    """The site's files with `pages` (by docs path) where the site has no file of its own."""
    for path, content in pages.items():
        if files.get_file_from_path(path) is None:
            files.append(File.generated(config, path, content=content))
    return files


def _without(files: Files, config: MkDocsConfig, decisions_dir: Path) -> Files:
    """The site's files without the decision files: they are the roadmap's source, not pages.
    One pass: removing them one by one from MkDocs' list is quadratic."""
    try:
        prefix = decisions_dir.resolve().relative_to(Path(config.docs_dir).resolve()).as_posix() + "/"
    except ValueError:
        return files  # kept outside docs_dir: MkDocs never saw them
    if prefix == "./":  # the decisions are the docs folder itself
        return Files([f for f in files if not f.src_uri.endswith((".yml", ".yaml"))])
    return Files([f for f in files if not f.src_uri.startswith(prefix)])


def _add(files: Files, file: File) -> None:
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None:
        raise PluginError(
            f"The roadmap generates '{file.src_uri}', but the site already has that file "
            f"({existing.abs_src_path}). Rename or remove the site's file, or switch the "
            "generated one off (e.g. `home: false` for index.md).")
    files.append(file)


def _inclusion(path: str) -> InclusionLevel:
    # Item pages (items/<id>.md) and later listing pages (planned/2.md) stay out of the
    # navigation: Material writes the whole nav into every page, so thousands of items
    # in it would make the build quadratic. Listings and item pages link to them.
    return InclusionLevel.NOT_IN_NAV if "/" in path else InclusionLevel.UNDEFINED


def unwatched(folders: tuple[Path, ...], watched: tuple[Path, ...]) -> list[Path]:
    """The existing `folders` no watch covers yet, each once, none inside another.

    Each watch is a polling thread that scans every file under it twice a second, and
    each one that sees an edit asks for a rebuild: a folder watched twice (the decisions
    inside docs_dir) costs a second scan and, most of the time, a second whole rebuild.
    """
    chosen: list[Path] = []
    covered = [path.resolve() for path in watched]
    # Outer folders first, so a folder inside an earlier one is seen as covered.
    for folder in sorted({f.resolve() for f in folders if f.is_dir()}, key=lambda f: (len(f.parts), str(f))):
        if not any(folder.is_relative_to(outer) for outer in covered):
            chosen.append(folder)
            covered.append(folder)
    return chosen
