"""What the engine reads, and from where: the decision files, the trackers, their limits.

`Settings.sources()` is the one place that lists the trackers Candor knows: a new
tracker adds its settings section here and one line to that tuple, and nothing in
judge, render or the commands.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from roadmap.core.model import Policy
from roadmap.core.options import DERIVED, Positive, setting
from roadmap.sources import LinkField, Source
from roadmap.sources.github.issues import LINK as GITHUB_LINK
from roadmap.sources.github.settings import GitHubSettings
from roadmap.sources.github.source import GitHubSource
from roadmap.sources.gitlab.issues import LINK as GITLAB_LINK
from roadmap.sources.gitlab.settings import GitLabSettings
from roadmap.sources.gitlab.source import GitLabSource

# The fields that link a decision file to a tracker's issue, by name (for the schema's words).
LINK_FIELDS: dict[str, LinkField] = {link.field: link for link in (GITHUB_LINK, GITLAB_LINK)}


@dataclass(frozen=True)
class Settings:
    """What judging needs to know: the options below, and what the adapter works out from
    the site (where the decision files are; the policy, whose fields are options too)."""

    decisions_dir: Path = field(metadata=DERIVED)
    policy: Policy = field(default_factory=Policy, metadata=DERIVED)
    # None when the roadmap reads no GitHub repository.
    github: GitHubSettings | None = None
    # None when the roadmap reads no GitLab project.
    gitlab: GitLabSettings | None = None
    # More items than this are refused quickly (a runaway script, or the wrong folder).
    max_items: int = setting(100_000, Positive())
    # Show how each decision changed, from the git history of its file.
    history: bool = True

    def sources(self) -> tuple[Source, ...]:
        """Every tracker Candor knows, in the order their records follow the decision files.

        One that is not configured loads nothing, but still answers a decision file that
        links one of its issues ("no repository is configured").
        """
        return (GitHubSource(self.github), GitLabSource(self.gitlab))
