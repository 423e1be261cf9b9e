"""Problems found in the data, as values: every stage returns a list of them.

A diagnostic knows where it comes from (file, line, column, field path), so one run can
report every problem, sorted, in the form editors and CI understand. A message may quote
the data (a value, a key, a file name): any character the loader refuses is shown as an
escape (\\u202e), never sent raw to a terminal or a pull request.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Literal

from .characters import visible
from .i18n import CHINESE, _, language

Severity = Literal["error", "warning", "info"]  # info: said, never a failure


@dataclass(frozen=True, order=True)
class Location:
    """A place in a data file: path relative to the project root, 1-based line and column."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Diagnostic:
    location: Location
    message: str
    field: str = ""
    severity: Severity = "error"
    # The field in the clerk's words (项目“机关工作经费” › 第3个采购物品 › 单价（万元）),
    # set by the pipeline from the schemas' titles; shown instead of `field` in Chinese.
    field_words: str = dataclasses.field(default="", compare=False)
    # A warning about what the published document itself says (a reason naming the wrong
    # direction, figures of the document that disagree): the data may acknowledge it
    # (acknowledged.yaml), which keeps the transcription faithful and --strict passing.
    published: bool = dataclasses.field(default=False, compare=False)
    # The acknowledgement's reason, once acknowledged (the severity is then "info").
    acknowledged: str = dataclasses.field(default="", compare=False)
    # An error that is a value left empty (a year from `new-year` or a layout's skeleton):
    # still an error (nothing is built), shown as what is still to fill, not as a mistake.
    to_fill: bool = dataclasses.field(default=False, compare=False)
    sort_key: tuple = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        loc = self.location
        object.__setattr__(self, "sort_key", (loc.file, loc.line, loc.column, self.message))

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    @property
    def shown_field(self) -> str:
        """The field as the reader of this language knows it."""
        if self.field_words and language() == CHINESE:
            return self.field_words
        return self.field

    @property
    def severity_word(self) -> str:
        if self.acknowledged:
            return _("acknowledged")
        if self.severity == "info":
            return _("info")
        if self.to_fill and self.is_error:
            return _("to fill")
        return _("error") if self.is_error else _("warning")

    def format_text(self) -> str:
        """`file:line:col: error: field.path: message` — the form compilers and editors use
        (in Chinese: `file:line:col: 错误: 项目“…” › 单价（万元）: message`)."""
        where = f"{self.shown_field}: " if self.field else ""
        message = self.message.replace("\n", "↵")  # one problem, one line: editors parse it
        if self.acknowledged:
            message += _(" (kept as published: {reason})").format(reason=self.acknowledged)
        return visible(f"{self.location}: {self.severity_word}: {where}{message}", keep="")

    def format_github(self) -> str:
        """A GitHub Actions workflow command, shown as an annotation on the file's line."""
        loc = self.location
        props = [f"file={_escape_property(visible(loc.file, keep=''))}"]
        if loc.line:
            props += [f"line={loc.line}", f"col={loc.column}"]
        title = visible(self.shown_field, keep="") if self.field else "disclosure"
        props.append(f"title={_escape_property(title)}")
        command = "notice" if self.severity == "info" else self.severity
        message = self.message
        if self.acknowledged:
            message += _(" (kept as published: {reason})").format(reason=self.acknowledged)
        return f"::{command} {','.join(props)}::{_escape_data(visible(message))}"


def sorted_diagnostics(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Sorted by file, line and column; exact repeats dropped."""
    seen: set[tuple] = set()
    unique = []
    for d in sorted(diagnostics, key=lambda d: d.sort_key):
        key = (d.location, d.field, d.message, d.severity)
        if key not in seen:
            seen.add(key)
            unique.append(d)
    return unique


def strictly(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Every warning as an error (`--strict`, for a publishing pipeline); information
    stays information."""
    return [
        d if d.severity == "info" else dataclasses.replace(d, severity="error") for d in diagnostics
    ]


def to_fill_by_file(diagnostics: list[Diagnostic]) -> dict[str, int]:
    """How many values each file still leaves empty, in the order the files are listed."""
    counts: dict[str, int] = {}
    for d in diagnostics:
        if d.to_fill and d.is_error:
            counts[d.location.file] = counts.get(d.location.file, 0) + 1
    return counts


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


SHOWN_PER_FILE = 100


def capped_per_file(diagnostics: list[Diagnostic], limit: int = SHOWN_PER_FILE) -> list[Diagnostic]:
    """What a terminal or a CI log prints: at most `limit` problems of each file, then one
    line saying how many more there are. A file of 200,000 repeated keys would otherwise
    print 200,000 lines; the first hundred say what is wrong, and the count stays in the
    summary line."""
    per_file: dict[str, int] = {}
    kept: list[Diagnostic] = []
    for d in diagnostics:
        count = per_file.get(d.location.file, 0) + 1
        per_file[d.location.file] = count
        if count <= limit:
            kept.append(d)
    for file, count in per_file.items():
        if count > limit:
            kept.append(
                Diagnostic(
                    Location(file),
                    _(
                        "{count} more problems in this file are not listed; fix the ones "
                        "above and check again"
                    ).format(count=count - limit),
                    severity="error",
                )
            )
    return kept


SHOWN_PLACES = 5


def grouped(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """One line per cause: the same warning or information (same message and field) in
    several files — the same warning in each of a department's thirty units — is shown
    once, at its first place, naming the others (the first five, then how many more).
    The report for GitLab keeps every place; this is what a person reads."""
    first: dict[tuple, int] = {}
    places: dict[int, list[str]] = {}
    kept: list[Diagnostic] = []
    for d in diagnostics:
        if d.is_error:  # an error is mended at its own place: each is listed
            kept.append(d)
            continue
        key = (d.message, d.field, d.severity, d.acknowledged)
        if key in first and d.location.file != kept[first[key]].location.file:
            places.setdefault(first[key], []).append(str(d.location.file))
            continue
        first.setdefault(key, len(kept))
        kept.append(d)
    for index, others in places.items():
        d = kept[index]
        shown = "、".join(visible(p, keep="") for p in others[:SHOWN_PLACES])
        if len(others) > SHOWN_PLACES:
            more = _("{places} and {count} more").format(
                places=shown, count=len(others) - SHOWN_PLACES
            )
        else:
            more = shown
        kept[index] = dataclasses.replace(
            d,
            message=d.message
            + _(" (the same in {count} more file(s): {places})").format(
                count=len(others), places=more
            ),
        )
    return kept
