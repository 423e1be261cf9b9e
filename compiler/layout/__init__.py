"""Layout: how a year's model is laid out as a published document.

A layout is a manifest (`manifest`: which sections, in which order, their headings, which
are required, the statement printed when a part is empty, the statutory tables and the
unit of their amounts) plus its templates; a project's own layouts are read as untrusted
data and checked, each problem at its line. `sections` plans the sections a model shows,
`tables` turns the manifest's table specs into grids (queries over the model's lines),
`placeholders` fills the few names a layout's texts may hold. Templates are rendered, and
a project's templates checked, by render/.

May import: input, model.
"""
