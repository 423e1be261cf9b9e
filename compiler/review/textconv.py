"""A data file one fact a line, for `git diff` (the `disclosure textconv` filter).

Each value on its own line under its field path, list entries named by their name rather
than their position, long text one sentence a line, and the schema's title of each field.
git gives the filter one file and no folder, so it works from the file name alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from ..characters import visible
from ..input.loader import load_bytes
from ..input.schema import resolve_ref, schema_of
from ..paths import PROJECTS_DIR, kind_of

_SENTENCE_END = re.compile(r"(?<=[。；！？])|\n")
_IDENTITY = ("name", "term", "title")


def one_fact_a_line(name: str, raw: bytes) -> str:
    """What git diff shows for the file `name` holding `raw`: one fact a line, or the file
    unchanged if it is not readable YAML (a half-edited file; git diff must always work).
    Either way a character the loader refuses is shown as an escape (\\u202e): a reviewer
    must see it, and the terminal must not obey it."""
    try:
        lines = list(fact_lines(name, raw))
    except Exception:  # noqa: BLE001 - a half-edited file is shown as it is
        return visible(raw.decode("utf-8", "replace"))
    return visible("\n".join(lines) + "\n")


def fact_lines(name: str, raw: bytes) -> Iterator[str]:
    """The facts of a readable data file; ValueError if it is not readable YAML."""
    doc, problems = load_bytes(name, raw)
    if doc is None or problems:
        raise ValueError("unreadable")
    kind = _kind(name)
    yield from _fact_lines(doc.data, "", schema_of(kind) if kind else {}, kind)


def _kind(name: str) -> str | None:
    """The schema kind from a file name; git names its temporary copies XXXXXX_budget.yaml,
    and no data file name has a "_" of its own."""
    base = name.rpartition("_")[2]
    return kind_of(base) or kind_of(f"{PROJECTS_DIR}/{base}")


def _fact_lines(node, path: str, schema: dict, doc_kind) -> Iterator[str]:
    schema, doc_kind = _resolve(schema, doc_kind)
    if isinstance(node, dict):
        for key, value in node.items():
            sub = schema.get("properties", {}).get(key, {})
            yield from _fact_lines(value, f"{path}.{key}" if path else key, sub, doc_kind)
    elif isinstance(node, list):
        for value in node:
            ident = next(
                (value[k] for k in _IDENTITY if isinstance(value, dict) and k in value), ""
            )
            yield from _fact_lines(value, f"{path}[{ident}]", schema.get("items", {}), doc_kind)
    else:
        title = schema.get("title", "") if isinstance(schema, dict) else ""
        comment = f"  # {title}" if title else ""
        text = _scalar(node)
        if len(text) > 40 or "\n" in text:
            yield f"{path} ={comment}"
            yield from (f"    {s}" for s in _SENTENCE_END.split(text) if s.strip())
        else:
            yield f"{path} = {text}{comment}"


def _resolve(schema: dict, doc_kind):
    """Follow $ref (and allOf/oneOf) to the schema that holds properties or items, keeping
    the referring schema's own title — it names the field better than the shared one.

    Not schema.field_title: that walks a validation error's schema path, which names the
    oneOf branch; here the data is walked, so a target's two branches are merged, and a
    field without a title of its own shows the shared definition's (legal_bases[] → 文字).
    """
    title = schema.get("title")
    for _ in range(10):
        if "$ref" in schema and not {"properties", "items"} & schema.keys():
            # (a list's own "items" beside a shared limit, e.g. common.schema.json#/$defs/list,
            # is what describes its entries)
            file, schema = resolve_ref(schema["$ref"], f"{doc_kind}.schema.json")
            doc_kind = file.removesuffix(".schema.json")
        elif "allOf" in schema and "properties" not in schema:
            schema = schema["allOf"][0]
        elif "oneOf" in schema and "properties" not in schema:  # a target: numeric or words
            merged: dict = {}
            for branch in schema["oneOf"]:
                merged.update(branch.get("properties", {}))
            schema = {"properties": merged}
        else:
            break
    if title:
        schema = {**schema, "title": title}
    return schema, doc_kind


def _scalar(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)
