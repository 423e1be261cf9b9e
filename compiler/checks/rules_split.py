"""A table that prints 人员经费 and 公用经费 needs lines that give them.

The Shanghai unit layout's 收支总表 (表1) shows them by 类, the Hebei 一般公共预算支出表 by
类, 款 and 项. Where lines.yaml writes basic expenditure unsplit (`basic`) and nothing
(neither personnel/public on the lines nor class_split) tells the split, those cells
would be printed blank: an error (issue 24 part 4: never blank cells), naming the 类 and
what to add at the level the table prints — class_split for a table by 类, personnel and
public on the lines for a table by 项.
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
            if spec.rows == "overview":
                message = _(
                    "{table} prints 人员经费 and 公用经费 by 类, but the lines of 类 {codes} give "
                    "basic expenditure unsplit (basic) and no class_split gives them: add "
                    "class_split entries for 类 {codes} (personnel and public of the 类's basic "
                    "expenditure, from the document's table), or write personnel and public on "
                    "those lines"
                )
            else:
                message = _(
                    "{table} prints 人员经费 and 公用经费 for each 类, 款 and 项, but the lines of "
                    "类 {codes} give basic expenditure unsplit (basic): write personnel and "
                    "public instead of basic on those lines (class_split, by 类, does not give "
                    "the 项's split)"
                )
            problems.append(
                Diagnostic(
                    where,
                    message.format(table=spec.statutory_name or spec.id, codes="、".join(blank)),
                    field="function",
                )
            )
    return problems


RULES = (split_where_printed,)
