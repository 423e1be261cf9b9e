"""Figure citations in prose: `{{ budget.income.total | money }}`, and nothing else.

A citation is a path into the computed model through what the model publishes (the same
parts `to_tree` exports: dataclass fields other than where a value was written, and
`derived` figures), then dict keys and list positions, and at most one filter. It is read
by this small parser, not by Jinja, so prose has no globals, methods, calls, loops or object
representations to reach: the allow-list is the model's own definition, so a part added to
the model is citable without touching this file.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from ..errors import DataError
from ..i18n import N_, _
from ..numbers import money, percent, plain_number
from .disclosure import derived_names

FILTERS: dict[str, Callable[[Any], str]] = {
    "money": money,
    "percent": percent,
    "number": plain_number,
}
EXAMPLE = "{{ budget.income.total | money }}"
MARKERS = ("{{", "{%", "{#")

# Inside the braces: a path, then optionally "| filter". Linear: no nested repetition.
_INSIDE = re.compile(r"[ ]*(?P<path>[^\s|{}]+)[ ]*(?:\|[ ]*(?P<filter>\w+)[ ]*)?")
_STEP = re.compile(
    r"\.(?P<name>\w+)|\[(?P<index>[0-9]+)\]|\[(?P<quote>[\"'])(?P<key>[^\"'\]]*)(?P=quote)\]"
)
_FIRST = re.compile(r"\w+")
_ESCAPED = re.compile(r"([!-/:-@\[-`{-~])")  # ASCII punctuation, as CommonMark escapes it

# Template markup other than a citation: (what starts it, how it is shown, the message).
_REFUSED_MARKUP = (
    (
        "{%",
        "{% … %}",
        N_("statements ({marker}) are not allowed; prose may only cite a figure, like {example}"),
    ),
    (
        "{#",
        "{# … #}",
        N_("comments ({marker}) are not allowed; prose may only cite a figure, like {example}"),
    ),
)


class CitationError(DataError, ValueError):
    """A citation that is not a figure of the model; `line` is 1-based within the text."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def expand(text: str, model: Any) -> str:
    """`text` with every citation replaced by its figure, as Markdown source: cited text is
    escaped, so a name with a `*` or a `[` stays what it is."""
    out: list[str] = []
    position = 0
    for start, end, inside in _citations(text):
        line = text.count("\n", 0, start) + 1
        out.append(text[position:start])
        out.append(_ESCAPED.sub(r"\\\1", cite(inside, model, line)))
        position = end
    out.append(text[position:])
    return "".join(out)


def _citations(text: str):
    """(start, end, inside) of each {{ … }}; CitationError for any other use of braces."""
    for start, marker, message in _REFUSED_MARKUP:
        index = text.find(start)
        if index >= 0:
            raise CitationError(
                text.count("\n", 0, index) + 1,
                _(message).format(marker=marker, example=EXAMPLE),
            )
    position = 0
    while (start := text.find("{{", position)) >= 0:
        end = text.find("}}", start + 2)
        line = text.count("\n", 0, start) + 1
        if end < 0:
            raise CitationError(
                line, _("'{open}' is not closed by '{close}'").format(open="{{", close="}}")
            )
        inside = text[start + 2 : end]
        if "\n" in inside:
            raise CitationError(line, _("a citation is written on one line"))
        yield start, end + 2, inside
        position = end + 2


