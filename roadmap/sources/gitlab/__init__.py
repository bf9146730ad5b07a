"""GitLab as a source: the issues of one or more projects over GitLab's REST API v4.

`settings` (the `gitlab:` options and the sync report) and `linking` load without
python-gitlab; only `fetch`, which `sync` imports, needs it.
"""
