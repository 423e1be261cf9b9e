"""Trouble outside the data that any command may meet (exit status 2). Kept in a module of
its own, free of imports, so the command line can catch them without loading the compiler."""


class BuildSettingError(ValueError):
    """An environment setting the build cannot use (usage trouble, exit 2)."""


class UnsafeOutputName(ValueError):
    """An output name from the data that would land outside the output folder."""


class FontError(Exception):
    """No usable CJK font: the PDF cannot be built on this machine."""
