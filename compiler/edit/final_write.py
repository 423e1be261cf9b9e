"""The files an imported 决算 workbook writes under data/<year>/final/, as text.

outturn.yaml is written whole, one line an entry, as the examples are typed; the 三公 决算数
go into final-notes.yaml and, in a year without its budget in the repository, the 三公 预算数
into initial-budget.yaml, each figure set in place (yaml_values) so the unit's words and the
年初预算 per 项 stay as written.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ..paths import schema_hint
from .final_import import THREE_PUBLIC, ImportedFinal
from .yaml_values import set_values

CENT = Decimal("0.01")
WAN = Decimal(10000)
_ENTRY_KEYS = (
    "general",
    "fund",
    "capital",
    "superior",
    "business",
    "operating",
    "affiliated",
    "other",
    "basic",
    "project",
    "amount",
)


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
    """initial-budget.yaml with the 三公 预算数, in the file's own unit."""
    import yaml

    unit = imported.amount_unit
    if old is None:
        hint = schema_hint("initial-budget", target, "final/initial-budget.yaml")
        old = f"# yaml-language-server: $schema={hint}\namount_unit: {unit}\n"
    else:
        unit = (yaml.safe_load(old) or {}).get("amount_unit", unit)
    budget = imported.three_public_budget or {}
    values = {
        k: number(_in(budget[k].value, imported.amount_unit, unit), unit) for k in THREE_PUBLIC
    }
    return set_values(old, ("three_public",), values, str(target))


def final_files(imported: ImportedFinal, data_dir: Path, year: int, has_budget: bool):
    """Each file the import writes → its new text: outturn.yaml; final-notes.yaml when the
    workbook has a 三公 table; initial-budget.yaml when it has 预算数 and the repository
    no budget of the year (beside a budget they were checked against it, not kept)."""
    folder = data_dir / str(year) / "final"

    def old(path: Path) -> str | None:
        return path.read_text(encoding="utf-8") if path.exists() else None

    target = folder / "outturn.yaml"
    files = {target: outturn_yaml(imported, schema_hint("outturn", target, "final/outturn.yaml"))}
    if imported.three_public is not None:
        target = folder / "final-notes.yaml"
        files[target] = final_notes_yaml(old(target), imported, target)
    if imported.three_public_budget is not None and not has_budget:
        target = folder / "initial-budget.yaml"
        files[target] = initial_budget_yaml(old(target), imported, target)
    return files
