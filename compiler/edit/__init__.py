"""Edit: the commands that write a year's data files for the clerk.

`newyear` starts next year's data from the last one (`disclosure new-year`), editing the
files as text where PyYAML says each value is (`newyear_text`), so comments and layout
survive; `newyear_final` starts a year's final accounts from the last ones
(`disclosure new-year 2025/final`); `skeleton` writes a first year from nothing, every file
and field of a layout left empty under its comment (`disclosure new-year YEAR --layout
NAME`); `importer` reads the statutory tables of a workbook into the year's lines.yaml
(`disclosure import`), and `final_import` the nine 决算 tables into final/outturn.yaml.
What they write is then checked like any data.

May import: input, model, checks, pipeline.
"""
