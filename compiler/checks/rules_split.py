"""A table that prints 人员经费 and 公用经费 needs lines that give them.

The Shanghai unit layout's 收支总表 (表1) shows them by 类, the Hebei 一般公共预算支出表 by
类, 款 and 项. Where lines.yaml writes basic expenditure unsplit (`basic`) and nothing
(neither personnel/public on the lines nor class_split) tells the split, those cells
would be printed blank: validate says so, naming the 类 and how to give it.
"""

from __future__ import annotations

from ..diagnostics import Diagnostic
from ..i18n import _
from ..model.disclosure import Disclosure

_SPLIT = {
    "function": ("personnel", "public"),
    "overview": ("spending_personnel", "spending_public"),
}


def split_where_printed(m: Disclosure) -> list[Diagnostic]:
    lines = m.lines
    if lines is None or lines.src is None or m.layout is None:
        return []
    problems = []
    for spec in m.layout.tables.values():
        wanted = _SPLIT.get(spec.rows)
        if wanted is None or not {c.field for c in spec.columns} & set(wanted):
            continue
        rows = lines.function_rows(spec.source or "all")
        if spec.rows == "overview":
            rows = [r for r in rows if r.level == "类"]
        blank = sorted({r.code[:3] for r in rows if r.amounts.personnel is None})
        if blank:
            first = next(
                (ln for ln in lines.function if ln.code[:3] in blank and not ln.is_split), None
            )
            where = first.src.at("basic") if first is not None and first.src else lines.src.at()
            problems.append(
                Diagnostic(
                    where,
                    _(
                        "{table} prints 人员经费 and 公用经费, but the lines of 类 {codes} give "
                        "basic expenditure unsplit (basic), so those cells would be blank: "
                        "write personnel and public on those lines, or (for a table by 类) "
                        "add class_split"
                    ).format(table=spec.statutory_name or spec.id, codes="、".join(blank)),
                    field="function",
                    severity="warning",
                )
            )
    return problems


RULES = (split_where_printed,)
