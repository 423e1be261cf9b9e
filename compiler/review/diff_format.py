"""Write a ModelDiff for people (text, Markdown) and for tools (JSON).

text: one line per difference, grouped by section, aligned for CJK (two columns a character),
coloured with click.style when asked to; without colour, deleted and inserted text is
marked [-like this-]{+like this+} as `git diff --word-diff` does.
md: for a pull-request comment or a CI job summary: a heading per section, a table of
changed figures, a list of added, removed and edited entries (<del>/<ins> in edited text).
json: stable (sorted keys), amounts as strings so no tool reads them as floats.

Every value, label and summary comes from the data, and the output goes to a reviewer's
terminal or a pull request: characters the loader refuses (escape sequences, carriage
returns, bidirectional controls) are shown as escapes (\\u001b, \\u000d, \\u202e) in
every format; JSON writes them as JSON escapes, so it still reads back as the same values.
"""

from __future__ import annotations

import html
import json
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import click

from ..characters import visible, visible_json
from ..i18n import _, ngettext
from ..model.disclosure import to_tree
from ..numbers import money, percent, plain_number
from .diff import Entry, ModelDiff

FORMATS = ("text", "md", "json")

# --- values ---------------------------------------------------------------------------------


def figure(value: Decimal | None, kind: str) -> str:
    """A figure as it is published: amounts with two decimals, percentages with one."""
    if value is None:
        return "—"
    if kind == "money":
        return money(value)
    if kind == "percent":
        return percent(value).removeprefix("+")  # a level, not a change: no plus sign
    return plain_number(Decimal(value).normalize())  # 21 and 3.4, whether typed 21.00 or 3.40


def signed(value: Decimal | None, kind: str) -> str:
    if value is None:
        return "—"
    text = figure(value, kind).removesuffix("%")
    text = text if text.startswith("-") else "+" + text
    if kind == "percent":  # a change of a percentage is in points
        return _("{change} pp").format(change=text)
    return text


def change_percent(entry: Entry) -> str:
    return percent(entry.percent) if entry.percent is not None else "—"


def short_value(value: Any) -> str:
    if value is None:
        return _("(none)")
    if isinstance(value, bool):
        return _("true") if value else _("false")  # as YAML writes them
    return str(value)


def counts_line(diff: ModelDiff) -> str:
    """'3 figures changed (2 computed), 1 entry added, …' or 'no differences'."""
    c = diff.counts()
    parts = []
    if c["figures"] and c["computed"]:
        parts.append(
            ngettext(
                "{count} figure changed ({computed} computed)",
                "{count} figures changed ({computed} computed)",
                c["figures"],
            ).format(count=c["figures"], computed=c["computed"])
        )
    elif c["figures"]:
        parts.append(
            ngettext("{count} figure changed", "{count} figures changed", c["figures"]).format(
                count=c["figures"]
            )
        )
    if c["texts"]:
        parts.append(
            ngettext("{count} text changed", "{count} texts changed", c["texts"]).format(
                count=c["texts"]
            )
        )
    for kind, words in (
        (
            "appeared",
            lambda n: ngettext(
                "{count} part published for the first time",
                "{count} parts published for the first time",
                n,
            ),
        ),
        (
            "vanished",
            lambda n: ngettext(
                "{count} part no longer published", "{count} parts no longer published", n
            ),
        ),
        ("added", lambda n: ngettext("{count} entry added", "{count} entries added", n)),
        ("removed", lambda n: ngettext("{count} entry removed", "{count} entries removed", n)),
        ("moved", lambda n: ngettext("{count} entry moved", "{count} entries moved", n)),
    ):
        if c[kind]:
            parts.append(words(c[kind]).format(count=c[kind]))
    line = _(", ").join(parts) if parts else _("no differences")
    if c["hidden"]:
        hidden = ngettext(
            "{count} difference that only follows the year not shown (--all shows them)",
            "{count} differences that only follow the year not shown (--all shows them)",
            c["hidden"],
        ).format(count=c["hidden"])
        line = _("{changes}; {hidden}").format(changes=line, hidden=hidden)
    return line


def one_sided(e: Entry) -> str:
    """A part on one side only: how many computed figures it brings or takes away, and
    the tables they are printed in."""
    if e.kind == "appeared":
        words = ngettext(
            "first published here: {count} computed figure",
            "first published here: {count} computed figures",
            e.new,
        )
    else:
        words = ngettext(
            "no longer published: {count} computed figure",
            "no longer published: {count} computed figures",
            e.new,
        )
    text = words.format(count=e.new)
    if e.summary:
        text = _("{figures}, in the tables {tables}").format(figures=text, tables=e.summary)
    return text + _(" (--all lists them)")


def labelled(label: str, change: str) -> str:
    """`label: change`, with the colon of the reader's language."""
    return _("{label}: {change}").format(label=label, change=change)


def _by_section(diff: ModelDiff) -> dict[str, list[Entry]]:
    sections: dict[str, list[Entry]] = {}
    for entry in diff.entries:
        sections.setdefault(entry.section, []).append(entry)
    return sections


