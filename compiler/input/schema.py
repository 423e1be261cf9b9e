"""JSON Schema checks that report each problem at its YAML line, in words an editor can act on."""

from __future__ import annotations

import dataclasses
import difflib
import json
import re
import unicodedata
from decimal import Decimal
from functools import cache
from typing import Any

import jsonschema
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from ..diagnostics import Diagnostic
from ..i18n import N_, _
from ..paths import SCHEMAS_DIR
from .halfwidth import code_text, is_code_schema
from .loader import Document, dotted

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


def _in_file_unit(error) -> bool:
    """An amount whose unit the file names (lines.yaml: 元 or 万元), not always 万元."""
    return "amount_unit" in str(error.schema.get("description", ""))


@cache
def _registry() -> Registry:
    resources = []
    for path in sorted(SCHEMAS_DIR.glob("*.schema.json")):
        # Limits as decimals: read as floats, 9999999999.99 would refuse itself
        contents = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
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
    file, _hash, pointer = ref.partition("#")
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
        return _("nothing")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return _("the number {number}").format(number=value)
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:29] + "…"
        return _("the text '{text}'").format(text=shown.replace(chr(10), "↵"))
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a mapping of fields")
    return repr(value)


_TYPE_WORDS = {
    "number": N_("a number"),
    "integer": N_("a whole number"),
    "string": N_("text"),
    "boolean": N_("true or false"),
    "object": N_("a mapping of fields"),
    "array": N_("a list"),
    "null": N_("nothing"),
}
_FULL_WIDTH_COLON_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*\s*：")
_UNITS = ("万元", "元", "%", "％")


def _type_words(expected: Any) -> str:
    if isinstance(expected, list):
        return _(" or ").join(_(_TYPE_WORDS.get(t, t)) for t in expected)
    return _(_TYPE_WORDS.get(expected, expected))


def _number_hint(value: str, quoted: bool) -> str:
    """What is wrong with text written where a number belongs, and how to write it."""
    plain = unicodedata.normalize("NFKC", value).strip()
    if plain != value.strip() and _NUMBER_TEXT.fullmatch(plain):
        return _(
            "the digits are full-width (全角): write {number} with half-width digits, or run "
            "`disclosure fmt` to change them all"
        ).format(number=plain)
    if quoted and _NUMBER_TEXT.fullmatch(plain):
        return _(
            "remove the quotes around {number}: an amount is written without quotes; "
            "`disclosure fmt` does this"
        ).format(number=plain)
    if "," in plain and _NUMBER_TEXT.fullmatch(plain.replace(",", "")):
        return _("write {number} without thousands separators (,)").format(
            number=plain.replace(",", "")
        )
    for unit in _UNITS:
        if plain.endswith(unit) and _NUMBER_TEXT.fullmatch(plain[: -len(unit)].strip()):
            return _("write the number alone, without the unit {unit}: {number}").format(
                unit=unit, number=plain[: -len(unit)].strip()
            )
    return _("write digits only, e.g. 12.50, without quotes or units")


_NUMBER_TEXT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def _written_in_quotes(doc: Document, path: tuple) -> bool:
    """Whether the value at `path` is written in quotes in the file."""
    where = doc.locate(path)
    try:
        line = doc.raw.decode("utf-8").split("\n")[where.line - 1]
    except (UnicodeDecodeError, IndexError):
        return False
    return line[where.column - 1 : where.column] in ("'", '"')


