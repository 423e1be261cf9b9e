"""Serve: `disclosure serve`, a live preview of a year's web edition while it is edited.

`server` watches the year's files and serves the page over HTTP on the local machine,
`preview` compiles and renders the year again after each save (keeping unchanged files
loaded, and the year's problems shown at their lines), `pages` writes the pages shown
besides the edition itself (the problems page, the live bar).

May import: input, model, layout, render, pipeline, publish.
"""
