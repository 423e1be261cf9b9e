"""Consistency rules of the budget lines: codes in the catalogue, one entry per code and
source, the two views of basic expenditure agreeing, sources fitting the unit type, and the
explanation's notes matching the lines."""

from __future__ import annotations

from ..diagnostics import Diagnostic, Location
from ..i18n import _
from ..input.loader import dotted
from ..layout.specs import NEEDS_PREVIOUS
from ..model.disclosure import Disclosure
from ..numbers import NotPublished, is_published, money
from .plausibility import item_facts


def line_codes_in_catalogue(m: Disclosure) -> list[Diagnostic]:
    """Every code is a 项 (function) or 款 (economic) of the year's catalogue."""
    lines = m.lines
    if lines is None or lines.catalogue is None:
        return []
    catalogue = lines.catalogue
    problems = []
    for kind, rows, level in (
        ("function", lines.function, "项"),
        ("economic", lines.economic, "款"),
    ):
        for i, line in enumerate(rows):
            if line.src is None or catalogue.has(kind, line.code):
                continue
            # The suggestions are codes with their Chinese names: listed with 、 in both languages.
            near = "、".join(f"{c} {n}" for c, n in catalogue.suggest(kind, line.code))
            words = "支出功能分类" if kind == "function" else "部门预算支出经济分类"
            if near:
                message = _(
                    "{code} is not a {level} code of the {year} {classification} catalogue; "
                    "nearest valid codes: {near}"
                )
            else:
                message = _("{code} is not a {level} code of the {year} {classification} catalogue")
            problems.append(
                Diagnostic(
                    line.src.at("code"),
                    message.format(
                        code=line.code,
                        level=level,
                        year=catalogue.year,
                        classification=words,
                        near=near,
                    ),
                    field=f"{kind}[{i}].code",
                )
            )
    return problems


def lines_unique(m: Disclosure) -> list[Diagnostic]:
    """A code appears once per source of funds, so no amount is counted twice."""
    if m.lines is None:
        return []
    problems = []
    for kind, rows in (("function", m.lines.function), ("economic", m.lines.economic)):
        first: dict[tuple, int] = {}
        for i, line in enumerate(rows):
            if line.src is None:
                continue
            if line.key in first:
                problems.append(
                    Diagnostic(
                        line.src.at("code"),
                        _(
                            "{code} ({source}) is already on line {line}; add the amounts "
                            "into one entry"
                        ).format(
                            code=line.code,
                            source=line.source,
                            line=rows[first[line.key]].src.at("code").line,
                        ),
                        field=f"{kind}[{i}].code",
                    )
                )
            first.setdefault(line.key, i)
    return problems


def function_and_economic_agree(m: Disclosure) -> list[Diagnostic]:
    """The two views of basic expenditure give the same 人员经费 and 公用经费 (or the same
    basic total, where the function lines do not split it), source by source."""
    lines = m.lines
    if lines is None or not lines.economic or m.units:
        return []
    problems = []
    for source in dict.fromkeys(line.source for line in lines.economic):
        group = [line for line in lines.function if line.source == source]
        econ = [line for line in lines.economic if line.source == source]
        from ..model.lines import sum_economic, sum_function

        f, e = sum_function(group, lines.splits), sum_economic(econ)
        checks = (
            [("人员经费", f.personnel, e.personnel), ("公用经费", f.public, e.public)]
            if f.personnel is not None
            else [("基本支出", f.basic, e.basic)]
        )
        for name, by_function, by_economic in checks:
            if by_function != by_economic:
                where = econ[0].src.at("code") if econ[0].src else Location("lines.yaml")
                problems.append(
                    Diagnostic(
                        where,
                        _(
                            "{source} {name}: the function lines add up to {by_function} "
                            "{unit}, the economic lines to {by_economic} {unit} (difference "
                            "{difference}); the two views of basic expenditure must agree"
                        ).format(
                            source=source,
                            name=name,
                            by_function=by_function,
                            by_economic=by_economic,
                            unit=lines.amount_unit,
                            difference=by_function - by_economic,
                        ),
                        field="economic",
                    )
                )
    return problems


