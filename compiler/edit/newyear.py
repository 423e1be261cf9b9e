"""Start next year's data from the last one (`disclosure new-year 2023`).

Structure and text are copied; figures are not. Every number in a data file is a figure of
its year, so the new year gets each one blank (YAML null) for staff to enter — `validate`
then fails with one "expected a number …, found nothing" at each blank until they have.
Change reasons (增减原因) explain a change that has not happened yet, so they are blanked too.
Texts that mention the old year are kept but listed for review.

The previous-year baseline (budget.yaml previous_year, three-public.yaml previous,
line-notes.yaml previous_year) is the old year's own computed figures. When the year before
the new one is in the data, the compiler computes the baseline from it, so a typed block
copied from the old year is dropped (with the comments above it): typed, it would only go
stale. Otherwise (a year skipped) it is written with the old year's figures. Comments that
name the old year or a figure describe the old year and are dropped too (newyear_text).

Files are edited as text at the places PyYAML reports for each value, so comments, layout
and the `# yaml-language-server` modeline stay as they were; each edited file is read back
to prove it says what was meant. The year is written to a temporary folder and renamed
into place, so a failure never leaves half a year behind, and an existing year is never
overwritten.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..checks.carried import FILE as CARRIED_FILE
from ..checks.carried import carried_texts
from ..diagnostics import Diagnostic
from ..errors import Trouble
from ..i18n import _, ngettext
from ..input.loader import Document, dotted, leaves, load_text
from ..input.sources import WorkingTreeYear, YearSource, available_years
from ..input.yearfolder import split_unit
from ..model.disclosure import Disclosure, next_year_baseline
from ..numbers import NOT_PUBLISHED_WORD, money
from ..paths import FINAL_DIR, UNITS_DIR
from ..pipeline.year import compile_year
from .newyear_text import drop_block, drop_comments, rewrite, stale_comment

# File (within a year or a unit) → its change reasons and its typed previous-year block.
REASONS = {"budget.yaml": "change_reasons", "three-public.yaml": "reasons"}
BASELINE = {
    "budget.yaml": "previous_year",
    "three-public.yaml": "previous",
    "line-notes.yaml": "previous_year",
}
# Files that speak of last year's texts only: a new year's text is acknowledged anew.
NOT_CARRIED = frozenset({"acknowledged.yaml", CARRIED_FILE})
_WHAT = {"quantity": "quantity", "unit_price": "unit price", "budget": "project budget"}
# How many blanks of each kind a file has, for the report.
_COUNT = {
    "amount": lambda n: ngettext("{count} amount", "{count} amounts", n),
    "quantity": lambda n: ngettext("{count} quantity", "{count} quantities", n),
    "unit price": lambda n: ngettext("{count} unit price", "{count} unit prices", n),
    "project budget": lambda n: ngettext("{count} project budget", "{count} project budgets", n),
    "change reason": lambda n: ngettext("{count} change reason", "{count} change reasons", n),
    "target value": lambda n: ngettext("{count} target value", "{count} target values", n),
    "asset value": lambda n: ngettext("{count} asset value", "{count} asset values", n),
}


class NewYearError(Trouble):
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
    # The folder the baseline is computed from, when the year before is in the data.
    baseline_from: str = ""
    dropped_blocks: list[tuple[str, str]] = field(default_factory=list)  # file, key
    dropped_comments: list[tuple[str, str]] = field(default_factory=list)  # file, comment
    mentions: list[Mention] = field(default_factory=list)
    # unit folder ("" the year's own) → file → (field path, text) copied from the old year
    carried: dict[str, dict[str, list[tuple[tuple, str]]]] = field(default_factory=dict)
    kept_targets: int = 0
    has_lines: bool = False  # the year has budget lines, which `disclosure import` reads


def earlier_budget_years(data_dir: Path, year: int) -> list[int]:
    """The years before `year` with a budget (a year holding only final accounts,
    data/<year>/final/, is passed over: a new year's budget starts from the last budget)."""
    return [
        y for y in available_years(data_dir) if y < year and WorkingTreeYear(data_dir, y).files()
    ]


def default_from_year(data_dir: Path, year: int) -> int:
    """The latest year before `year` with a budget."""
    earlier = earlier_budget_years(data_dir, year)
    if not earlier:
        raise NewYearError(
            _("no year before {year} under {folder}/ to start from; name one with --from").format(
                year=year, folder=data_dir
            )
        )
    return earlier[-1]


def refuse_existing(target: WorkingTreeYear) -> None:
    """new-year never overwrites a year. A folder holding only the year's final accounts
    (made first with `new-year YEAR/final`) has no budget yet: the budget is written
    beside them (`place_year`)."""
    if target.root.exists() and not _only_final_accounts(target.root):
        raise NewYearError(
            _(
                "{folder} already exists: new-year never overwrites a year "
                "(delete or rename it first if you really mean to start again)"
            ).format(folder=target.display_path(""))
        )


def _only_final_accounts(root: Path) -> bool:
    return [p.name for p in root.iterdir()] == [FINAL_DIR]


def place_year(staging: Path, root: Path) -> None:
    """Move the staged year into place in one rename. Final accounts already in the
    folder go into the staged year first (and back if the rename fails), so a reader sees
    the year whole or as it was."""
    if not root.exists():
        os.rename(staging, root)  # fails rather than merge if the year appeared meanwhile
        return
    if not _only_final_accounts(root):
        raise FileExistsError(root)
    os.rename(root / FINAL_DIR, staging / FINAL_DIR)
    try:
        os.rmdir(root)
        os.rename(staging, root)
    except OSError:
        root.mkdir(exist_ok=True)
        os.rename(staging / FINAL_DIR, root / FINAL_DIR)
        raise


def start_year(
    data_dir: Path, year: int, source: YearSource, *, keep_targets: bool = False
) -> NewYearReport:
    """Write data_dir/<year> from `source`; raises NewYearError (nothing written) on trouble."""
    target = WorkingTreeYear(data_dir, year)
    refuse_existing(target)
    if getattr(source, "document", ""):
        raise NewYearError(
            _(
                "{source} is final accounts: a new year's budget starts from a budget "
                "(--from {year})"
            ).format(source=source.label, year=source.year)
        )
    if source.year >= year:
        raise NewYearError(
            _("start {year} from an earlier year, not from {source}").format(
                year=year, source=source.label
            )
        )
    result = compile_year(source)
    if not result.ok:
        raise NewYearError(
            _(
                "{source} has data errors; fix them first (its computed figures become "
                "{year}'s previous-year baseline)"
            ).format(source=source.label, year=year),
            [d for d in result.diagnostics if d.is_error],
        )
    report = NewYearReport(year, source.label, source.year, target.display_path("").rstrip("/"))
    if target.previous().exists():  # the compiler takes the baseline from it
        report.baseline_from = target.previous().display_path("").rstrip("/")
    texts = {
        rel: decoded(source.read(rel))
        for rel in source.files()
        if rel in result.documents and split_unit(rel)[1] not in NOT_CARRIED
    }
    data_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{year}-new-year-", dir=data_dir))
    try:
        for rel, text in texts.items():
            shown = target.display_path(rel)
            new_text, edits, dropped = _new_text(rel, text, result, keep_targets, report)
            new_text, comments = drop_comments(new_text, stale_comment(source.year))
            # Read back as written: lines in the report are the new file's lines.
            doc = read_back(shown, new_text, edits, dropped)
            _note(report, rel, doc, edits, shown)
            slug, inner = split_unit(rel)
            texts_copied = carried_texts(doc)
            if texts_copied:
                report.carried.setdefault(slug, {})[inner] = texts_copied
            report.dropped_blocks += [(shown, key) for key in dropped]
            report.dropped_comments += [(shown, comment) for comment in comments]
            out = staging / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(new_text, encoding="utf-8")
            report.files += 1
            report.has_lines = report.has_lines or split_unit(rel)[1] == "lines.yaml"
        for slug, files in report.carried.items():
            rel = f"{UNITS_DIR}/{slug}/{CARRIED_FILE}" if slug else CARRIED_FILE
            text = carried_file(files, source.year, rel)
            read_back(target.display_path(rel), text, {}, [])
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            (staging / rel).write_text(text, encoding="utf-8")
        place_year(staging, target.root)
    except OSError as e:
        raise NewYearError(
            _("cannot write {folder}: {error}").format(folder=report.target, error=e)
        ) from e
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return report


def carried_file(files: dict[str, list[tuple[tuple, str]]], year: int, rel: str) -> str:
    """carried-over.yaml: each text copied, by file, as validate compares it."""
    schema = "../" * (rel.count("/") + 2) + "schemas/carried-over.schema.json"
    out = [
        f"# yaml-language-server: $schema={schema}",
        "# Texts `disclosure new-year` copied from the year below. validate warns about those",
        "# still as copied; edit each for the new year, or, where it is still true, delete its",
        "# entry here (a file's whole list to confirm all of its texts).",
        f"from: {year}",
        "files:",
    ]
    for file, texts in files.items():
        out.append(f"  {json.dumps(file, ensure_ascii=False)}:")
        out += [
            f"    - {{field: {json.dumps(dotted(path), ensure_ascii=False)}, "
            f"text: {json.dumps(text, ensure_ascii=False)}}}"
            for path, text in texts
        ]
    return "\n".join(out) + "\n"


def _new_text(
    rel: str, text: str, result, keep_targets: bool, report: NewYearReport
) -> tuple[str, dict[tuple, str | None], list[str]]:
    """The new year's text of one file, its edited values and the blocks dropped from it
    (the baseline block a previous year's figures replace; unit.yaml's `not_published`, a
    fact about last year's edition only)."""
    name = split_unit(rel)[1]
    doc = result.documents[rel]
    wanted = [EDITION_ONLY.get(name)]
    if report.baseline_from:
        wanted.append(BASELINE.get(name))
    blocks = [
        block
        for block in wanted
        if block
        and isinstance(doc.data, dict)
        and block in doc.data
        and drop_block(text, block) is not None
    ]
    skip = next((b for b in blocks if b == BASELINE.get(name)), None)
    edits = plan_edits(rel, doc, result.model, keep_targets, report, skip=skip)
    # Cut the blocks out after the edits: their places were read from the text as it was.
    text = rewrite(text, edits)
    for block in blocks:
        text = drop_block(text, block)
    return text, edits, blocks


# What a file says about its year's published edition alone: never carried to a new year.
EDITION_ONLY = {"unit.yaml": "not_published"}


def plan_edits(
    rel: str,
    doc: Document,
    model: Disclosure,
    keep_targets: bool,
    report: NewYearReport,
    skip: str | None = None,
) -> dict[tuple, str | None]:
    """field path → new text of its value (None: leave blank) for one file of the old year;
    nothing under the top-level key `skip` (a block that is dropped)."""
    edits: dict[tuple, str | None] = {}
    block = BASELINE.get(split_unit(rel)[1])
    for path, value in leaves(doc.data):
        # a first year's 未公开 in its baseline block is a figure of last year like the
        # others: the new year's baseline is the old year's own (published) figure
        not_published = path[0] == block and value == NOT_PUBLISHED_WORD
        if (isinstance(value, Decimal) or not_published) and path[0] != skip:
            if keep_targets and "target" in path:
                report.kept_targets += 1
                continue
            edits[path] = None
    reasons = REASONS.get(split_unit(rel)[1])
    if reasons and isinstance(doc.data.get(reasons), dict):
        edits.update({(reasons, key): None for key in doc.data[reasons]})
    baseline = {path: v for (file, path), v in next_year_baseline(model).items() if file == rel}
    for path, value in baseline.items():
        if path in edits:
            edits[path] = money(value)
    if (block,) in edits:  # the whole block written 未公开: the old year's figures, all of them
        edits[(block,)] = _flow_mapping({p[-1]: v for p, v in baseline.items() if p[0] == block})
    return edits


def _flow_mapping(figures: dict[str, Decimal]) -> str:
    """{basic: 4158.17, project: 5411.71}: a block of figures written in one line."""
    return "{" + ", ".join(f"{key}: {money(value)}" for key, value in figures.items()) + "}"


def _expected(value: str | None):
    """What an edited value reads back as: nothing, a figure, or a block of figures."""
    if value is None:
        return None
    if value.startswith("{"):
        pairs = (item.split(": ") for item in value[1:-1].split(", "))
        return {key: Decimal(figure) for key, figure in pairs}
    return Decimal(value)


def read_back(
    shown: str, text: str, edits: dict[tuple, str | None], dropped: list[str]
) -> Document:
    """Read the edited file back; it must load, hold exactly the intended values and
    none of the dropped blocks."""
    doc, problems = load_text(shown, text)
    if doc is None or problems:
        raise NewYearError(
            _("internal error: editing {file} made it unreadable; nothing written").format(
                file=shown
            )
        )
    for path, value in edits.items():
        got = _get(doc.data, path)
        if got != _expected(value):
            raise NewYearError(
                _(
                    "internal error: {file} {field} reads {value} after editing; nothing written"
                ).format(file=shown, field=dotted(path), value=repr(got))
            )
    for key in dropped:
        if key in doc.data:
            raise NewYearError(
                _(
                    "internal error: {file} {field} reads {value} after editing; nothing written"
                ).format(file=shown, field=key, value=repr(doc.data[key]))
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
    if path[0] == REASONS.get(split_unit(rel)[1]):
        return "change reason"
    if path[-1] == "value":
        return "target value" if "target" in path else "asset value"
    return _WHAT.get(path[-1], "amount")


def mention_lines(mentions: list[Mention], from_year: int, year: int) -> list[str]:
    """The summary's lines for the texts that name the source year or the one before (none
    when there are none): a budget's and a final accounts' new year print them alike."""
    if not mentions:
        return []
    heading = _(
        "Texts that mention {year} or {previous} (kept as written; review them for {new_year}):"
    ).format(year=from_year, previous=from_year - 1, new_year=year)
    return [heading] + [f"  {m.file}:{m.line}: {m.excerpt}" for m in mentions]


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


def decoded(raw: bytes) -> str:
    """A data file's text, without the byte-order mark some editors write."""
    text = raw.decode("utf-8")
    return text[1:] if text.startswith("\ufeff") else text


def summary(report: NewYearReport) -> list[str]:
    """What was done and what staff must still do, for the terminal."""
    year, source = report.year, report.from_label
    lines = [
        _("Started {folder} from {source} ({count} files).").format(
            folder=report.target, source=source, count=report.files
        )
    ]
    lines += _baseline_lines(report)
    if report.dropped_comments:
        lines.append(
            _("Comments about {source}'s figures deleted (git keeps the old year's files):").format(
                source=source
            )
        )
        lines += [f"  {file}: {_short(comment)}" for file, comment in report.dropped_comments]
    by_file: dict[str, dict[str, int]] = {}
    for blank in report.blanks:
        kinds = by_file.setdefault(blank.file, {})
        kinds[blank.what] = kinds.get(blank.what, 0) + 1
    lines.append(
        _(
            "Left blank for {year}'s figures ({count} fields; `disclosure validate {year}` "
            "lists each at its line until filled in):"
        ).format(year=year, count=len(report.blanks))
    )
    wide = max((len(f) for f in by_file), default=0)
    for file, kinds in by_file.items():
        what = _(", ").join(_COUNT[k](n).format(count=n) for k, n in kinds.items())
        lines.append(f"  {file:<{wide}}  {what}")
    if report.kept_targets:
        lines.append(
            _(
                "Kept {count} indicator target values from {source} (--keep-targets): "
                "check each is still this year's target."
            ).format(count=report.kept_targets, source=source)
        )
    copied = sum(len(texts) for files in report.carried.values() for texts in files.values())
    if copied:
        lines.append(
            _(
                "Copied {count} texts from {source} (reasons, uses, definitions, periods, goals…), "
                "each listed in {file}: `disclosure validate {year}` warns about them, once per "
                "file, until each is edited or confirmed (its entry deleted there)."
            ).format(count=copied, source=source, file=CARRIED_FILE, year=year)
        )
    lines += mention_lines(report.mentions, report.from_year, year)
    return lines + _next_steps(report)


def _baseline_lines(report: NewYearReport) -> list[str]:
    year, source = report.year, report.from_label
    if report.baseline_from:
        if not report.dropped_blocks:
            return [
                _("{year}'s previous-year figures are computed from {folder}.").format(
                    year=year, folder=report.baseline_from
                )
            ]
        return [
            _(
                "{year}'s previous-year figures are computed from {folder}, so the typed "
                "previous-year figures copied from {source} were deleted:"
            ).format(year=year, folder=report.baseline_from, source=source),
            *[f"  {file}: {key}" for file, key in report.dropped_blocks],
        ]
    lines = []
    if report.from_year != year - 1:
        lines.append(
            _(
                "note: {year}'s previous year is {previous}, but the previous-year figures "
                "below are {source}'s; correct them if {previous} differs."
            ).format(year=year, previous=year - 1, source=report.from_year)
        )
    lines.append(
        _("Previous-year figures set from {source}'s computed figures:").format(source=source)
    )
    lines += [f"  {file}: {field_} = {value}" for file, field_, value in report.baseline]
    return lines


def _next_steps(report: NewYearReport) -> list[str]:
    year = report.year
    steps = [_("Fill in {year}'s figures and change reasons at the places listed above.")]
    if report.has_lines:
        steps.append(
            _(
                "The budget lines (lines.yaml) can instead be imported from the budget "
                "system's workbook: disclosure import WORKBOOK.xlsx --year {year} --replace"
            )
        )
    if report.mentions:
        steps.append(_("Revise the texts listed above for {year}."))
    steps.append(
        _(
            "Run `disclosure validate {year}` and correct each problem it lists, until it "
            "says “{year}: valid”."
        )
    )
    return [_("Next:")] + [f"  {n}. {step.format(year=year)}" for n, step in enumerate(steps, 1)]


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = ["NewYearError", "NewYearReport", "default_from_year", "start_year", "summary"]