def _visible(text: Any) -> str:
    """Text from the data on one line: line breaks shown as ↵, and every character the
    loader refuses as an escape, so nothing in a value can move a cursor or add a line."""
    return visible(str(text).replace("\r\n", "\n").replace("\n", "↵"), keep="")


# --- text -----------------------------------------------------------------------------------


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def as_text(diff: ModelDiff, color: bool = False) -> str:
    def style(text: str, **kw) -> str:
        return click.style(text, **kw) if color else text

    lines = [
        style(f"--- {_visible(diff.old_label)}", fg="red", bold=True),
        style(f"+++ {_visible(diff.new_label)}", fg="green", bold=True),
    ]
    for section, entries in _by_section(diff).items():
        lines += ["", style(_visible(section), bold=True)]
        figures = [e for e in entries if e.kind == "figure"]
        label_w = max((width(_figure_label(e)) for e in figures), default=0)
        old_w = max((len(figure(e.old, e.number)) for e in figures), default=0)
        new_w = max((len(figure(e.new, e.number)) for e in figures), default=0)
        change_w = max((len(signed(e.change, e.number)) for e in figures), default=0)
        for e in entries:
            if e.kind == "figure":
                computed = style(_(" (computed)"), dim=True) if e.derived else ""
                gap = " " * (label_w - width(_figure_label(e)))
                lines.append(
                    f"  {style('~', fg='yellow')} {_visible(e.label)}{computed}{gap}  "
                    f"{figure(e.old, e.number):>{old_w}} → {figure(e.new, e.number):>{new_w}}  "
                    f"{signed(e.change, e.number):>{change_w}}  {change_percent(e)}".rstrip()
                )
            elif e.kind in ("added", "removed"):
                mark, colour = ("+", "green") if e.kind == "added" else ("-", "red")
                lines.append(
                    style(f"  {mark} {_visible(e.label)}", fg=colour)
                    + (f"  {_visible(e.summary)}" if e.summary else "")
                )
            elif e.kind in ("appeared", "vanished"):
                mark, colour = ("+", "green") if e.kind == "appeared" else ("-", "red")
                lines.append(
                    style(f"  {mark} {_visible(e.label)}", fg=colour)
                    + f"  {_visible(one_sided(e))}"
                )
            elif e.kind == "moved":
                moved = _("moved from position {old} to {new}").format(old=e.old, new=e.new)
                lines.append(f"  {style('↕', fg='yellow')} {labelled(_visible(e.label), moved)}")
            elif e.kind == "value" or _is_short(e):
                old = style(_visible(short_value(e.old)), fg="red")
                new = style(_visible(short_value(e.new)), fg="green")
                change = labelled(_visible(e.label), f"{old} → {new}")
                lines.append(f"  {style('~', fg='yellow')} {change}")
            else:
                lines.append(f"  {style('~', fg='yellow')} {_visible(e.label)}")
                lines.append("      " + _text_ops(e, style, color))
    lines += ["", counts_line(diff)]
    return "\n".join(lines) + "\n"


def _figure_label(e: Entry) -> str:
    return _visible(e.label) + (_(" (computed)") if e.derived else "")


def _is_short(e: Entry) -> bool:
    """Short one-line values (names, codes, units) read better as old → new."""
    old, new = e.old or "", e.new or ""
    return "\n" not in old + new and width(old) <= 24 and width(new) <= 24


def _text_ops(e: Entry, style: Callable, color: bool) -> str:
    out = []
    for op, text in e.ops:
        text = _visible(text)
        if op == "=":
            out.append(text)
        elif color:
            out.append(
                style(text, fg="red", strikethrough=True)
                if op == "-"
                else style(text, fg="green", underline=True)
            )
        else:
            out.append(f"[-{text}-]" if op == "-" else f"{{+{text}+}}")
    return "".join(out)


# --- Markdown ---------------------------------------------------------------------------------

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]|#~"})


# Unlike render's md_escape: a PR comment renders HTML and GFM's ~, and keeps each entry on a line.
def comment_escape(text: str) -> str:
    """Text safe in a Markdown table cell or list item: no emphasis, links, HTML or pipes,
    and no mention: each @ in an element of its own keeps `@all` in a changed text from
    notifying a whole group when the diff is posted as a merge request's note (mentions are
    found within one run of text; an invisible character would be one the data refuses)."""
    escaped = _visible(html.escape(str(text), quote=False)).translate(_MD_SPECIAL)
    return escaped.replace("@", "<span>@</span>")


# A pull request's summary shows at most 1 MiB per step (GitHub) and a note 1,000,000
# characters (GitLab); several years go into one, so each diff keeps well below.
MAX_MARKDOWN = 300_000