def class_split_fits(m: Disclosure) -> list[Diagnostic]:
    """class_split: a 类 of the catalogue, once, whose lines write `basic`; its 人员经费 and
    公用经费 add up to that basic expenditure (all sources)."""
    lines = m.lines
    if lines is None or not lines.class_split:
        return []
    unsplit: dict[str, object] = {}
    for line in lines.function:
        if not line.is_split:
            unsplit[line.code[:3]] = unsplit.get(line.code[:3], 0) + line.basic
    problems = []
    seen: dict[str, int] = {}
    for i, split in enumerate(lines.class_split):
        if split.src is None:
            continue
        field = f"class_split[{i}]"
        where = split.src.at("code")
        catalogue = lines.catalogue
        if catalogue is not None and not catalogue.has("function", split.code):
            message = _("{code} is not a 类 code of the {year} 支出功能分类 catalogue").format(
                code=split.code, year=catalogue.year
            )
        elif split.code in seen:
            message = _("{code} is already on line {line}; keep one entry").format(
                code=split.code, line=lines.class_split[seen[split.code]].src.at("code").line
            )
        elif split.code not in unsplit:
            message = _(
                "no function line of 类 {code} writes basic: its 人员经费 and 公用经费 are "
                "those of its lines; delete this entry"
            ).format(code=split.code)
        elif split.personnel + split.public != unsplit[split.code]:
            message = _(
                "personnel {personnel} + public {public} = {added} {unit}, but the basic "
                "expenditure the lines of 类 {code} write is {basic} {unit}"
            ).format(
                personnel=split.personnel,
                public=split.public,
                added=split.personnel + split.public,
                basic=unsplit[split.code],
                code=split.code,
                unit=lines.amount_unit,
            )
        else:
            seen.setdefault(split.code, i)
            continue
        seen.setdefault(split.code, i)
        problems.append(Diagnostic(where, message, field=f"{field}.code"))
    return problems


_BUSINESS_SOURCES = ("事业收入", "事业单位经营收入")


def sources_fit_the_unit_type(m: Disclosure) -> list[Diagnostic]:
    """事业收入 and 事业单位经营收入 are a 事业单位's income only."""
    if m.lines is None or m.unit.type != "行政单位":
        return []
    return [
        Diagnostic(
            line.src.at("source"),
            _(
                "{source} is income of a 事业单位; {unit} is a 行政单位 (unit.yaml unit.type)"
            ).format(source=line.source, unit=m.unit.name),
            field=f"function[{i}].source",
        )
        for i, line in enumerate(m.lines.function)
        if line.source in _BUSINESS_SOURCES and line.src is not None
    ]


def notes_match_lines(m: Disclosure) -> list[Diagnostic]:
    """line-notes.yaml: at most one entry per fiscal 项 of the lines, and exactly the facts
    the layout's form prints about each item (`prints: {item: …}`): last year's figure
    where it prints it, or a change or percentage computed from it; a reason wherever it
    prints reasons and the figure changed. One cause, one message: items that lack the same
    fact are named together, and an item without last year's figure is not also reported
    for its reason."""
    e = m.explanation
    if e is None or e.src is None:
        return []
    problems = []
    fiscal_codes = {item.code for item in e.items}
    seen: set[str] = set()
    for i, note in enumerate(e.notes):
        where = note.src.at("code")
        if note.code in seen:
            problems.append(
                Diagnostic(
                    where,
                    _("{code} is explained twice; keep one entry").format(code=note.code),
                    field=f"items[{i}].code",
                )
            )
        elif note.code not in fiscal_codes:
            problems.append(
                Diagnostic(
                    where,
                    _(
                        "{code} has no fiscal expenditure (财政拨款) in lines.yaml; delete "
                        "this entry or correct the code"
                    ).format(code=note.code),
                    field=f"items[{i}].code",
                )
            )
        seen.add(note.code)
    facts = item_facts(m)
    needs_previous = any(f in facts for f in NEEDS_PREVIOUS) and not m.units
    needs_reason = "reason" in facts
    catalogue = m.lines.catalogue if m.lines is not None else None
    items = [
        item for item in e.items if catalogue is None or catalogue.has("function", item.code)
    ]  # a code not in the catalogue is reported by line_codes_in_catalogue
    unexplained = [item for item in items if item.src is None]
    if unexplained and (needs_previous or needs_reason):
        wanted = (
            _("last year's outturn (previous_outturn) and, if it changed, the reason")
            if needs_previous and needs_reason
            else _("last year's outturn (previous_outturn)")
            if needs_previous
            else _("the reason (reason), if it changed")
        )
        problems.append(
            Diagnostic(
                e.src.key_at("items") if e.notes else e.src.at(),
                _(
                    "{count} fiscal items have no entry in items, and the layout {layout} "
                    "prints {wanted} for each: {items}"
                ).format(
                    count=len(unexplained),
                    layout=m.layout.name,
                    wanted=wanted,
                    items=_named(unexplained, amounts=True),
                )
                if len(unexplained) > 1
                else _(
                    "{code} {name} ({amount} 万元) has no entry in items: write {wanted}"
                ).format(
                    code=unexplained[0].code,
                    name=unexplained[0].names[2],
                    amount=money(unexplained[0].amount),
                    wanted=wanted,
                ),
                field="items",
            )
        )
    explained = [item for item in items if item.src is not None]
    if needs_previous:
        lacking = [item for item in explained if item.previous is None]
        if lacking:
            first = lacking[0]
            problems.append(
                Diagnostic(
                    first.src.key_at(),
                    _(
                        "missing required field 'previous_outturn' (上年执行数（万元）) for {code}"
                    ).format(code=first.code),
                    field=dotted(first.src.path),
                )
                if len(lacking) == 1
                else Diagnostic(
                    first.src.key_at(),
                    _(
                        "the layout {layout} prints each item's 上年执行数, and "
                        "{count} entries have none: write previous_outturn for {items}"
                    ).format(layout=m.layout.name, count=len(lacking), items=_named(lacking)),
                    field=dotted(first.src.path),
                )
            )
    else:
        given = [n for n in e.notes if is_published(n.previous) and n.code in fiscal_codes]
        if given and not m.units:
            problems.append(
                Diagnostic(
                    given[0].src.at(given[0].previous_key),
                    _(
                        "the layout {layout} prints no 上年执行数 for the items, "
                        "so {key} is not published ({count} entries give it): delete it, "
                        "or use a layout whose form prints it"
                    ).format(layout=m.layout.name, count=len(given), key=given[0].previous_key),
                    field=dotted((*given[0].src.path, given[0].previous_key)),
                    severity="warning",
                )
            )
    if needs_reason:
        unexplained_changes = [
            item
            for item in explained
            if item.change is not None and item.change.amount != 0 and item.reason in (None, "")
        ]
        for item in unexplained_changes[:1]:
            problems.append(
                Diagnostic(
                    item.src.key_at(),
                    _("{code} {name} changed ({direction}); write the reason (reason)").format(
                        code=item.code, name=item.names[2], direction=item.change.direction
                    )
                    if len(unexplained_changes) == 1
                    else _(
                        "{count} items changed and have no reason; the layout {layout} "
                        "prints one for each: write reason for {items}"
                    ).format(
                        count=len(unexplained_changes),
                        layout=m.layout.name,
                        items=_named(unexplained_changes, direction=True),
                    ),
                    field=dotted((*item.src.path, "reason")),  # the entry, named by its code
                )
            )
    else:
        given = [
            n for n in e.notes if is_published(n.reason) and n.reason and n.code in fiscal_codes
        ]
        if given:
            problems.append(
                Diagnostic(
                    given[0].src.at("reason"),
                    _(
                        "the layout {layout} prints no reason for the items, so reason is not "
                        "published ({count} entries give one): delete it, or use a layout "
                        "whose form prints it"
                    ).format(layout=m.layout.name, count=len(given)),
                    field=dotted((*given[0].src.path, "reason")),
                    severity="warning",
                )
            )
    return problems


