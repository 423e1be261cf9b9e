"""What a reader sees in the words of the files: a template's placeholder left in the text
(XX, ××, 待填, 增加（减少）, 【单位名称】), an entry listed twice in a list that must be unique
(legal bases, glossary terms, indicators, procurement items, asset categories, sub-goals,
measures), a unit code not of the form units have. Errors, each at its line and column.

These read the documents (the model keeps no place for every text), so `check` takes the
year's documents beside its model.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..diagnostics import Diagnostic
from ..i18n import _
from ..input.loader import Document, dotted, leaves
from ..input.pasted_text import where_in_value
from ..model.disclosure import Disclosure

# What the official blank forms leave for the clerk to fill in: 2026年，XX收入预算x,xxx万元，
# 比2025年预算增加（减少）XXX万元（持平）. A run of two or more X (not part of a word or a code
# such as X101), of ×, the words that ask for a figure, a direction given both ways, a
# bracketed field name. 【2016】168号 (a document number) is not one.
PLACEHOLDER = re.compile(
    r"(?<![A-Za-z])[XxＸｘ]{2,}(?![A-Za-z])"
    r"|x,xxx"
    r"|[×✕╳]{2,}"
    r"|待填写?|待补充|待补|请填写|此处填写"
    r"|(?:增加|增长|上升)[（(](?:减少|下降)[）)]|减少[（(]增加[）)]"
    r"|【[^】\d]{0,20}(?:名称|单位|填写|金额|日期|时间|内容|数字|原因)[^】\d]{0,20}】"
)


def placeholders_left(m: Disclosure, docs: dict[str, Document]) -> list[Diagnostic]:
    problems = []
    for doc in docs.values():
        raw_lines: list[str] | None = None
        for path, value in leaves(doc.data):
            if not isinstance(value, str):
                continue
            for found in PLACEHOLDER.finditer(value):
                if raw_lines is None:
                    raw_lines = doc.raw.decode("utf-8", "replace").split("\n")
                problems.append(
                    Diagnostic(
                        where_in_value(doc, tuple(path), value, found.start(), raw_lines),
                        _(
                            "“{placeholder}” is a blank form's placeholder, left in the text: "
                            "write what it stands for (the unit's name, the figure, the one "
                            "direction: 增加 or 减少)"
                        ).format(placeholder=found.group()),
                        field=dotted(tuple(path)),
                    )
                )
    return problems


def _same(text) -> str:
    """Two entries are the same when they differ only in spaces or 《》 around a title."""
    return re.sub(r"[\s\u3000《》]", "", str(text)) if text is not None else ""


# Each list that must not hold the same entry twice: (file (a glob of projects/), path to the
# list, the fields that make an entry, what a clerk calls the list).
UNIQUE_LISTS = (
    ("unit.yaml", ("legal_bases",), None, "公开依据"),
    ("glossary.yaml", ("terms",), ("term",), "名词解释"),
    ("indicators.yaml", ("indicators",), ("level1", "level2", "name"), "绩效指标"),
    ("projects/", ("indicators",), ("level1", "level2", "name"), "绩效指标"),
    ("performance.yaml", ("sub_goals",), ("title",), "绩效目标"),
    ("performance.yaml", ("measures",), ("title",), "保障措施"),
)


def duplicate_entries(m: Disclosure, docs: dict[str, Document]) -> list[Diagnostic]:
    problems = []
    for rel, doc in docs.items():
        data = doc.data if isinstance(doc.data, dict) else {}
        for file, path, keys, words in UNIQUE_LISTS:
            if rel == file or (file.endswith("/") and rel.startswith(file)):
                problems += _duplicates(doc, path, data.get(path[0]), keys, words)
        if rel == "procurement.yaml":
            for i, project in enumerate(data.get("projects") or ()):
                if isinstance(project, dict):
                    problems += _duplicates(
                        doc,
                        ("projects", i, "items"),
                        project.get("items"),
                        ("name", "catalogue_code"),
                        "采购物品",
                    )
        if rel == "assets.yaml":
            for key in ("categories", "planned"):
                problems += _asset_duplicates(doc, (key,), data.get(key))
    return problems


def _asset_duplicates(doc: Document, path: tuple, entries) -> list[Diagnostic]:
    if not isinstance(entries, list):
        return []
    problems = _duplicates(doc, path, entries, ("name",), "资产类别")
    for i, entry in enumerate(entries):
        if isinstance(entry, dict):
            for key in ("parts", "of_which"):
                problems += _asset_duplicates(doc, (*path, i, key), entry.get(key))
    return problems


def _duplicates(doc: Document, path: tuple, entries, keys, words: str) -> list[Diagnostic]:
    if not isinstance(entries, list):
        return []
    seen: dict[tuple, int] = {}
    problems = []
    for i, entry in enumerate(entries):
        if keys is None:
            key = (_same(entry),)
        elif isinstance(entry, dict):
            key = tuple(_same(entry.get(k)) for k in keys)
        else:
            continue
        if not any(key):
            continue
        if key in seen:
            first = doc.locate((*path, seen[key])).line
            problems.append(
                Diagnostic(
                    doc.locate((*path, i)),
                    _(
                        "this entry of {list} repeats the one on line {line}: keep one (if "
                        "both are meant, tell them apart)"
                    ).format(list=words, line=first),
                    field=dotted((*path, i)),
                )
            )
        else:
            seen[key] = i
    return problems


# The units' own codes: six digits, the first three the department's (151001: 151 the
# department, 001 the unit; a made-up department's 900000, 900001). None starts with 0.
UNIT_CODE = re.compile(r"[1-9][0-9]{5}")


def unit_code_form(m: Disclosure, docs: dict[str, Document]) -> list[Diagnostic]:
    doc = docs.get("unit.yaml")
    unit = (doc.data or {}).get("unit") if doc is not None and isinstance(doc.data, dict) else None
    code = unit.get("code") if isinstance(unit, dict) else None
    if not isinstance(code, str) or UNIT_CODE.fullmatch(code):
        return []
    stripped = code.lstrip("0")
    if stripped != code and UNIT_CODE.fullmatch(stripped):
        hint = _("without the 0 in front it is {code}").format(code=stripped)
    else:
        hint = _("it has {count} digits").format(count=len(code))
    return [
        Diagnostic(
            doc.locate(("unit", "code")),
            _(
                "unit code {code} is not of the form units' codes have: six digits, not "
                "starting with 0 (as 151001: the department's three, then the unit's three); "
                "{hint}. Copy it from the budget system"
            ).format(code=code, hint=hint),
            field="unit.code",
        )
    ]


DocRule = Callable[[Disclosure, dict[str, Document]], list[Diagnostic]]
RULES: tuple[DocRule, ...] = (placeholders_left, duplicate_entries, unit_code_form)


def check(model: Disclosure, docs: dict[str, Document]) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    for rule in RULES:
        problems += rule(model, docs)
    return problems


def same_unit_as_last_year(
    m: Disclosure, prev: Disclosure | None, docs: dict[str, Document]
) -> list[Diagnostic]:
    """unit.yaml against the previous year's in the repository: another code and another
    name is another unit's unit.yaml (or this year's files are another unit's). An error
    that names both, and never advises deleting a file. The same code under a new name is
    a unit renamed: nothing to say; a new name where neither year gives a code, a warning."""
    doc = docs.get("unit.yaml")
    if prev is None or doc is None:
        return []
    now, before = m.unit, prev.unit
    code_differs = bool(now.code and before.code and now.code != before.code)
    name_differs = now.full_name != before.full_name
    values = {
        "name": now.full_name,
        "code": f" ({now.code})" if now.code else "",
        "year": prev.year,
        "previous_name": before.full_name,
        "previous_code": f" ({before.code})" if before.code else "",
    }
    if code_differs and name_differs:
        severity, message = (
            "error",
            _(
                "unit.yaml names {name}{code}, but {year}'s unit.yaml names {previous_name}"
                "{previous_code}: a year's files belong to one unit. If this unit.yaml was copied "
                "from another unit, write this unit's own name and code in it; if this year's "
                "files are another unit's, move them to that unit's folder (do not delete them: "
                "the facts they hold would be lost)"
            ),
        )
    elif code_differs:
        severity, message = (
            "error",
            _(
                "unit code{code} differs from {year}'s{previous_code} for the same unit "
                "{name}: correct the one that is wrong (copy it from the budget system)"
            ),
        )
    elif name_differs and not (now.code and before.code):
        severity, message = (
            "warning",
            _(
                "unit.yaml names {name}, but {year}'s unit.yaml names {previous_name}: if the "
                "unit was renamed, write its code (unit.code) in both years' unit.yaml, which "
                "says it is the same unit; if this unit.yaml is another unit's, write this "
                "unit's own name in it"
            ),
        )
    else:
        return []
    where = doc.locate(("unit", "code" if code_differs else "name"))
    field = "unit.code" if code_differs else "unit.name"
    return [Diagnostic(where, message.format(**values), field=field, severity=severity)]
