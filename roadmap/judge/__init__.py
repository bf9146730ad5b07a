"""Judge: records from the sources become one judged roadmap, on a given day.

validate (records -> items) -> decide (missed targets, waiting, duplicates) ->
figures, release links and history -> `pipeline.run`, which returns the Verdict that
every page, feed and command only formats. `compare` judges two versions side by side
for `roadmap diff`.
"""