def _named(items, *, amounts: bool = False, direction: bool = False) -> str:
    """Items as a message lists them: code and name (and amount or direction), with 、."""
    out = []
    for item in items:
        text = f"{item.code} {item.names[2]}"
        if amounts:
            text += f" ({money(item.amount)} 万元)"
        if direction and item.change is not None:
            text += f" ({item.change.direction})"
        out.append(text)
    if len(out) > _LISTED:
        more = _("and {count} more").format(count=len(out) - _LISTED)
        return "、".join(out[:_LISTED]) + " " + more
    return "、".join(out)


_LISTED = 10  # a message names at most this many items, then says how many more


def _written_key(note, attribute: str) -> str:
    """The key of the data that holds the model's `attribute` of a line note."""
    return note.previous_key if attribute == "previous" else attribute


def not_published_facts(m: Disclosure) -> list[Diagnostic]:
    """Information: the facts line-notes.yaml gives as not published (未公开), one line a
    kind of fact: printed as the form prints an absent figure, never counted as 0."""
    e = m.explanation
    if e is None or e.src is None:
        return []
    problems = []
    for key, words in (
        ("previous", _("last year's outturn (previous_outturn)")),
        ("reason", _("reason (reason)")),
    ):
        notes = [n for n in e.notes if isinstance(getattr(n, key), NotPublished)]
        if notes:
            problems.append(
                Diagnostic(
                    notes[0].src.at(written := _written_key(notes[0], key)),
                    _(
                        "{count} entries give their {what} as not published (未公开): it is "
                        "printed as the document prints a fact it does not give, and never "
                        "counted as 0: {codes}"
                    ).format(count=len(notes), what=words, codes="、".join(n.code for n in notes)),
                    field=dotted((*notes[0].src.path, written)),
                    severity="info",
                )
            )
    return problems


RULES = (
    line_codes_in_catalogue,
    lines_unique,
    function_and_economic_agree,
    class_split_fits,
    sources_fit_the_unit_type,
    notes_match_lines,
    not_published_facts,
)
