"""Round-trip YAML for the formatter (ruamel.yaml): comments, quoting, block scalars and
flow collections survive a load and a dump; only the layout becomes canonical.

Every plain scalar is kept as the text it was written as (an empty one as null): ruamel's
own typing would turn `0.70` into a float, `010` into a number and `2022-01-01` into a
date, and write them back in its own way. What a value means is the strict loader's
business (input/loader.py); the formatter changes a value's text only where it means to.
"""

from __future__ import annotations

import io

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
