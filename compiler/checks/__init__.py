"""Checks: what is wrong with a year although every file is well-formed.

Each check is a small function from the model (and, where it names a line, the
documents) to diagnostics, never an exception: `rules` (figures that must agree, and the
budget lines' own rules in `rules_lines`), `plausibility` (what is almost certainly a
slip: warnings), `completeness` (what the layout requires and the year does not give),
`files` (the files a year's layout needs, and those it would not publish).

May import: input, model, layout.
"""
