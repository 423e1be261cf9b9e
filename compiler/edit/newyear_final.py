"""Start a year's final accounts from last year's (`disclosure new-year 2025/final`).

The final accounts of a year are written after the year, from the accounting system: none
of last year's figures is this year's. So every figure of the files copied (outturn.yaml,
and the counts and amounts of final-notes.yaml) is left blank (YAML null, which `validate`
reports at its line as still to fill, never a silent 0), the reasons (which explain last
year's differences) are blanked too, and the texts that may still hold (uses, duties, the
glossary, the layout chosen in unit.yaml) are copied and listed in carried-over.yaml, as
the budget's new-year does (`newyear`).

The figures the repository can compute are not written: last year's figures the text
compares with come from last year's final accounts (no previous-final.yaml), and the 年初预算
from the year's budget when the repository holds it (no initial-budget.yaml). Without that
budget, an initial-budget.yaml with the 项 of last year is written blank for the 年初预算 as
published, and the report says how to add the budget instead.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..checks.carried import FILE as CARRIED_FILE
from ..checks.carried import carried_texts
from ..i18n import _, document_name, ngettext
from ..input.loader import dotted, leaves
from ..input.sources import WorkingTreeYear, YearSource, available_years
from ..model.final import THREE_PUBLIC
from ..paths import FINAL_DIR, kind_of, schema_hint
from ..pipeline.year import compile_year
from .newyear import (
    NOT_CARRIED,
    Blank,
    Mention,
    NewYearError,
    carried_file,
    decoded,
    mention_lines,
    read_back,
    year_mentions,
)
from .newyear_text import drop_comments, rewrite, stale_comment

# Files the repository computes when a year's final accounts start from last year's:
# never copied (previous-final: last year's final accounts are the source itself).
COMPUTED = frozenset({"previous-final.yaml", "initial-budget.yaml"})
INITIAL_BUDGET = "initial-budget.yaml"
MODELINE = re.compile(r"^(# yaml-language-server: \$schema=)\S+")


@dataclass
class FinalYearReport:
    year: int
    source: str  # 2024年度决算
    from_year: int
    target: str  # data/2025/final
    files: int = 0
    blanks: list[Blank] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    dropped_comments: list[tuple[str, str]] = field(default_factory=list)
    carried: dict[str, list[tuple[tuple, str]]] = field(default_factory=dict)
    budget: str = ""  # the year's budget folder the 年初预算 come from; "" none
    budget_hint: str = ""  # where the budget would go, when there is none
    previous_final: str = ""  # last year's final accounts folder; "" not in the repository


def final_name(year: int) -> str:
    """A year's final accounts as prose names them (2024年度决算), never the address 2024/final."""
    return document_name(f"{year}/{FINAL_DIR}")


def default_final_source(data_dir: Path, year: int) -> WorkingTreeYear:
    """The latest year before `year` that has final accounts (data/<year>/final/)."""
    earlier = [
        y
        for y in available_years(data_dir)
        if y < year and WorkingTreeYear(data_dir, y, FINAL_DIR).exists()
    ]
    if not earlier:
        raise NewYearError(
            _(
                "no final accounts before {year} under {folder}/ to start {name} from "
                "(a year's final accounts are in data/<year>/final/); name them with "
                "--from YEAR/final"
            ).format(year=year, folder=data_dir, name=final_name(year))
        )
    return WorkingTreeYear(data_dir, earlier[-1], FINAL_DIR)


