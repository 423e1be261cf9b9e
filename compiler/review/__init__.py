"""Review: what changed between two computed years, for the person who checks it.

`diff` compares two models field by field (not the YAML text), `matching` pairs the
entries of a list on the two sides, `chardiff` shows a changed text by its characters,
`diff_labels` names each field as a reader knows it, and `diff_format` writes the result
as text, Markdown or JSON. `pagediff` compares two PDFs page by page (`pdfpages` reads
them with poppler, `pagematch` pairs the pages by their text, `pageimage` marks what
differs). `textconv` writes a data file one fact a line, for `git diff`.

May import: input, model, layout, render, pipeline, publish.
"""
