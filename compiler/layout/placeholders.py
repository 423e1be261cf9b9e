"""The placeholders of a layout's texts: {year}, {previous_year}, {unit}, {unit_ref},
{self_name} — and nothing else. {unit_ref} is how the layout's fixed sentences name the unit
(本单位, 本部门, or the unit's short name: layout/wording.py), so a statement written in a
layout.yaml follows the layout's wording options as the templates' sentences do;
{self_name} is the word alone (单位 or 部门: a table title 2022年部门收支总表 in a
department layout that takes its tables from the unit layout).

A layout's headings, statements, table titles and file title are filled in with these
values. Python's str.format would also follow `{unit.__class__}` or `{year[0]}` into the
value's attributes and items, and pad `{year:>999999999}` until memory runs out; a layout
can come from a unit's own repository (a pull request can change it), so these texts are
filled in here instead: a placeholder is a bare name from a fixed list, and it is replaced
by the value's plain text.
"""

from __future__ import annotations

import string

from ..errors import DataError
from ..i18n import _

# headings, statements, table titles and headers
TEXT = ("year", "previous_year", "unit", "unit_ref", "self_name")
YEAR_ONLY = ("year",)  # document_title, options.file_title

_PARSER = string.Formatter()


class PlaceholderError(DataError, ValueError):
    """A text with a placeholder that is not one of the allowed names (the message says
    which, and which are allowed)."""


def names(text: str, allowed: tuple[str, ...] = TEXT) -> list[str]:
    """The placeholders of `text`, checked: each must be one of `allowed`, written `{name}`."""
    try:
        parsed = list(_PARSER.parse(text))
    except ValueError as e:
        raise PlaceholderError(
            _(
                "a brace that opens or closes no placeholder ({error}); write a brace as "
                "{{{{ or }}}}, and a placeholder as {example}"
            ).format(error=e, example=_shown(allowed))
        ) from e
    found = []
    for _literal, field, spec, conversion in parsed:
        if field is None:
            continue
        written = (
            "{"
            + field
            + ("!" + conversion if conversion else "")
            + (":" + spec if spec else "")
            + "}"
        )
        if field not in allowed or spec or conversion:
            raise PlaceholderError(
                _("{written} is not a placeholder here: the placeholders are {allowed}").format(
                    written=written, allowed=_shown(allowed)
                )
            )
        found.append(field)
    return found


def fill_in(text: str, allowed: tuple[str, ...] = TEXT, **values: object) -> str:
    """`text` with each placeholder replaced by the plain text of its value (what
    str.format gives for a bare `{name}`); raises PlaceholderError for any other."""
    names(text, allowed)
    out = []
    for literal, field, _spec, _conversion in _PARSER.parse(text):
        out.append(literal)
        if field is not None:
            out.append(str(values[field]))
    return "".join(out)


def _shown(allowed: tuple[str, ...]) -> str:
    return _(", ").join("{" + name + "}" for name in allowed)