def start_final_year(data_dir: Path, year: int, source: YearSource | None) -> FinalYearReport:
    """Write data_dir/<year>/final from `source` (final accounts of an earlier year; None:
    the latest before `year`); raises NewYearError (nothing written) on trouble."""
    target = WorkingTreeYear(data_dir, year, FINAL_DIR)
    if target.root.exists():
        raise NewYearError(
            _(
                "{folder} already exists: {name} were started before, and new-year never "
                "overwrites them (delete or rename the folder first if you really mean to "
                "start again)"
            ).format(folder=target.where, name=final_name(year))
        )
    if source is None:
        source = default_final_source(data_dir, year)
    if not getattr(source, "document", ""):
        raise NewYearError(
            _(
                "{source} is a budget: {name} start from final accounts (--from {year}/final)"
            ).format(source=source.label, name=final_name(year), year=source.year)
        )
    if source.year >= year:
        raise NewYearError(
            _("start {name} from an earlier year's final accounts, not from {source}").format(
                name=final_name(year), source=final_name(source.year)
            )
        )
    result = compile_year(source)
    if not result.ok:
        raise NewYearError(
            _(
                "{source} has data errors; fix them first (`disclosure validate "
                "{year}/final`), then start {name}"
            ).format(source=final_name(source.year), year=source.year, name=final_name(year)),
            [d for d in result.diagnostics if d.is_error],
        )
    report = FinalYearReport(year, final_name(source.year), source.year, target.where)
    budget = target.budget()
    if budget.exists() and budget.files():
        report.budget = budget.where
    else:
        report.budget_hint = budget.where
    if target.previous().exists():
        report.previous_final = target.previous().where
    texts = {
        rel: decoded(source.read(rel))
        for rel in source.files()
        if rel in result.documents and rel not in NOT_CARRIED | COMPUTED
    }
    year_dir = target.root.parent
    made_year_dir = not year_dir.exists()
    year_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{year}-new-final-", dir=year_dir))
    try:
        for rel, text in texts.items():
            _write(staging, rel, _blanked(rel, text, result.documents[rel], target, report))
        if not report.budget:
            _write(staging, INITIAL_BUDGET, _initial_budget(result.model.final, target, report))
        if report.carried:
            rel = f"{FINAL_DIR}/{CARRIED_FILE}"  # its schema path counts the final/ folder
            text = carried_file(report.carried, source.year, rel)
            read_back(target.display_path(CARRIED_FILE), text, {}, [])
            _write(staging, CARRIED_FILE, text)
        os.rename(staging, target.root)  # fails rather than merge if the folder appeared
    except OSError as e:
        raise NewYearError(
            _("cannot write {folder}: {error}").format(folder=report.target, error=e)
        ) from e
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if made_year_dir and not target.root.exists():
            shutil.rmtree(year_dir, ignore_errors=True)
    return report


def _write(staging: Path, rel: str, text: str) -> None:
    out = staging / rel
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")


def _is_reason(path: tuple) -> bool:
    """A reason explains last year's difference (变化原因, 决算与预算不同的原因)."""
    return isinstance(path[-1], str) and path[-1].endswith("reason")


def _blanked(rel: str, text: str, doc, target: WorkingTreeYear, report) -> str:
    """One file of last year's final accounts with every figure and reason blanked, the
    comments about last year's figures dropped; its copied texts noted for review."""
    edits = {
        path: None
        for path, value in leaves(doc.data)
        if isinstance(value, Decimal) or (_is_reason(path) and isinstance(value, str))
    }
    shown = target.display_path(rel)
    new_text, comments = drop_comments(rewrite(text, edits), stale_comment(report.from_year))
    # The schema's path from the new folder (last year's may sit elsewhere: --from, a copy).
    hint = schema_hint(kind_of(rel), target.checkout_path(rel), f"{FINAL_DIR}/{rel}")
    new_text = MODELINE.sub(lambda m: m.group(1) + hint, new_text, count=1)
    new_doc = read_back(shown, new_text, edits, [])  # read back: it says what was meant
    report.blanks += [
        Blank(shown, new_doc.locate(path).line, dotted(path), _what(path)) for path in edits
    ]
    report.dropped_comments += [(shown, comment) for comment in comments]
    report.mentions += year_mentions(new_doc, report.from_year, shown)
    copied = carried_texts(new_doc)
    if copied:
        report.carried[rel] = copied
    report.files += 1
    return new_text


def _what(path: tuple) -> str:
    return "change reason" if _is_reason(path) else "figure"


