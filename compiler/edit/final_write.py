"""The files an imported 决算 workbook writes under data/<year>/final/, as text.

outturn.yaml is written whole, one line an entry, as the examples are typed; the 三公 决算数
go into final-notes.yaml and, in a year without its budget in the repository, the 三公 预算数
into initial-budget.yaml, each figure set in place (yaml_values) so the unit's words and the
年初预算 per 项 stay as written.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ..diagnostics import Diagnostic
from ..i18n import _
from ..input.loader import load_text
from ..model.final import INCOME_SOURCES
from ..paths import schema_hint
from .final_import import THREE_PUBLIC, ImportedFinal
from .yaml_values import set_values

CENT = Decimal("0.01")
WAN = Decimal(10000)
# An entry's figures in the order the examples type them: its income by source, then its
# spending by kind, or the one amount of an economic 款.
_ENTRY_KEYS = (*INCOME_SOURCES, "basic", "project", "amount")


def number(value: Decimal, unit: str) -> str:
    """An amount as the examples type it: 万元 with two decimals (more only where a 元
    figure converted needs them: never rounded), 元 as exact as read."""
    if unit == "万元" and value == value.quantize(CENT):
        value = value.quantize(CENT)
    return format(value, "f")


def outturn_yaml(imported: ImportedFinal, schema: str) -> str:
    unit = imported.amount_unit

    def entry(e: dict) -> str:
        parts = [f'code: "{e["code"]}"']
        if "source" in e:
            parts.append(f"source: {e['source']}")
        parts += [f"{k}: {number(e[k], unit)}" for k in _ENTRY_KEYS if k in e]
        parts += [
            f"{k}: {number(v, unit)}"
            for k, v in e.items()
            if k not in (*_ENTRY_KEYS, "code", "source")
        ]
        return "  - {" + ", ".join(parts) + "}"

    out = [
        f"# yaml-language-server: $schema={schema}",
        "# 由 disclosure import 从决算工作簿导入：收入、支出按“项”，基本支出按经济分类“款”；",
        "# 类、款合计、总计和年末结转和结余由编译器计算。",
        f"amount_unit: {unit}",
    ]
    for name, entries in (
        ("income", imported.income),
        ("spending", imported.spending),
        ("economic", imported.economic),
    ):
        if entries:
            out += [f"{name}:", *map(entry, entries)]
    if imported.opening:
        out.append("opening:")
        out += [f"  {k}: {number(v, unit)}" for k, v in imported.opening.items()]
    for name in ("non_fiscal_balance_used", "surplus_distributed"):
        value = getattr(imported, name)
        if value:
            out.append(f"{name}: {number(value, unit)}")
    return "\n".join(out) + "\n"


def _in(value: Decimal, source_unit: str, target_unit: str) -> Decimal:
    if source_unit == target_unit:
        return value
    return value / WAN if target_unit == "万元" else value * WAN


def final_notes_yaml(old: str | None, imported: ImportedFinal, target: Path) -> str:
    """final-notes.yaml with the 三公 决算数 (万元, as the notes hold every amount)."""
    three = imported.three_public or {}
    values = {k: number(_in(three[k], imported.amount_unit, "万元"), "万元") for k in THREE_PUBLIC}
    if old is None:
        hint = schema_hint("final-notes", target, "final/final-notes.yaml")
        old = f"# yaml-language-server: $schema={hint}\n"
    return set_values(old, ("three_public", "outturn"), values, str(target))


def initial_budget_yaml(old: str | None, imported: ImportedFinal, target: Path) -> str:
    """initial-budget.yaml with the 三公 预算数, in the file's own unit (an existing file
    passed existing_problems first)."""
    unit = imported.amount_unit
    if old is None:
        hint = schema_hint("initial-budget", target, "final/initial-budget.yaml")
        old = f"# yaml-language-server: $schema={hint}\namount_unit: {unit}\n"
    else:
        doc, _problems = load_text(str(target), old)
        if doc is not None and isinstance(doc.data, dict):
            unit = doc.data.get("amount_unit", unit)
    budget = imported.three_public_budget or {}
    values = {
        k: number(_in(budget[k].value, imported.amount_unit, unit), unit) for k in THREE_PUBLIC
    }
    return set_values(old, ("three_public",), values, str(target))


def _edited(imported: ImportedFinal, folder: Path, has_budget: bool) -> list[Path]:
    """The files the import sets figures in, beside the outturn.yaml it writes whole:
    final-notes.yaml when the workbook has a 三公 table; initial-budget.yaml when it has
    预算数 and the repository no budget of the year (beside a budget they were checked
    against it, not kept)."""
    edited = []
    if imported.three_public is not None:
        edited.append(folder / "final-notes.yaml")
    if imported.three_public_budget is not None and not has_budget:
        edited.append(folder / "initial-budget.yaml")
    return edited


def _old(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None


def existing_problems(
    imported: ImportedFinal, data_dir: Path, year: int, has_budget: bool
) -> list[Diagnostic]:
    """The errors, at their lines, of the existing files the import would set figures in:
    one the loader refuses (a YAML slip, a key written twice, an alias) cannot be edited as
    the clerk wrote it, and an initial-budget.yaml whose amount_unit is not 元 or 万元 gives
    no unit to convert the 预算数 to (a typo such as 万 wrote 0.95 万元 as 9500.00)."""
    problems: list[Diagnostic] = []
    for path in _edited(imported, data_dir / str(year) / "final", has_budget):
        text = _old(path)
        if text is None:
            continue
        doc, found = load_text(str(path), text)
        errors = [d for d in found if d.is_error]
        problems += errors
        if doc is None or errors or doc.data is None:
            continue
        if not isinstance(doc.data, dict):
            problems.append(
                Diagnostic(
                    doc.locate(()),
                    _(
                        "this file holds no fields (name: value) for the imported figures to "
                        "be set among; correct it, then import again"
                    ),
                )
            )
            continue
        unit = doc.data.get("amount_unit") if path.name == "initial-budget.yaml" else None
        if unit not in (None, "元", "万元"):
            problems.append(
                Diagnostic(
                    doc.locate(("amount_unit",)),
                    _(
                        "amount_unit is {unit}, neither 元 nor 万元: the 三公 预算数 cannot be "
                        "written in it; correct it, then import again"
                    ).format(unit=unit),
                )
            )
    return problems


def final_files(imported: ImportedFinal, data_dir: Path, year: int, has_budget: bool):
    """Each file the import writes → its new text: outturn.yaml whole, and the figures set
    in the files `_edited` names."""
    folder = data_dir / str(year) / "final"
    target = folder / "outturn.yaml"
    files = {target: outturn_yaml(imported, schema_hint("outturn", target, "final/outturn.yaml"))}
    for target in _edited(imported, folder, has_budget):
        if target.name == "final-notes.yaml":
            files[target] = final_notes_yaml(_old(target), imported, target)
        else:
            files[target] = initial_budget_yaml(_old(target), imported, target)
    return files
