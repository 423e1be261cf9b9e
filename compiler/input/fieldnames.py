"""A field of a data file named as a clerk knows it: by the titles the schemas give the
fields (单价（万元）), entries of a list by their own name or counted from one — 政府采购项目
“机关工作经费” › 第3个采购物品“木制床类” › 单价（万元） rather than
projects[0].items[2].unit_price.

Reads the schema files directly (no validator), so naming a field costs nothing.
"""

from __future__ import annotations

import dataclasses
import json
import re
from functools import cache
from typing import TYPE_CHECKING, Any

from ..paths import SCHEMAS_DIR

if TYPE_CHECKING:
    from ..diagnostics import Diagnostic
    from .loader import Document

NAME_KEYS = ("name", "term", "title", "code")  # what names an entry of a list


@cache
def _schema(file: str) -> dict:
    return json.loads((SCHEMAS_DIR / file).read_text(encoding="utf-8"))


def _resolve(node: Any, file: str) -> tuple[Any, str]:
    """Follow $ref (and an allOf of one $ref) to the schema node it names. The keys written
    beside a $ref (a title, the items of a list whose limits the $ref adds) stay: in JSON
    Schema 2020-12 both apply."""
    for _ in range(10):
        if not isinstance(node, dict):
            return node, file
        ref = node.get("$ref")
        own = {k: _anchored(v, file) for k, v in node.items() if k != "$ref"}
        if ref is None and isinstance(node.get("allOf"), list) and node["allOf"]:
            ref = node["allOf"][0].get("$ref")
            own.pop("allOf")
        if ref is None:
            return node, file
        target_file, _, pointer = ref.partition("#")
        file = target_file or file
        target: Any = _schema(file)
        for part in pointer.strip("/").split("/") if pointer.strip("/") else ():
            target = target[part]
        node = {**target, **own} if isinstance(target, dict) else target
    return node, file


def _anchored(node: Any, file: str) -> Any:
    """`node` with its local references ("#/$defs/category") naming `file`, so that they
    still point into the file they were written in once merged into another file's node."""
    if isinstance(node, dict):
        return {
            k: f"{file}{v}"
            if k == "$ref" and isinstance(v, str) and v.startswith("#")
            else _anchored(v, file)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_anchored(v, file) for v in node]
    return node


def _title(node: Any) -> str | None:
    return node.get("title") if isinstance(node, dict) else None


def describe(kind: str, path: tuple, data: Any) -> str:
    """The field at `path` of a `kind` file holding `data`, in the clerk's words."""
    node, file = _resolve(_schema(f"{kind}.schema.json"), f"{kind}.schema.json")
    words: list[str] = []
    value = data
    for part in path:
        if isinstance(part, int):
            items, file = _resolve(node.get("items", {}) if isinstance(node, dict) else {}, file)
            entry = value[part] if isinstance(value, list) and part < len(value) else None
            listed = words.pop() if words else (_title(items) or "")
            name = _entry_name(entry)
            words.append(f"{listed}“{name}”" if name else f"第{part + 1}个{listed}")
            node, value = items, entry
        else:
            properties, file = _properties(node, part, file)
            child = properties.get(part)
            if child is None and isinstance(node, dict):
                child = (
                    node.get("additionalProperties")
                    if isinstance(node.get("additionalProperties"), dict)
                    else None
                )
            child, file = _resolve(child, file) if child is not None else ({}, file)
            words.append(_title(child) or str(part))
            node = child
            value = value.get(part) if isinstance(value, dict) else None
    return " › ".join(w for w in words if w)


def _properties(node: Any, part: str, file: str) -> tuple[dict, str]:
    """The properties of an object schema, or of the oneOf/anyOf branch that has `part`
    (a branch may be a $ref: three-public.yaml previous is its items or 未公开), with the
    file they are in."""
    if not isinstance(node, dict):
        return {}, file
    if part in node.get("properties", {}):
        return node["properties"], file
    for written in node.get("oneOf", []) + node.get("anyOf", []):
        branch, branch_file = _resolve(written, file)
        if isinstance(branch, dict) and part in branch.get("properties", {}):
            return branch["properties"], branch_file
    return node.get("properties", {}), file


def _entry_name(entry: Any) -> str | None:
    if isinstance(entry, dict):
        for key in NAME_KEYS:
            if isinstance(entry.get(key), str) and entry[key].strip():
                text = entry[key].strip()
                return text if len(text) <= 20 else text[:19] + "…"
    return None


_PART = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


def parse_dotted(field: str) -> tuple:
    """'projects[0].items[2].unit_price' → ('projects', 0, 'items', 2, 'unit_price')."""
    return tuple(int(index) if index else key for index, key in _PART.findall(field))


def name_fields(
    diagnostics: list[Diagnostic], documents: dict[str, Document], kinds: dict[str, str]
) -> list[Diagnostic]:
    """Each diagnostic with the words of its field, from the document its location is in
    (`kinds`: the schema kind of each document, by the document's shown file name)."""
    by_file = {doc.file: doc for doc in documents.values()}
    named = []
    for d in diagnostics:
        doc = by_file.get(d.location.file)
        kind = kinds.get(d.location.file)
        if d.field and doc is not None and kind is not None and not d.field_words:
            try:
                words = describe(kind, parse_dotted(d.field), doc.data)
            except (KeyError, TypeError, ValueError, OSError):  # a field no schema names
                words = ""
            if words:
                d = dataclasses.replace(d, field_words=words)
        named.append(d)
    return named
