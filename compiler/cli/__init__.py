"""CLI: the `disclosure` command — click commands only, a thin layer over the library.

Each command parses its arguments, calls the rooms below, prints diagnostics and sets the
exit status: 0 ok, 1 the data has errors (for diff: the two sides differ), 2 trouble
outside the data, in one line (see compiler/errors.py). `command` holds the command group and
the commands every run may need (validate, build); the others are imported only when
asked for (`review`, `workbook`, `publish`, `datarepo`, `serve`, `fmt`). `common` holds
what they share, `i18n` the command line in the chosen language, `codequality` the GitLab
report form of diagnostics.

May import: input, model, layout, checks, render, pipeline, fmt, edit, review, publish, serve.
"""

from .command import main, run

__all__ = ["main", "run"]
