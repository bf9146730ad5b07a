"""Candor: an honest public roadmap from decision files (and, later, issue trackers).

The package is a pipeline of plain modules, read left to right:
`sources` (records) → `validate` and `model` (items) → `decide` (judged roadmap)
→ `render` (pages and roadmap.json). `plugin` and `cli` are the adapters to
MkDocs and the command line; none of the pipeline imports MkDocs.
"""

from importlib.metadata import version

# The version is written once, in pyproject.toml; the installed metadata carries it here.
__version__ = version("candor-roadmap")
