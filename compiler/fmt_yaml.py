"""Round-trip YAML for the formatter (ruamel.yaml): comments, quoting, block scalars and
flow collections survive a load and a dump; only the layout becomes canonical.

Every plain scalar is kept as the text it was written as (an empty one as null): ruamel's
own typing would turn `0.70` into a float, `010` into a number and `2022-01-01` into a
date, and write them back in its own way. What a value means is the strict loader's
business (loader.py); the formatter changes a value's text only where it means to.
"""

from __future__ import annotations

import io
import re

from ruamel.yaml import YAML
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.tag import Tag

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"


class _TextResolver(VersionedResolver):
    """Plain scalars are text, except the empty one (a key with no value)."""

    def resolve(self, kind, value, implicit):
        if kind is ScalarNode and implicit[0]:
            return Tag(suffix=_NULL if value == "" else _STR)
        return super().resolve(kind, value, implicit)


def _yaml() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.Resolver = _TextResolver
    yaml.preserve_quotes = True
    yaml.width = 1_000_000  # never wrap long text
    yaml.allow_unicode = True
    # mappings indented by 2; a sequence's dash 2 in from its key: `key:\n  - name: …`
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def load(text: str):
    """The round-trip tree of one document (ruamel's exceptions propagate)."""
    return _yaml().load(text)


def dump(data) -> str:
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


# `key:` and the spaces before a value on the same line
_KEY_GAP = re.compile(r"^(\s*(?:- )*[^\s#'\"{\[][^#]*?:)( +)(?=\S)")


def keep_alignment(before: str, after: str) -> str:
    """Spaces that align values after their keys (`current:   {…}` above
    `previous:  {…}`) are kept: ruamel writes one space, and the data's style is to
    align a few related lines by hand, like the comments beside them. A line is found
    again by its text, or (its value repaired) by its key if that key is on one line only."""
    gaps: dict[str, str] = {}
    keys: dict[str, list[str]] = {}
    for line in before.split("\n"):
        m = _KEY_GAP.match(line)
        if m:
            keys.setdefault(m.group(1).strip(), []).append(m.group(2))
            if len(m.group(2)) > 1:
                gaps.setdefault(_without_gap(line, m), m.group(2))
    if not gaps:
        return after
    out = []
    for line in after.split("\n"):
        m = _KEY_GAP.match(line)
        if m and m.group(2) == " ":
            gap = gaps.get(_without_gap(line, m))
            same_key = keys.get(m.group(1).strip(), [])
            if gap is None and len(same_key) == 1 and len(same_key[0]) > 1:
                gap = same_key[0]
            if gap:
                line = m.group(1) + gap + line[m.end() :]
        out.append(line)
    return "\n".join(out)


def _without_gap(line: str, m: re.Match) -> str:
    return m.group(1).strip() + " " + line[m.end() :]
