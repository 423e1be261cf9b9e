"""Model: the year's facts and every figure derived from them, defined once.

The model is the API: renderers, checks, the diff and tests read it; none of them
recomputes a total or reads YAML. Its parts (`disclosure.Disclosure` and the parts in
`parts`, `performance`, `base`), the budget lines every table and figure is a query of
(`lines`), and prose: free text with its citations of computed figures, parsed and written
back as Markdown. It knows nothing of layouts or outputs: a layout is held, not read.

May import: input.
"""
