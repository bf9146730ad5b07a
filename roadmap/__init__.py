"""Candor: an honest public roadmap from decision files (and, later, issue trackers).

The package is a pipeline of plain modules, read left to right:
`sources` (records) → `validate` and `model` (items) → `decide` (judged roadmap)
→ `render` (pages and roadmap.json). `plugin` and `cli` are the adapters to
MkDocs and the command line; none of the pipeline imports MkDocs.
"""
