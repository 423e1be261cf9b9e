"""Write an Outturn (a year's budget against its final accounts) as text, Markdown or JSON,
the three forms of `diff`: text for the terminal, md for a pull request or CI summary, json
for tools (sorted keys, amounts as strings). Values from the data are shown, never obeyed
(escapes as in `diff_format`)."""

from __future__ import annotations

import json
from decimal import Decimal

import click

from ..characters import visible_json
from ..i18n import _, ngettext
from ..numbers import money
from .diff_format import _code, _visible, comment_escape, width
from .outturn import Outturn, OutturnLine


def _amount(value: Decimal | None) -> str:
    return "—" if value is None else money(value)


def _rate(line: OutturnLine) -> str:
    return "—" if line.rate is None else f"{line.rate}%"


def _difference(line: OutturnLine) -> str:
    d = line.difference
    if d is None:
        return "—"
    text = money(d)
    return text if text.startswith("-") else "+" + text


def _name(line: OutturnLine) -> str:
    if line.code == "":
        return _("Total")
    if line.code.isdigit():
        return f"{line.code} {line.name}"
    return line.name


def counts_line(o: Outturn) -> str:
    c = o.counts()
    items = ngettext("{count} item", "{count} items", c["items"]).format(count=c["items"])
    if not c["different"]:
        return _("{items}, each spent as budgeted").format(items=items)
    return _("{items}, {different} not as budgeted ({over} over, {under} under)").format(
        items=items, different=c["different"], over=c["over"], under=c["under"]
    )


def _source_note(o: Outturn) -> str | None:
    if o.budget_from == "typed":
        return _(
            "the repository has no budget for {year}: the 年初预算 is the one typed in "
            "final/initial-budget.yaml"
        ).format(year=o.year)
    if o.budget_from == "none":
        return _(
            "the repository has no budget for {year} and final/initial-budget.yaml is not "
            "there: every 年初预算 is 0"
        ).format(year=o.year)
    return None


def _sections(o: Outturn) -> list[tuple[str, list[OutturnLine]]]:
    out = [
        (
            _("General public budget appropriations spending by item (10,000 yuan)"),
            [*o.items, o.total],
        )
    ]
    if o.three_public:
        out.append((_("Three public expenditure (10,000 yuan)"), list(o.three_public)))
    return out


# --- text -----------------------------------------------------------------------------------


def as_text(o: Outturn, color: bool = False) -> str:
    def style(text: str, **kw) -> str:
        return click.style(text, **kw) if color else text

    lines = [
        style(
            "--- " + _("{label} (budget)").format(label=_visible(o.budget_label)),
            fg="red",
            bold=True,
        ),
        style(
            "+++ " + _("{label} (final accounts)").format(label=_visible(o.final_label)),
            fg="green",
            bold=True,
        ),
    ]
    note = _source_note(o)
    if note:
        lines.append(note)
    headers = (_("Budget"), _("Outturn"), _("Difference"), _("Completion"))
    for title, rows in _sections(o):
        names = [_visible(_name(r)) for r in rows]
        name_w = max(width(n) for n in [*names, _("Item")])
        cols = [
            [_amount(r.budget) for r in rows],
            [_amount(r.outturn) for r in rows],
            [_difference(r) for r in rows],
            [_rate(r) for r in rows],
        ]
        col_w = [
            max(width(h), *(len(v) for v in col)) for h, col in zip(headers, cols, strict=True)
        ]
        head = "    " + _("Item") + " " * (name_w - width(_("Item")))
        head += "".join(
            "  " + " " * (w - width(h)) + h for h, w in zip(headers, col_w, strict=True)
        )
        lines += ["", style(_visible(title), bold=True), style(head, dim=True)]
        for i, r in enumerate(rows):
            mark = "  " if r.same else style("~", fg="yellow") + " "
            row = f"  {mark}{names[i]}" + " " * (name_w - width(names[i]))
            row += "".join(f"  {col[i]:>{w}}" for col, w in zip(cols, col_w, strict=True))
            lines.append(row)
            if r.reason:
                lines.append("      " + _("reason: {reason}").format(reason=_visible(r.reason)))
    lines += ["", counts_line(o)]
    return "\n".join(lines) + "\n"


# --- Markdown ---------------------------------------------------------------------------------


def as_markdown(o: Outturn) -> str:
    lines = [
        "### "
        + _("Budget against final accounts: {budget} → {final}").format(
            budget=_code(o.budget_label), final=_code(o.final_label)
        ),
        "",
        counts_line(o),
    ]
    note = _source_note(o)
    if note:
        lines += ["", comment_escape(note)]
    for title, rows in _sections(o):
        lines += [
            "",
            f"#### {comment_escape(title)}",
            "",
            _("| Item | Budget | Outturn | Difference | Completion | Reason |"),
            "|---|--:|--:|--:|--:|---|",
        ]
        for r in rows:
            name = comment_escape(_name(r))
            if not r.same:
                name = f"**{name}**"
            reason = comment_escape(r.reason) if r.reason else ""
            lines.append(
                f"| {name} | {_amount(r.budget)} | {_amount(r.outturn)} | {_difference(r)} | "
                f"{_rate(r)} | {reason} |"
            )
    return "\n".join(lines) + "\n"


# --- JSON -------------------------------------------------------------------------------------


def _line_json(r: OutturnLine) -> dict:
    return {
        "code": r.code,
        "name": r.name,
        "path": list(r.path),
        # amounts as printed (万元, two decimals), strings so that no tool reads floats
        "budget": None if r.budget is None else money(r.budget),
        "outturn": money(r.outturn),
        "difference": None if r.difference is None else money(r.difference),
        "rate": None if r.rate is None else str(r.rate),  # 完成率, percent, two decimals
        "same": r.same,
        "reason": r.reason,
        "use": r.use,
    }


def as_json(o: Outturn) -> str:
    document = {
        "kind": "outturn",
        "year": o.year,
        "budget": {"label": o.budget_label, "from": o.budget_from},
        "final": {"label": o.final_label},
        "amount_unit": "万元",
        "same": o.same,
        "counts": o.counts(),
        "items": [_line_json(r) for r in o.items],
        "total": _line_json(o.total),
        "three_public": [_line_json(r) for r in o.three_public],
    }
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    return visible_json(text)


def render(o: Outturn, fmt: str, color: bool = False) -> str:
    if fmt == "md":
        return as_markdown(o)
    if fmt == "json":
        return as_json(o)
    return as_text(o, color)
