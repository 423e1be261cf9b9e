"""Pipeline: one year compiled — read, load, validate, assemble, check — as `compile_year`.

`year` wires the stages: the year's files (input/), the layout its unit.yaml names
(layout/, with a project layout's templates checked in render's sandbox), the model
assembled from the schema-valid documents (`assemble`; a department's figures added up
from its units' by `rollup`), then the checks (checks/). Every stage adds diagnostics to
the year's result; only the truly unexpected raises.

May import: input, model, layout, checks, render.
"""
