"""JSON Schema checks that report each problem at its YAML line, in words an editor can act on."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import cache
from typing import Any

import jsonschema
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from .diagnostics import Diagnostic
from .loader import Document, dotted
from .paths import SCHEMAS_DIR

MONEY_DECIMALS = 2


def _is_number(checker, value) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def _is_integer(checker, value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, Decimal):
        return value == value.to_integral_value() and value.as_tuple().exponent >= 0
    return isinstance(value, int)


_type_checker = Draft202012Validator.TYPE_CHECKER.redefine_many(
    {"number": _is_number, "integer": _is_integer}
)


def _exclusive(validator, pairs, instance, schema):
    """Our keyword `exclusive: [[a, b], …]`: a mapping may hold a or b, not both (e.g. a
    category's parts, whose sum is computed, and a typed quantity)."""
    if not isinstance(instance, dict):
        return
    for pair in pairs:
        present = [key for key in pair if key in instance]
        if len(present) > 1:
            yield ValidationError(
                f"{' and '.join(present)} exclude each other", validator_value=pair
            )


def _one_required(validator, keys, instance, schema):
    """Our keyword `one_required: [a, b]`: at least one of them must be present."""
    if isinstance(instance, dict) and not any(key in instance for key in keys):
        yield ValidationError(f"one of {', '.join(keys)} is required", validator_value=keys)


@cache
def ecma_pattern(pattern: str) -> re.Pattern:
    """A schema's pattern with JSON Schema's meaning of `$` (ECMA-262: the end of the text).
    Python's `$` also matches before a final line feed, so "151001\\n" would pass ^[0-9]{6}$
    and put a line break into a published file name."""
    out, in_class, escaped = [], False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "$" and not in_class:
            char = r"\Z"
        out.append(char)
    return re.compile("".join(out))


def _pattern(validator, pattern: str, instance, schema):
    if validator.is_type(instance, "string") and not ecma_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_Validator = jsonschema.validators.extend(
    Draft202012Validator,
    validators={"pattern": _pattern, "exclusive": _exclusive, "one_required": _one_required},
    type_checker=_type_checker,
)

_formats = FormatChecker(formats=())


@_formats.checks("money", raises=())
def _is_money(value: Any) -> bool:
    # jsonschema's multipleOf on floats is unreliable; decimals make this exact.
    if not isinstance(value, Decimal):
        return True  # the type check reports non-numbers
    return value.as_tuple().exponent >= -MONEY_DECIMALS


@cache
def _registry() -> Registry:
    resources = []
    for path in sorted(SCHEMAS_DIR.glob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        # Without "$schema", jsonschema keeps our Decimal-aware validator class when it
        # follows a $ref (with it, `evolve` would switch back to the stock class).
        contents.pop("$schema", None)
        resources.append((path.name, Resource(contents, specification=DRAFT202012)))
    return Registry().with_resources(resources)


@cache
def validator_for(kind: str) -> _Validator:
    name = f"{kind}.schema.json"
    return _Validator({"$ref": name}, registry=_registry(), format_checker=_formats)


def schema_of(kind: str) -> dict:
    return _registry().contents(f"{kind}.schema.json")


def validate_document(doc: Document, kind: str) -> list[Diagnostic]:
    validator = validator_for(kind)
    problems = []
    for error in validator.iter_errors(doc.data):
        problems.extend(_describe(error, doc, kind))
    return problems


def resolve_ref(ref: str, current: str) -> tuple[str, Any]:
    """A $ref inside our schemas: 'file.schema.json#/pointer' or '#/pointer'."""
    file, _, pointer = ref.partition("#")
    file = file or current
    node: Any = _registry().contents(file)
    for part in pointer.strip("/").split("/") if pointer.strip("/") else ():
        node = node[part]
    return file, node


def field_title(kind: str, schema_path) -> str | None:
    """The title of the field an error is about: the property's own title (一般公共预算收入),
    not the shared definition's (金额（万元）), found by walking the schema path."""
    file = f"{kind}.schema.json"
    node: Any = _registry().contents(file)
    title = None
    parts = list(schema_path)
    if parts and parts[0] == "$ref":  # the validator's root is {"$ref": "<kind>.schema.json"}
        parts = parts[1:]
    for part in parts[:-1]:  # the last part is the failing keyword itself
        if isinstance(node, dict) and "$ref" in node and part not in node:
            file, node = resolve_ref(node["$ref"], file)
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and "title" in node:
            title = node["title"]
    return title


def _found(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:29] + "…"
        return f"the text '{shown.replace(chr(10), '↵')}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


_TYPE_WORDS = {
    "number": "a number",
    "integer": "a whole number",
    "string": "text",
    "boolean": "true or false",
    "object": "a mapping of fields",
    "array": "a list",
    "null": "nothing",
}


def _describe(error: ValidationError, doc: Document, kind: str) -> list[Diagnostic]:
    def _title(error: ValidationError) -> str:
        title = field_title(kind, error.absolute_schema_path)
        if title is None and isinstance(error.schema, dict):
            title = error.schema.get("title")
        return f" ({title})" if title else ""

    path = tuple(error.absolute_path)
    field = dotted(path)
    keyword = error.validator
    value = error.instance

    if keyword == "oneOf" and error.context:
        return _describe_one_of(error, doc, kind)
    if keyword == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        out = []
        for key in value:
            if key not in allowed:
                out.append(
                    Diagnostic(
                        doc.locate_key(path + (key,)),
                        f"unknown field '{key}'; expected one of: {', '.join(allowed)}",
                        field=dotted(path + (key,)),
                    )
                )
        return out
    if keyword == "required":
        # jsonschema raises one such error per missing field, each naming them all here: the
        # pipeline's sorted_diagnostics drops the repeats.
        out = []
        for missing in (key for key in error.validator_value if key not in value):
            sub = error.schema.get("properties", {}).get(missing, {})
            title = f" ({sub['title']})" if isinstance(sub, dict) and "title" in sub else ""
            out.append(
                Diagnostic(
                    doc.locate_key(path) if path else doc.locate(path),
                    f"missing required field '{missing}'{title}",
                    field=dotted(path + (missing,)) if path else missing,
                )
            )
        return out
    if keyword == "type":
        expected = error.validator_value
        words = (
            " or ".join(_TYPE_WORDS.get(t, t) for t in expected)
            if isinstance(expected, list)
            else _TYPE_WORDS.get(expected, expected)
        )
        hint = ""
        if expected in ("number", "integer") and isinstance(value, str):
            hint = " (write digits only, e.g. 12.50, without quotes or units)"
        if expected == "boolean" and isinstance(value, str):
            hint = " (write true or false)"
        if expected == "string" and isinstance(value, Decimal):
            hint = ' (put codes in quotes, e.g. "151001")'
        message = f"expected {words}{_title(error)}, found {_found(value)}{hint}"
    elif keyword == "format" and error.validator_value == "money":
        message = (
            f"expected an amount in 万元 with at most {MONEY_DECIMALS} decimals{_title(error)}, "
            f"found {value}"
        )
    elif keyword == "enum":
        options = "、".join(str(o) for o in error.validator_value)
        message = f"expected one of {options}{_title(error)}, found {_found(value)}"
    elif keyword == "pattern" and error.validator_value.startswith("^[^\\n]"):
        message = f"expected one line of text{_title(error)}, found {_found(value)}"
    elif keyword == "pattern":
        message = (
            f"{_title(error).strip(' ()') or 'value'} has the wrong form: found {_found(value)}"
        )
        if error.schema.get("description"):
            message += f"; {error.schema['description']}"
    elif keyword == "maximum":
        message = f"expected at most {error.validator_value}{_title(error)}, found {value}"
    elif keyword == "minimum":
        message = f"expected at least {error.validator_value}{_title(error)}, found {value}"
    elif keyword == "minItems":
        message = (
            f"expected at least {error.validator_value} entries{_title(error)}, found {len(value)}"
        )
    elif keyword == "minLength":
        message = f"expected text{_title(error)}, found empty text"
    elif keyword == "exclusive":
        first, second = [key for key in error.validator_value if key in value][:2]
        return [
            Diagnostic(
                doc.locate_key(path + (second,)),
                f"write either '{first}' or '{second}', not both: "
                + _EXCLUSIVE_HINTS.get((first, second), "one of them is computed from the other"),
                field=dotted(path + (second,)),
            )
        ]
    elif keyword == "one_required":
        options = " or ".join(f"'{key}'" for key in error.validator_value)
        message = f"missing {options}: write one of them"
    elif keyword == "maxLength":
        message = (
            f"expected at most {error.validator_value} characters{_title(error)}, found "
            f"{len(value)}; shorten it"
        )
    elif keyword == "maxItems":
        message = (
            f"expected at most {error.validator_value} entries{_title(error)}, found {len(value)}"
        )
    else:
        message = error.message
    return [Diagnostic(doc.locate(path), message, field=field)]


_EXCLUSIVE_HINTS = {
    ("parts", "quantity"): "a category with parts gets its quantity as their sum",
    ("parts", "value"): "a category with parts gets its value as their sum",
    ("parts", "of_which"): "list the category's items either as parts (which add up to it) "
    "or as of_which (some of it)",
    ("basic", "personnel"): "basic is personnel + public; write the two parts, or basic alone",
    ("basic", "public"): "basic is personnel + public; write the two parts, or basic alone",
    ("projects", "summary"): "list the items (projects) or give the totals by category (summary)",
}


def _describe_one_of(error: ValidationError, doc: Document, kind: str) -> list[Diagnostic]:
    """A target is numeric or textual: explain against the branch the editor meant,
    the one sharing the most keys with what was written (so a typo'd key is named)."""
    value = error.instance
    branches = error.validator_value
    if isinstance(value, dict) and value:
        keys = set(value)
        overlap = [len(keys & set(b.get("properties", {}))) for b in branches]
        best = max(range(len(branches)), key=lambda i: overlap[i])
        if overlap[best]:
            sub = [e for e in error.context if e.schema_path and e.schema_path[0] == best]
            out = []
            for e in sub:
                out.extend(_describe(e, doc, kind))
            if out:
                return out
    path = tuple(error.absolute_path)
    return [
        Diagnostic(
            doc.locate(path),
            f'expected a target like {{sign: "≥", value: 95, unit: "%"}} or {{text: 提升}}, '
            f"found {_found(value)}",
            field=dotted(path),
        )
    ]


def title_of(kind: str, name: str) -> str | None:
    """The title of the first field called `name` in a kind's schema (breadth first),
    following $refs: enough to name a field in a message (self_reference → 自称)."""
    try:
        root = schema_of(kind)
    except Exception:  # an unknown kind: no title, the field's name is shown alone
        return None
    queue: list[tuple[str, object]] = [(f"{kind}.schema.json", root)]
    seen = 0
    while queue and seen < 500:
        file, node = queue.pop(0)
        seen += 1
        if not isinstance(node, dict):
            continue
        if "$ref" in node and not node["$ref"].startswith("common.schema.json#/$defs/"):
            file, target = resolve_ref(node["$ref"], file)
            queue.append((file, target))
        properties = node.get("properties", {})
        if name in properties and isinstance(properties[name], dict):
            return properties[name].get("title")
        queue += [(file, value) for value in properties.values()]
        for key in ("items", "allOf", "$defs"):
            value = node.get(key)
            if isinstance(value, dict):
                queue += [(file, v) for v in (value.values() if key == "$defs" else [value])]
            elif isinstance(value, list):
                queue += [(file, v) for v in value]
    return None
