"""The tool's one error family. Kept in a module of its own, free of imports, so the command
line can catch them without loading the compiler.

Diagnostics are values: a problem in the data is reported as a Diagnostic, never raised.
What is raised on purpose is a `DisclosureError`, of one of two kinds the command line
treats differently, each knowing its exit status and how it is shown (as click's
`ClickException` does):

- `DataError` (exit 1): the data (or a project's layout) is wrong; it is shown as its
  diagnostics. Most never leave their stage: the pipeline turns them into diagnostics.
- `Trouble` (exit 2): trouble outside the data — a year or revision that does not exist,
  no CJK font, a record edited by hand — shown in one line.

Three kinds of error stay outside the family, for the libraries that raise or catch them:
the operating system's (an `OSError`, shown as `path: reason`), Jinja's inside a template
(render/sandbox.py's `UnsafeTemplate` is a `TemplateError`) and WeasyPrint's fetcher's
(render/pdf.py's `ForbiddenFetch`).
"""


class DisclosureError(Exception):
    """Every error the tool raises on purpose."""

    exit_code = 2

    def format_message(self) -> str:
        """The error as the command line shows it, in one line."""
        return str(self)


class DataError(DisclosureError):
    """A problem of the data: exit status 1, shown as its diagnostics (or its message)."""

    exit_code = 1
    diagnostics: list = []  # noqa: RUF012 - read only; a subclass sets its own per error


class Trouble(DisclosureError):
    """Trouble outside the data: exit status 2, one line."""

    exit_code = 2


class BuildSettingError(Trouble, ValueError):
    """An environment setting the build cannot use (usage trouble, exit 2)."""


class UnsafeOutputName(Trouble, ValueError):
    """An output name from the data that would land outside the output folder."""


class FontError(Trouble):
    """No usable CJK font: the PDF cannot be built on this machine."""

    def format_message(self) -> str:
        from .i18n import _

        return _("cannot build the PDF: {reason}").format(reason=self)


class PdfProcessError(Trouble):
    """The process laying out the PDF (render/pdf_process.py) ended without an answer."""


class OutsideResource(DataError):
    """The PDF's markup asked for a URL (an image, a stylesheet): a build reads nothing
    from outside, so the layout that wrote it is wrong (see render/sandbox.py)."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


class MissingValue(DataError):
    """A template printed a value the data does not have (None): never print "None"."""


def template_position(error: BaseException) -> tuple[str | None, int]:
    """The template file and line an error was raised at: Jinja names them on its own
    errors, and puts template lines into the traceback of any other."""
    import traceback  # only when something went wrong

    file = getattr(error, "filename", None)
    line = getattr(error, "lineno", None) or 0
    if not file:
        for frame in reversed(traceback.extract_tb(error.__traceback__)):
            if frame.filename.endswith(".j2"):
                return frame.filename, frame.lineno or 0
    return file, line
