"""A first year from nothing: every file a layout reads, every field of its schema
(`disclosure new-year YEAR --layout NAME`).

Each field is written in its schema's order under a Chinese comment taken from the schema
(its title, the unit of its amounts, what goes in it). What the clerk must write is left
empty (YAML null): `validate` lists each such value as still to fill, at its line, and
assembles nothing until none is left, so an empty year gives no other error. A field the
clerk may leave out — one of two alternatives, a statement about a published edition — is
written as a comment, so the file still shows it. No figure is written: the only values are
the layout's name and the unit the layout's tables use.

The layout comes from the caller (this room reads layouts only through what it is given):
its name, kind, amount unit and sections (the data kinds each reads). The year is written
to a temporary folder and renamed into place: never half a year, never over an existing one.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..i18n import _
from ..input.schema import resolve_ref, schema_of
from ..input.sources import WorkingTreeYear
from ..paths import REVIEW_KINDS, SECTION_FILES, schema_hint
from .newyear import NewYearError, place_year, refuse_existing

# The kinds a budget's layout may read that are not files of the year itself (one file per
# project in projects/: as many as the unit has, none to begin with).
NOT_A_FILE = {"project"}
# The kinds of a year's final accounts (决算), a document of its own with its own start.
FINAL_KINDS = {"outturn", "initial-budget", "final-notes", "previous-final"}
# Fields written as comments although the schema has them: the clerk adds them only when
# they apply; unless the layout prints them (its `requires`). (Alternatives the schema
# declares `exclusive` are found in the schema.)
OPTIONAL = {
    "unit": {
        ("not_published",),  # says what a published edition left out: not for a new year
        ("unit", "scope"),
        ("organisation", "headquarters"),
        ("organisation", "counts"),
    },
    # a line's source of funds is 一般公共预算 unless it says otherwise; the split of basic
    # spending by 类 goes with a basic written alone, which the skeleton does not
    "lines": {("function", "source"), ("economic", "source"), ("class_split",)},
    # the amounts a year with budget lines (lines.yaml, in every skeleton of a layout that
    # reads it) has computed: typed as well, they would be an error
    "budget": {
        ("income",),
        ("expenditure", "personnel"),
        ("expenditure", "public_operating"),
        ("expenditure", "project"),
    },
    # a category's "of which" rows, the date of the figures (by default the last year's
    # end) and what the year buys: only where the unit has them
    "assets": {("categories", "of_which"), ("as_of",), ("planned",)},
}
# Former names the schema still reads, so that old files validate: never written anew.
FORMER = {"line-notes": {("items", "previous")}}
# A unit layout's unit.yaml also names the unit's code when the layout prints it
# (layout.requires: unit.code); elsewhere the code is optional.
CODE = ("unit", "code")
TYPE = ("unit", "type")
# An explained item's fields that are facts a form may print or not (layout `prints`).
ITEM_FIELDS = ("use", "previous_outturn", "reason")
AMOUNT = ("amount",)
RECURSIVE = "(recursive)"


@dataclass
class Skeleton:
    year: int
    layout: str
    target: str  # the year's folder as the user would type it
    files: list[str]  # paths inside the year, in writing order


def skeleton_files(layout) -> list[str]:
    """The files of a year the layout reads, unit.yaml first, in the order of its sections."""
    kinds: list[str] = ["unit"]
    for section in layout.all_sections():
        for kind in section.files:
            if kind not in kinds and kind not in NOT_A_FILE and kind not in REVIEW_KINDS:
                kinds.append(kind)
    by_kind = {kind: name for name, kind in SECTION_FILES.items()}
    return [by_kind[kind] for kind in kinds]


def start_from_layout(data_dir: Path, year: int, layout) -> Skeleton:
    """Write data_dir/<year> as the layout's skeleton; NewYearError (nothing written) when
    the year exists or cannot be written."""
    target = WorkingTreeYear(data_dir, year)
    refuse_existing(target)
    names = skeleton_files(layout)
    data_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{year}-", dir=data_dir))
    try:
        for name in names:
            text = skeleton_text(name, layout, target.root / name)
            (staging / name).write_text(text, encoding="utf-8")
        place_year(staging, target.root)
    except OSError as e:
        raise NewYearError(
            _("cannot write {folder}: {error}").format(folder=target.display_path(""), error=e)
        ) from e
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Skeleton(year, layout.name, target.display_path(""), names)


def skeleton_text(name: str, layout, path: Path) -> str:
    """One file of the skeleton: its modeline, what it holds, then its fields."""
    kind = SECTION_FILES[name]
    schema = _resolved(schema_of(kind), f"{kind}.schema.json")
    out = [f"# yaml-language-server: $schema={schema_hint(kind, path, name)}"]
    out += _comment(schema.get("title", name), schema.get("description", ""), "")
    out += _only_for(kind, layout)
    required = _layout_requires(layout)  # what the layout prints is never left out
    optional = {path for path in OPTIONAL.get(kind, ()) if path not in required}
    if kind == "unit" and CODE not in required:
        optional.add(CODE)
    if kind == "line-notes":  # an item's facts the form does not print are not asked for
        printed = layout.item_facts(kind) or ()
        optional |= {("items", fact) for fact in ITEM_FIELDS if fact not in printed}
    if kind == "unit" and layout.kind == "department":
        optional.add(TYPE)  # a department has no unit type
    if kind == "operating-costs" and layout.kind == "unit":
        optional.add(AMOUNT)  # a unit's is computed from its lines (a department's is not)
    left_out = set(FORMER.get(kind, set()))
    reasons = layout.reasons_printed(kind)
    if reasons is not None:  # a reason the form does not print is not asked for (an error)
        written = schema.get("properties", {}).get("reasons", {}).get("properties", {})
        left_out |= {("reasons", key) for key in written if key not in reasons}
    preset = {("layout",): layout.name, ("amount_unit",): layout.amount_unit}
    out += _fields(schema, (), "", _Plan(optional, preset, left_out))
    return "\n".join(out) + "\n"


def _only_for(kind: str, layout) -> list[str]:
    """A file the layout can do without, or publishes only for some unit types, says so
    and what to do. (Without lines.yaml, budget.yaml's amounts are typed instead: its
    comments say so.)"""
    sections = [s for s in layout.all_sections() if kind in s.files]
    if kind != "lines" and sections and not any(s.required for s in sections):
        return [
            "# 版式不要求本文件：本单位没有这部分内容时，删去本文件（公开文本印出版式规定的说明）。"
        ]
    if layout.kind != "unit":
        return []
    every = {t: None for s in layout.all_sections() for t in s.applies_to}  # in order
    types = {t for s in layout.all_sections() if kind in s.files for t in s.applies_to}
    if not types or types >= set(every):
        return []
    return [
        "# 本文件只用于单位类型为"
        + "、".join(t for t in every if t in types)
        + "的单位；unit.yaml 中的单位类型为其他时，删去本文件。"
    ]


def _layout_requires(layout) -> set[tuple[str, ...]]:
    paths = {tuple(r.split(".")) for r in layout.requires}
    for section in layout.all_sections():
        paths.update(tuple(r.split(".")) for r in section.requires)
    return paths


@dataclass(frozen=True)
class _Plan:
    """What a file's fields get, by field path: a comment in place of a value (optional),
    a value (preset: the layout's name, its unit), or nothing at all (absent: former
    names, reasons the form does not print)."""

    optional: set[tuple]
    preset: dict[tuple, str]
    absent: set[tuple]


def _fields(schema: dict, path: tuple, indent: str, plan: _Plan) -> list[str]:
    """An object's fields, in the schema's order; `indent` before each key."""
    out: list[str] = []
    left_out = _alternatives(schema)
    for key, sub in schema.get("properties", {}).items():
        here = path + (key,)
        if here in plan.absent:
            continue
        words = _comment(sub.get("title", key), _what(sub), indent)
        if key in left_out or here in plan.optional or _recursive(sub):
            out += words
            out.append(f"{indent}# （不适用时不写；需要时去掉下面各行行首的“# ”再填写）")
            body = [f"{indent}{key}:"] if _recursive(sub) else _value(key, sub, here, indent, plan)
            n = len(indent)
            out += [
                line if line.lstrip().startswith("#") else f"{line[:n]}# {line[n:]}"
                for line in body
            ]
            continue
        out += words
        if here in plan.preset:
            out.append(f"{indent}{key}: {plan.preset[here]}")
        else:
            out += _value(key, sub, here, indent, plan)
    return out


def _value(key: str, schema: dict, path: tuple, indent: str, plan: _Plan) -> list[str]:
    """`key:` and what goes under it: nothing (to fill), its fields, or one list entry."""
    inner = indent + "  "
    schema = _mapping_form(schema)
    if schema.get("type") == "object" and "properties" in schema:
        return [f"{indent}{key}:", *_fields(schema, path, inner, plan)]
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        item = schema["items"]
        entries = max(1, schema.get("minItems", 1))  # four quarters: four entries
        if item.get("type") == "object" and "properties" in item:
            fields = _fields(item, path, inner + "  ", plan)
            first = next(i for i, line in enumerate(fields) if not line.lstrip().startswith("#"))
            fields[first] = f"{inner}- {fields[first].lstrip()}"
            return [f"{indent}{key}:", *fields * entries]
        return [f"{indent}{key}:", *[f"{inner}-"] * entries]
    return [f"{indent}{key}:"]


def _mapping_form(schema: dict) -> dict:
    """Of a field that is a mapping or one word (三公's previous: its items, or 未公开 for
    all), the mapping, whose fields the clerk fills; the comment names the word."""
    branches = schema.get("oneOf", []) + schema.get("anyOf", [])
    objects = [b for b in branches if b.get("type") == "object" and "properties" in b]
    return objects[0] if len(objects) == 1 else schema


def _recursive(schema: dict) -> bool:
    return bool(schema.get(RECURSIVE) or schema.get("items", {}).get(RECURSIVE))


def _alternatives(schema: dict) -> set[str]:
    """Of two fields the schema allows only one of, the one left as a comment: the one in
    more pairs (basic, against personnel and public), else the second."""
    pairs = schema.get("exclusive", [])
    count: dict[str, int] = {}
    for pair in pairs:
        for key in pair:
            count[key] = count.get(key, 0) + 1
    out = set()
    for first, second in pairs:
        if first in out or second in out:
            continue
        out.add(first if count[first] > count[second] else second)
    return out


def _what(schema: dict) -> str:
    """What goes in a field, in the schema's words: its description, the choices."""
    parts = [schema.get("description", "")]
    choices = schema.get("enum") or [
        b["const"] for b in schema.get("oneOf", []) + schema.get("anyOf", []) if "const" in b
    ]
    if choices:
        parts.append("可填：" + "、".join(str(c) for c in choices) + "。")
    return "".join(p for p in parts if p)


def _comment(title: str, text: str, indent: str) -> list[str]:
    """One comment line (Chinese has no spaces to wrap at; an editor wraps it)."""
    return [f"{indent}# {title}：{text}" if text else f"{indent}# {title}"]


def _resolved(node: Any, file: str, seen: tuple[str, ...] = ()) -> Any:
    """The schema with every $ref replaced by what it names (its own keys, such as a
    field's title, winning over the definition's). A definition met again inside itself
    (an asset category's parts are categories) becomes RECURSIVE: written as a comment."""
    if isinstance(node, list):
        return [_resolved(n, file, seen) for n in node]
    if not isinstance(node, dict):
        return node
    own = {k: _resolved(v, file, seen) for k, v in node.items() if k != "$ref"}
    if "$ref" not in node:
        return own
    target_file, target = resolve_ref(node["$ref"], file)
    name = f"{target_file}{node['$ref'].partition('#')[2]}"
    if name in seen:
        return {**own, RECURSIVE: True}
    merged = _resolved(target, target_file, seen + (name,))
    if "description" not in own and "title" in own and "description" in merged:
        own["description"] = merged["description"]  # the definition says the unit
    return {**merged, **own}
