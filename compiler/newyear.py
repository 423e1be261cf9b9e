"""Start next year's data from the last one (`disclosure new-year 2023`).

Structure and text are copied; figures are not. Every number in a data file is a figure of
its year, so the new year gets each one blank (YAML null) for staff to enter — `validate`
then fails with one "expected a number …, found nothing" at each blank until they have —
except the previous-year baseline, which is the old year's own computed figures:
budget.yaml previous_year.basic/project = the old 基本支出/项目支出, three-public.yaml
previous = the old current. Change reasons (增减原因) explain a change that has not happened
yet, so they are blanked too. Texts that mention the old year are kept but listed for review.

Files are edited as text at the places PyYAML reports for each value, so comments, layout
and the `# yaml-language-server` modeline stay as they were; each edited file is read back
to prove it says what was meant. The year is written to a temporary folder and renamed
into place, so a failure never leaves half a year behind, and an existing year is never
overwritten.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from .diagnostics import Diagnostic
from .loader import Document, dotted, leaves, load_text
from .model import Disclosure, next_year_baseline
from .numbers import money
from .pipeline import compile_year
from .sources import WorkingTreeYear, YearSource, available_years

REASONS = {"budget.yaml": "change_reasons", "three-public.yaml": "reasons"}
_WHAT = {"quantity": "quantity", "unit_price": "unit price", "budget": "project budget"}


class NewYearError(Exception):
    """The new year cannot be started; nothing was written. May carry the old year's problems."""

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None):
        super().__init__(message)
        self.diagnostics = diagnostics or []


@dataclass(frozen=True)
class Blank:
    file: str  # as the user would type it, e.g. data/2023/budget.yaml
    line: int
    field: str  # income.general_budget
    what: str  # amount, quantity, unit price, change reason, …


@dataclass(frozen=True)
class Mention:
    file: str
    line: int
    excerpt: str


@dataclass
class NewYearReport:
    year: int
    from_label: str
    from_year: int
    target: str
    files: int = 0
    blanks: list[Blank] = field(default_factory=list)
    baseline: list[tuple[str, str, str]] = field(default_factory=list)  # file, field, value
    mentions: list[Mention] = field(default_factory=list)
    kept_targets: int = 0


def default_from_year(data_dir: Path, year: int) -> int:
    earlier = [y for y in available_years(data_dir) if y < year]
    if not earlier:
        raise NewYearError(
            f"no year before {year} under {data_dir}/ to start from; name one with --from"
        )
    return earlier[-1]


def start_year(
    data_dir: Path, year: int, source: YearSource, *, keep_targets: bool = False
) -> NewYearReport:
    """Write data_dir/<year> from `source`; raises NewYearError (nothing written) on trouble."""
    target = WorkingTreeYear(data_dir, year)
    if target.root.exists():
        raise NewYearError(
            f"{target.display_path('')} already exists: new-year never overwrites a year "
            "(delete or rename it first if you really mean to start again)"
        )
    if source.year >= year:
        raise NewYearError(f"start {year} from an earlier year, not from {source.label}")
    result = compile_year(source)
    if not result.ok:
        raise NewYearError(
            f"{source.label} has data errors; fix them first (its computed figures become "
            f"{year}'s previous-year baseline)",
            [d for d in result.diagnostics if d.is_error],
        )
    report = NewYearReport(year, source.label, source.year, target.display_path("").rstrip("/"))
    texts = {rel: _decode(source.read(rel)) for rel in source.files() if rel in result.documents}
    data_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{year}-new-year-", dir=data_dir))
    try:
        for rel, text in texts.items():
            edits = plan_edits(rel, result.documents[rel], result.model, keep_targets, report)
            new_text = rewrite(text, edits)
            doc = _check(target.display_path(rel), new_text, edits)
            _note(report, rel, doc, edits, target.display_path(rel))
            out = staging / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(new_text, encoding="utf-8")
            report.files += 1
        os.rename(staging, target.root)  # fails rather than merge if the year appeared meanwhile
    except OSError as e:
        raise NewYearError(f"cannot write {report.target}: {e}") from e
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return report


def plan_edits(
    rel: str, doc: Document, model: Disclosure, keep_targets: bool, report: NewYearReport
) -> dict[tuple, str | None]:
    """field path → new text of its value (None: leave blank) for one file of the old year."""
    edits: dict[tuple, str | None] = {}
    for path, value in leaves(doc.data):
        if isinstance(value, Decimal):
            if keep_targets and "target" in path:
                report.kept_targets += 1
                continue
            edits[path] = None
    reasons = REASONS.get(rel)
    if reasons and isinstance(doc.data.get(reasons), dict):
        edits.update({(reasons, key): None for key in doc.data[reasons]})
    for (file, path), value in next_year_baseline(model).items():
        if file == rel and path in edits:
            edits[path] = money(value)
    return edits


def _scalar_nodes(text: str) -> dict[tuple, tuple[yaml.ScalarNode, bool]]:
    """field path → (its scalar node, whether it sits in a {flow} collection)."""
    found: dict[tuple, tuple[yaml.ScalarNode, bool]] = {}

    def walk(node, path: tuple, flow: bool) -> None:
        if isinstance(node, yaml.ScalarNode):
            found[path] = (node, flow)
        elif isinstance(node, yaml.SequenceNode):
            for i, child in enumerate(node.value):
                walk(child, path + (i,), flow or bool(node.flow_style))
        elif isinstance(node, yaml.MappingNode):
            for key, child in node.value:
                walk(child, path + (key.value,), flow or bool(node.flow_style))

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is not None:
        walk(root, (), False)
    return found


