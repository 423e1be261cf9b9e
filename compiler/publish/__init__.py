"""Publish: the outputs written, and the record of what was published.

`build` compiles a year, renders every format asked for in memory and writes them
(`output`: whole files swapped in, so a folder holds either its old set or the new one,
never half); `buildrecord` remembers what a build was made from so an unchanged year is
not built again, and `orchestrate` builds several years at once. `site` publishes every
year with its open data and an index page; `editions` keeps what was published, frozen,
and its 更正 (corrections); `datarepo` makes a unit's data repository apart from the tool;
`pdf_parts` makes a department's PDFs from parts laid out once (here, or by the jobs of a
CI matrix: `disclosure parts`).

May import: input, model, layout, checks, render, pipeline.
"""