def cite(inside: str, model: Any, line: int = 1) -> str:
    """The figure a citation names, formatted by its filter."""
    match = _INSIDE.fullmatch(inside)
    if not match:
        raise CitationError(
            line,
            _(
                "'{citation}' is not a figure citation; write one like {example} "
                "(filters: {filters})"
            ).format(citation="{{" + inside + "}}", example=EXAMPLE, filters=", ".join(FILTERS)),
        )
    path, filter_name = match.group("path"), match.group("filter")
    value = resolve(model, path, line)
    if filter_name is not None:
        if filter_name not in FILTERS:
            raise CitationError(
                line,
                _("unknown filter '{filter}'; use one of {filters}").format(
                    filter=filter_name, filters=", ".join(FILTERS)
                ),
            )
        if not (_is_figure(value) or (value is None and filter_name == "percent")):
            raise CitationError(
                line,
                _("'{filter}' formats a figure, but {path} is {kind}").format(
                    filter=filter_name, path=path, kind=_kind(value)
                ),
            )
        return FILTERS[filter_name](value)
    if isinstance(value, str):
        return str(value)
    if _is_figure(value):
        return plain_number(value)
    if isinstance(value, date):  # 上年末: 2021年12月31日, as the tables print it
        return f"{value.year}年{value.month}月{value.day}日"
    raise CitationError(
        line,
        _("{path} is {kind}; cite one of its figures, like {example}").format(
            path=path, kind=_kind(value), example=EXAMPLE
        ),
    )


def resolve(model: Any, path: str, line: int = 1) -> Any:
    """The value at a dotted path of the model, through its public parts only."""
    first = _FIRST.match(path)
    if not first:
        raise CitationError(
            line,
            _("'{path}' is not a path into the model, like {example}").format(
                path=path, example=EXAMPLE
            ),
        )
    value, walked, position = model, "", 0
    steps = [("name", first.group())]
    position = first.end()
    while position < len(path):
        step = _STEP.match(path, position)
        if not step:
            raise CitationError(
                line,
                _("cannot read '{rest}' in '{path}'").format(rest=path[position:], path=path),
            )
        if step.group("index") is not None:
            steps.append(("index", int(step.group("index"))))
        else:
            steps.append(("name", step.group("name") or step.group("key")))
        position = step.end()
    for kind, step in steps:
        value = _step(value, kind, step, walked, line)
        walked = f"{walked}[{step}]" if kind == "index" else f"{walked}.{step}".lstrip(".")
    return value


def public_names(obj: Any) -> list[str]:
    """What a model object publishes: its fields (not where it was written) and derived
    figures — the parts `to_tree` exports."""
    fields = [f.name for f in dataclasses.fields(obj) if not f.metadata.get("origin")]
    return fields + [name for name in derived_names(type(obj)) if name not in fields]


def _step(value: Any, kind: str, step: Any, walked: str, line: int) -> Any:
    """The part `step` of `value`, reached by the path `walked` ('' at the model itself)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = public_names(value)
        if kind == "name" and step in names:
            return getattr(value, step)
        if not walked:
            message = _("the model has no figure '{step}' (it has: {names})")
        else:
            message = _("{path} has no figure '{step}' (it has: {names})")
        raise CitationError(line, message.format(path=walked, step=step, names=", ".join(names)))
    if isinstance(value, dict):
        if kind == "name" and step in value:
            return value[step]
        keys = ", ".join(str(k) for k in value)
        raise CitationError(
            line,
            _("{path} has no entry '{step}' (it has: {keys})").format(
                path=walked, step=step, keys=keys
            ),
        )
    if isinstance(value, (list, tuple)):
        if kind == "index" and step < len(value):
            return value[step]
        # The citation's own syntax counts from 0; the Chinese says so in the clerk's words.
        raise CitationError(
            line,
            _(
                "{path} is a list of {count}; cite an entry by its position from 0, like {path}[0]"
            ).format(path=walked, count=len(value)),
        )
    raise CitationError(
        line,
        _("{path} is {kind}; it has no part '{step}'").format(
            path=walked, kind=_kind(value), step=step
        ),
    )


def _is_figure(value: Any) -> bool:
    return isinstance(value, (Decimal, int)) and not isinstance(value, bool)


def _kind(value: Any) -> str:
    """What a value is, as the messages above name it (a noun phrase: "{path} is {kind}")."""
    if value is None:
        kind = N_("empty")
    elif isinstance(value, bool):
        kind = N_("true or false")
    elif isinstance(value, str):
        kind = N_("text")
    elif _is_figure(value):
        kind = N_("a figure")
    elif isinstance(value, (list, tuple)):
        kind = N_("a list")
    else:
        kind = N_("a part of the model, not one figure")
    return _(kind)
