"""What the schema says about each place in a data file, for the formatter: whether a
value is a number or a code, in which order a mapping's keys go, which field names exist.

Our schemas use only properties, additionalProperties, items, $ref and oneOf (a target is
numeric or textual), so a place is described by the list of subschemas that may apply.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ..input.halfwidth import is_code_schema
from ..input.schema import resolve_ref, schema_of

_BRANCHES = ("oneOf", "anyOf", "allOf")


def _expand(file: str, node) -> list[tuple[str, dict]]:
    """The node with its $ref followed (its own keywords kept beside the target's) and
    its branches listed: every subschema that describes the same value."""
    if not isinstance(node, dict):
        return []
    found = [(file, node)]
    if "$ref" in node:
        target_file, target = resolve_ref(node["$ref"], file)
        found += _expand(target_file, target)
    for keyword in _BRANCHES:
        for branch in node.get(keyword, []):
            found += _expand(file, branch)
    return found


@dataclass(frozen=True)
class Place:
    """The subschemas that apply to one value of a file."""

    schemas: tuple[tuple[str, dict], ...]

    def _types(self) -> set[str]:
        types: set[str] = set()
        for _file, node in self.schemas:
            kind = node.get("type")
            types |= set(kind) if isinstance(kind, list) else {kind} if kind else set()
        return types

    @property
    def numeric(self) -> bool:
        """The value is a number (money, count, measure, a target's value)."""
        types = self._types()
        return bool(types) and types <= {"number", "integer", "null"} and types != {"null"}

    @property
    def code(self) -> bool:
        """The value is a digits-only code, which must be quoted text."""
        return any(is_code_schema(node) for _file, node in self.schemas)

    def child(self, key: str) -> Place:
        found: list[tuple[str, dict]] = []
        for file, node in self.schemas:
            properties = node.get("properties", {})
            if key in properties:
                found += _expand(file, properties[key])
            elif isinstance(node.get("additionalProperties"), dict):
                found += _expand(file, node["additionalProperties"])
        return Place(tuple(found))

    def item(self) -> Place:
        found: list[tuple[str, dict]] = []
        for file, node in self.schemas:
            if isinstance(node.get("items"), dict):
                found += _expand(file, node["items"])
        return Place(tuple(found))

    def known(self, keys: list[str]) -> list[str]:
        """Those of `keys` the schema knows, in the order of its properties. Of several
        subschemas (a oneOf), the one that names most of the keys decides."""
        present = set(keys)
        best: list[str] = []
        for _file, node in self.schemas:
            names = [name for name in node.get("properties", {}) if name in present]
            if len(names) > len(best):
                best = names
        return best

    def order(self, keys: list[str]) -> list[str]:
        """`keys` in the schema's order; the ones it does not know after them, as they were."""
        known = self.known(keys)
        named = set(known)
        return known + [key for key in keys if key not in named]


def root(kind: str) -> Place:
    file = f"{kind}.schema.json"
    return Place(tuple(_expand(file, schema_of(kind))))


@cache
def field_names(kind: str) -> frozenset[str]:
    """Every field name the kind's schema knows, at any depth (and the names a mapping
    such as unit.counts allows): where a colon after them is syntax."""
    names: set[str] = set()
    seen: set[int] = set()
    stack = list(root(kind).schemas)
    while stack:
        file, node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        properties = node.get("properties", {})
        names |= set(properties)
        allowed = node.get("propertyNames", {})
        names |= {name for name in allowed.get("enum", []) if isinstance(name, str)}
        children = [*properties.values(), node.get("items"), node.get("additionalProperties")]
        for child in children:
            stack += _expand(file, child)
    return frozenset(names)
