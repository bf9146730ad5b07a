"""The vocabulary every stage shares: the model (statuses, items, problems), dates, the
reader's language and its words, text checks, git, and the decision-file schema.

Nothing here imports a later stage, MkDocs or a tracker's client.
"""