def as_markdown(diff: ModelDiff, limit: int = MAX_MARKDOWN) -> str:
    lines = _markdown_lines(diff)
    size, kept = 0, []
    for line in lines:
        size += len(line) + 1
        if size > limit:
            left = sum(1 for rest in lines[len(kept) :] if rest.startswith(("|", "- ")))
            kept += [
                "",
                _(
                    "… {count} more lines of changes are not shown here (too long for a "
                    "summary); run {command} to see them all"
                ).format(
                    count=left, command=_code(f"disclosure diff {diff.old_label} {diff.new_label}")
                ),
            ]
            break
        kept.append(line)
    return "\n".join(kept) + "\n"


def _markdown_lines(diff: ModelDiff) -> list[str]:
    lines = [
        "### "
        + _("Disclosure diff: {old} → {new}").format(
            old=_code(diff.old_label), new=_code(diff.new_label)
        ),
        "",
        counts_line(diff).replace("--all", "`--all`"),
    ]
    for section, entries in _by_section(diff).items():
        lines += ["", f"#### {comment_escape(section)}", ""]
        figures = [e for e in entries if e.kind == "figure"]
        if figures:
            lines += [_("| Figure | Old | New | Change | % |"), "|---|--:|--:|--:|--:|"]
            for e in figures:
                # No *italics*: a `*` beside Chinese punctuation is shown as it is.
                name = comment_escape(e.label) + (_(" (computed)") if e.derived else "")
                lines.append(
                    f"| {name} | {figure(e.old, e.number)} | {figure(e.new, e.number)} | "
                    f"{signed(e.change, e.number)} | {change_percent(e)} |"
                )
            if len(figures) < len(entries):
                lines.append("")
        for e in entries:
            if e.kind == "figure":
                continue
            label = comment_escape(e.label)
            if e.kind in ("added", "removed"):
                summary = f" — {comment_escape(e.summary)}" if e.summary else ""
                word = _("Added") if e.kind == "added" else _("Removed")
                lines.append(f"- **{word}** {label}{summary}")
            elif e.kind in ("appeared", "vanished"):
                word = _("Published") if e.kind == "appeared" else _("No longer published")
                lines.append(f"- **{word}** {labelled(label, comment_escape(one_sided(e)))}")
            elif e.kind == "moved":
                moved = _("from position {old} to {new}").format(old=e.old, new=e.new)
                word = _("Moved")
                lines.append(f"- **{word}** {labelled(label, moved)}")
            elif e.kind == "value" or _is_short(e):
                word = _("Changed")
                change = (
                    f"<del>{comment_escape(short_value(e.old))}</del> → "
                    f"<ins>{comment_escape(short_value(e.new))}</ins>"
                )
                lines.append(f"- **{word}** {labelled(label, change)}")
            else:
                word = _("Changed")
                lines.append(f"- **{word}** {labelled(label, _md_ops(e))}")
    return lines


def _code(label: str) -> str:
    """A label (2022@main) as inline code; a backtick in it would end the code early."""
    return f"`{_visible(label).replace('`', chr(39))}`"


def _md_ops(e: Entry) -> str:
    out = []
    for op, text in e.ops:
        text = comment_escape(text)
        out.append(
            text if op == "=" else f"<del>{text}</del>" if op == "-" else f"<ins>{text}</ins>"
        )
    return "".join(out)


# --- JSON -------------------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    tree = to_tree(value)
    if isinstance(tree, dict):
        return {k: _jsonable(v) for k, v in tree.items()}
    if isinstance(tree, list):
        return [_jsonable(v) for v in tree]
    if isinstance(tree, Decimal):
        return str(tree)
    return tree


def entry_json(e: Entry) -> dict:
    out: dict[str, Any] = {"kind": e.kind, "section": e.section, "path": e.path, "label": e.label}
    if e.kind == "figure":
        pct = e.percent
        out.update(
            old=_jsonable(e.old),
            new=_jsonable(e.new),
            change=_jsonable(e.change),
            percent=None if pct is None else money(pct),  # two decimals, as amounts
            derived=e.derived,
            number=e.number,
        )
    elif e.kind in ("added", "removed"):
        out.update(entry=_jsonable(e.new if e.kind == "added" else e.old), summary=e.summary)
    elif e.kind == "moved":
        out.update(old_position=e.old, new_position=e.new)
    elif e.kind in ("appeared", "vanished"):
        out.update(computed=e.new, tables=e.summary.split("、") if e.summary else [])
    else:
        out.update(old=_jsonable(e.old), new=_jsonable(e.new))
        if e.kind == "text":
            out["ops"] = [list(op) for op in e.ops]
    return out


def as_json(diff: ModelDiff) -> str:
    document = {
        "old": {"label": diff.old_label, "year": diff.old_year},
        "new": {"label": diff.new_label, "year": diff.new_year},
        "same": diff.same,
        "counts": diff.counts(),
        "changes": [entry_json(e) for e in diff.entries],
    }
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    return visible_json(text)


def render(diff: ModelDiff, fmt: str, color: bool = False) -> str:
    if fmt == "md":
        return as_markdown(diff)
    if fmt == "json":
        return as_json(diff)
    return as_text(diff, color)
