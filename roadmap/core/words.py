"""English for maintainers' messages (`roadmap check`, sync summaries, pull-request comments).

Readers' words go through the message catalogs instead; these stay English, as CI
logs are read by the maintainers who wrote the decision files.
"""

from __future__ import annotations


def plural(count: int, one: str, many: str | None = None) -> str:
    """'1 request', '3 requests'; `many` for words that do not just take an s ('repositories')."""
    return f"{count:,} {one if count == 1 else (many or one + 's')}"