def _describe(error: ValidationError, doc: Document, kind: str) -> list[Diagnostic]:
    title = field_title(kind, error.absolute_schema_path)
    if title is None and isinstance(error.schema, dict):
        title = error.schema.get("title")
    # English names the field's title in the message; Chinese names it before the message.
    named = {"title": f" ({title})" if title else ""}

    path = tuple(error.absolute_path)
    field = dotted(path)
    keyword = error.validator
    value = error.instance

    if keyword == "oneOf" and error.context:
        return _describe_one_of(error, doc, kind)
    if keyword == "anyOf" and error.context:
        # An amount or 未公开 (money_or_not_published): explained as the amount it is not,
        # with the one way to say the document does not give it. A block that may be 未公开
        # as a whole says so only of the block itself: a figure inside it is its own anyOf,
        # which says it once (the same words twice before).
        out = []
        for e in error.context:
            if e.schema_path and e.schema_path[0] == 0:
                said = tuple(e.absolute_path) == path
                out.extend((d, said) for d in _describe(e, doc, kind))
        if out:
            return [
                dataclasses.replace(
                    d,
                    message=_("{message}, or 未公开 if the document does not give it").format(
                        message=d.message
                    ),
                )
                if said
                else d
                for d, said in out
            ]
    if keyword == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        out = []
        for key in value:
            if key not in allowed:
                out.append(
                    Diagnostic(
                        doc.locate_key(path + (key,)),
                        _unknown_field(key, allowed),
                        field=dotted(path + (key,)),
                    )
                )
        return out
    if keyword == "required":
        # jsonschema raises one such error per missing field, each naming them all here: the
        # pipeline's sorted_diagnostics drops the repeats.
        out = []
        allowed = set(error.schema.get("properties", {}))
        unknown = [key for key in value if key not in allowed]
        for missing in (key for key in error.validator_value if key not in value):
            if difflib.get_close_matches(missing, unknown, n=1, cutoff=0.6):
                continue  # a misspelt key: its own message names this field ("did you mean")
            sub = error.schema.get("properties", {}).get(missing, {})
            sub_title = sub.get("title") if isinstance(sub, dict) else None
            out.append(
                Diagnostic(
                    doc.locate_key(path) if path else doc.locate(path),
                    _("missing required field '{key}' ({title}): add it").format(
                        key=missing, title=sub_title or missing
                    ),
                    field=dotted(path + (missing,)) if path else missing,
                )
            )
        return out
    found = _found(value)
    if keyword == "type":
        expected = error.validator_value
        message = _("expected {expected}{title}, found {found}").format(
            expected=_type_words(expected), found=found, **named
        )
        hint = ""
        if expected in ("number", "integer") and isinstance(value, str):
            hint = _number_hint(value, _written_in_quotes(doc, path))
        elif expected == "boolean" and isinstance(value, str):
            hint = _("write true or false")
        elif expected == "string" and isinstance(value, Decimal):
            hint = _('put codes in quotes, e.g. "151001"')
            if is_code_schema(error.schema) and str(value).isdigit():
                hint = _('put codes in quotes, e.g. "151001"; `disclosure fmt` quotes them all')
        elif expected == "object" and isinstance(value, str) and _FULL_WIDTH_COLON_KEY.match(value):
            hint = _(
                "a full-width colon (全角冒号 ：) follows the field name; type a half-width "
                "colon and a space"
            )
        if hint:
            message = _("{message} ({hint})").format(message=message, hint=hint)
    elif keyword == "format" and error.validator_value == "money" and _in_file_unit(error):
        message = _(
            "expected an amount with at most {decimals} decimals{title}, in the file's "
            "amount_unit, found {value}"
        ).format(decimals=MONEY_DECIMALS, value=value, **named)
    elif keyword == "format" and error.validator_value == "money":
        message = _(
            "expected an amount in 万元 with at most {decimals} decimals{title}, found {value}"
        ).format(decimals=MONEY_DECIMALS, value=value, **named)
    elif keyword == "enum":
        options = "、".join(str(o) for o in error.validator_value)
        message = _("expected one of {options}{title}, found {found}").format(
            options=options, found=found, **named
        )
    elif keyword == "pattern" and error.validator_value.startswith("^[^\\n]"):
        message = _("expected one line of text{title}, found {found}").format(found=found, **named)
    elif keyword == "pattern":
        message = _("{field} has the wrong form: found {found}").format(
            field=title or _("value"), found=found
        )
        if error.schema.get("description"):
            message = _("{message}; {description}").format(
                message=message, description=error.schema["description"]
            )
        fixed = (
            code_text(value) if is_code_schema(error.schema) and isinstance(value, str) else None
        )
        if fixed and re.fullmatch(error.validator_value, fixed):  # full-width digits or quotes
            message = _("{message} (`disclosure fmt` fixes this)").format(message=message)
    elif keyword == "maximum":
        message = _("expected at most {limit}{title}, found {value}").format(
            limit=error.validator_value, value=value, **named
        )
    elif keyword == "minimum":
        message = _("expected at least {limit}{title}, found {value}").format(
            limit=error.validator_value, value=value, **named
        )
    elif keyword == "minItems":
        message = _("expected at least {limit} entries{title}, found {count}").format(
            limit=error.validator_value, count=len(value), **named
        )
    elif keyword == "minLength":
        message = _("expected text{title}, found empty text").format(**named)
    elif keyword == "exclusive":
        first, second = [key for key in error.validator_value if key in value][:2]
        why = _EXCLUSIVE_HINTS.get((first, second), N_("one of them is computed from the other"))
        return [
            Diagnostic(
                doc.locate_key(path + (second,)),
                _("write either '{first}' or '{second}', not both: {why}").format(
                    first=first, second=second, why=_(why)
                ),
                field=dotted(path + (second,)),
            )
        ]
    elif keyword == "one_required":
        options = _(" or ").join(f"'{key}'" for key in error.validator_value)
        message = _("missing {options}: write one of them").format(options=options)
    elif keyword == "maxLength":
        message = _("expected at most {limit} characters{title}, found {count}; shorten it").format(
            limit=error.validator_value, count=len(value), **named
        )
    elif keyword == "maxItems":
        message = _("expected at most {limit} entries{title}, found {count}").format(
            limit=error.validator_value, count=len(value), **named
        )
    else:
        message = error.message
    # A value left empty (a new year's blank) is still to fill, not a mistake.
    to_fill = value is None and bool(path)
    return [Diagnostic(doc.locate(path), message, field=field, to_fill=to_fill)]


def _unknown_field(key: str, allowed: list[str]) -> str:
    """An unknown field, with the one it most likely was meant to be."""
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return _("unknown field '{key}': did you mean '{suggestion}'? (allowed: {allowed})").format(
            key=key, suggestion=close[0], allowed=", ".join(allowed)
        )
    return _("unknown field '{key}'; expected one of: {allowed}").format(
        key=key, allowed=", ".join(allowed)
    )


_EXCLUSIVE_HINTS = {
    ("parts", "quantity"): N_("a category with parts gets its quantity as their sum"),
    ("parts", "value"): N_("a category with parts gets its value as their sum"),
    ("parts", "of_which"): N_(
        "list the category's items either as parts (which add up to it) or as of_which (some of it)"
    ),
    ("basic", "personnel"): N_("basic is personnel + public; write the two parts, or basic alone"),
    ("basic", "public"): N_("basic is personnel + public; write the two parts, or basic alone"),
    ("projects", "summary"): N_(
        "list the items (projects) or give the totals by category (summary)"
    ),
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
            _(
                'expected a target like {{sign: "≥", value: 95, unit: "%"}} or {{text: 提升}}, '
                "found {found}"
            ).format(found=_found(value)),
            field=dotted(path),
            to_fill=value is None and bool(path),
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
