"""GitHub as a source: issues and releases over the REST API (PyGithub), Projects (v2)
boards over GraphQL, the stored snapshot, and writing decisions back to issues.

Nothing outside `roadmap/sources/github/` needs to know GitHub's shapes.
"""
