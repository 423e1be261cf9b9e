"""Trouble outside the data that any command may meet (exit status 2). Kept in a module of
its own, free of imports, so the command line can catch them without loading the compiler."""


class BuildSettingError(ValueError):
    """An environment setting the build cannot use (usage trouble, exit 2)."""


class UnsafeOutputName(ValueError):
    """An output name from the data that would land outside the output folder."""


class FontError(Exception):
    """No usable CJK font: the PDF cannot be built on this machine."""


class PdfProcessError(Exception):
    """The process laying out the PDF (render/pdf_process.py) ended without an answer."""


class OutsideResource(Exception):
    """The PDF's markup asked for a URL (an image, a stylesheet): a build reads nothing
    from outside, so the layout that wrote it is wrong (see render/sandbox.py)."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


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
