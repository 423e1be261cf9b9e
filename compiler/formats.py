"""The output formats a build can write (a module of its own: the command line checks
them without loading the renderers)."""

FORMATS = ("html", "md", "pdf", "xlsx")
DEFAULT_FORMATS = ("html", "md", "pdf")