def _initial_budget(final, target: WorkingTreeYear, report: FinalYearReport) -> str:
    """initial-budget.yaml with the 年初预算 of every 项 last year's accounts knew, blank:
    the year has no budget in the repository to compute them from."""
    codes = sorted(
        set(final.initial_budget)
        | {code for code, fund, _kinds in final.spending if fund == "general"}
    )
    hint = schema_hint(
        "initial-budget", target.checkout_path(INITIAL_BUDGET), f"{FINAL_DIR}/{INITIAL_BUDGET}"
    )
    lines = [
        f"# yaml-language-server: $schema={hint}",
        "# 年初预算：本仓库没有本年度的预算，按决算公开文本所印的年初预算填写（万元）。",
        "# 如改为在本仓库中补充本年度预算，年初预算将由预算计算，届时请删除本文件。",
        "amount_unit: 万元",
        "general:",
        *[f'  - code: "{code}"\n    amount:' for code in codes],
        "three_public:",
        *[f"  {key}:" for key in THREE_PUBLIC],
    ]
    text = "\n".join(lines) + "\n"
    shown = target.display_path(INITIAL_BUDGET)
    edits = {("general", i, "amount"): None for i in range(len(codes))}
    edits |= {("three_public", key): None for key in THREE_PUBLIC}
    doc = read_back(shown, text, edits, [])
    report.blanks += [Blank(shown, doc.locate(p).line, dotted(p), "figure") for p in edits]
    report.files += 1
    return text


def final_summary(report: FinalYearReport) -> list[str]:
    """What was done and what the clerk must still do, for the terminal."""
    year, name = report.year, final_name(report.year)
    lines = [
        _("Started {folder} ({name}) from {source} ({count} files).").format(
            folder=report.target, name=name, source=report.source, count=report.files
        )
    ]
    if report.previous_final:
        lines.append(
            _("Last year's figures the text compares with are computed from {folder}.").format(
                folder=report.previous_final
            )
        )
    else:
        lines.append(
            _(
                "{previous} is not in the repository: the text compares with last year's "
                "figures only where final/previous-final.yaml gives them as published "
                "(docs/data-format.md)."
            ).format(previous=final_name(year - 1))
        )
    if report.budget:
        lines.append(
            _("The 年初预算 are computed from the year's budget in {folder}.").format(
                folder=report.budget
            )
        )
    else:
        lines.append(
            _(
                "The repository holds no budget of {year} ({folder} has none): fill the "
                "年初预算 as published in final/{file}, or start the year's budget "
                "(`disclosure new-year {year}` writes it beside the final accounts) and delete "
                "final/{file}, so that the 年初预算 are computed from it."
            ).format(year=year, folder=report.budget_hint, file=INITIAL_BUDGET)
        )
    if report.dropped_comments:
        lines.append(
            _("Comments about {source}'s figures deleted (git keeps the old year's files):").format(
                source=report.source
            )
        )
        lines += [f"  {file}: {' '.join(c.split())[:60]}" for file, c in report.dropped_comments]
    lines.append(
        _(
            "Left blank for {name} ({count} fields; `disclosure validate {year}/final` lists "
            "each at its line until filled in):"
        ).format(name=name, count=len(report.blanks), year=year)
    )
    by_file: dict[str, dict[str, int]] = {}
    for blank in report.blanks:
        kinds = by_file.setdefault(blank.file, {})
        kinds[blank.what] = kinds.get(blank.what, 0) + 1
    wide = max((len(f) for f in by_file), default=0)
    for file, kinds in by_file.items():
        what = _(", ").join(_count(kind, n) for kind, n in kinds.items())
        lines.append(f"  {file:<{wide}}  {what}")
    copied = sum(len(texts) for texts in report.carried.values())
    if copied:
        lines.append(
            _(
                "Copied {count} texts from {source} (uses, duties, definitions…), each listed "
                "in final/{file}: `disclosure validate {year}/final` warns about them until "
                "each is edited or confirmed (its entry deleted there)."
            ).format(count=copied, source=report.source, file=CARRIED_FILE, year=year)
        )
    lines += mention_lines(report.mentions, report.from_year, year)
    return lines


def _count(kind: str, n: int) -> str:
    if kind == "change reason":
        return ngettext("{count} change reason", "{count} change reasons", n).format(count=n)
    return ngettext("{count} figure", "{count} figures", n).format(count=n)


__all__ = [
    "FinalYearReport",
    "default_final_source",
    "final_name",
    "final_summary",
    "start_final_year",
]
