"""Candor: an honest public roadmap from decision files and issue trackers.

The package is a pipeline, one folder per stage, read left to right:
`core` (the vocabulary) → `sources` (records from decision files and trackers) →
`judge` (one finished roadmap: statuses, promises kept or missed, every fact a page
shows) → `render` (pages, feeds and roadmap.json that only word those facts). `mkdocs`
and `commands` (with `cli.py`) are the adapters to MkDocs and the command line; no
stage before them imports MkDocs. CONTRIBUTING.md draws the picture.
"""

from importlib.metadata import version

# The version is written once, in pyproject.toml; the installed metadata carries it here.
__version__ = version("candor-roadmap")