def rewrite(text: str, edits: dict[tuple, str | None]) -> str:
    """`text` with each edited value replaced where it is written; the rest untouched.
    A blank in block style leaves `key:` (keeping any comment after it); in a flow
    mapping, `{key: , …}`. Text values are written as given (quote them if YAML needs it)."""
    nodes = _scalar_nodes(text)
    spans = []
    for path, value in edits.items():
        node, flow = nodes[path]
        start, end = node.start_mark.index, node.end_mark.index
        replacement = "" if value is None else value
        if value is None and not flow:
            while start > 0 and text[start - 1] in " \t":
                start -= 1
        if text[start:end].endswith("\n"):  # a block scalar ends with its line break
            replacement += "\n"
        if start == end and replacement:  # filling in an empty value
            after = end
            while after < len(text) and text[after] in " \t":
                after += 1
            if after < len(text) and text[after] in ",}]":  # `{key: , …}`
                end = after
            if text[start - 1] == ":":
                replacement = " " + replacement
        spans.append((start, end, replacement))
    for start, end, replacement in sorted(spans, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _check(shown: str, text: str, edits: dict[tuple, str | None]) -> Document:
    """Read the edited file back; it must load and hold exactly the intended values."""
    doc, problems = load_text(shown, text)
    if doc is None or problems:
        raise NewYearError(f"internal error: editing {shown} made it unreadable; nothing written")
    for path, value in edits.items():
        got = _get(doc.data, path)
        if got != (None if value is None else Decimal(value)):
            raise NewYearError(
                f"internal error: {shown} {dotted(path)} reads {got!r} after editing; "
                "nothing written"
            )
    return doc


def _get(data, path: tuple):
    for part in path:
        data = data[part]
    return data


def _note(report: NewYearReport, rel: str, doc: Document, edits: dict, shown: str) -> None:
    for path, value in edits.items():
        if value is None:
            report.blanks.append(
                Blank(shown, doc.locate(path).line, dotted(path), _what(rel, path))
            )
        else:
            report.baseline.append((shown, dotted(path), value))
    report.mentions += year_mentions(doc, report.from_year, shown)


def _what(rel: str, path: tuple) -> str:
    if path[0] == REASONS.get(rel):
        return "change reason"
    if path[-1] == "value":
        return "target value" if "target" in path else "asset value"
    return _WHAT.get(path[-1], "amount")


def year_mentions(doc: Document, year: int, shown: str) -> list[Mention]:
    """Texts that name `year` or the year before it (e.g. 2022年, 2021年度), with their line."""
    pattern = re.compile(rf"(?<![0-9])(?:{year}|{year - 1})(?![0-9])")
    found = []
    for path, value in leaves(doc.data):
        if not isinstance(value, str):
            continue
        for m in pattern.finditer(value):
            first = doc.locate(path).line + (1 if path in doc.block_scalars else 0)
            line = first + value.count("\n", 0, m.start())
            start = max(0, m.start() - 12)
            excerpt = ("…" if start else "") + value[start : m.end() + 12].split("\n")[-1]
            excerpt += "…" if m.end() + 12 < len(value) else ""
            found.append(Mention(shown, line, " ".join(excerpt.split())))
    return found


def _plural(word: str, n: int) -> str:
    if n == 1:
        return word
    return word[:-1] + "ies" if word.endswith("y") else word + "s"


def _decode(raw: bytes) -> str:
    text = raw.decode("utf-8")
    return text[1:] if text.startswith("\ufeff") else text


def summary(report: NewYearReport) -> list[str]:
    """What was done and what staff must still do, for the terminal."""
    lines = [f"Started {report.target} from {report.from_label} ({report.files} files)."]
    if report.from_year != report.year - 1:
        lines.append(
            f"note: {report.year}'s previous year is {report.year - 1}, but the previous-year "
            f"figures below are {report.from_year}'s; correct them if {report.year - 1} differs."
        )
    lines.append(f"Previous-year figures set from {report.from_label}'s computed figures:")
    for file, field_, value in report.baseline:
        lines.append(f"  {file}: {field_} = {value}")
    by_file: dict[str, dict[str, int]] = {}
    for blank in report.blanks:
        kinds = by_file.setdefault(blank.file, {})
        kinds[blank.what] = kinds.get(blank.what, 0) + 1
    lines.append(
        f"Left blank for {report.year}'s figures ({len(report.blanks)} fields; "
        f"`disclosure validate {report.year}` lists each at its line until filled in):"
    )
    wide = max((len(f) for f in by_file), default=0)
    for file, kinds in by_file.items():
        what = ", ".join(f"{n} {_plural(k, n)}" for k, n in kinds.items())
        lines.append(f"  {file:<{wide}}  {what}")
    if report.kept_targets:
        lines.append(
            f"Kept {report.kept_targets} indicator target values from {report.from_label} "
            "(--keep-targets): check each is still this year's target."
        )
    if report.mentions:
        lines.append(
            f"Texts that mention {report.from_year} or {report.from_year - 1} "
            f"(kept as written; review them for {report.year}):"
        )
        lines += [f"  {m.file}:{m.line}: {m.excerpt}" for m in report.mentions]
    return lines


__all__ = ["NewYearError", "NewYearReport", "default_from_year", "start_year", "summary"]
