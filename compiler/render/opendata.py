"""Open data: a published year's figures as files a program can read, described by a
Frictionless Data Package descriptor (datapackage.json).

- every statutory table the year prints, as CSV: the printed columns (headers joined with ·,
  each money column naming its unit), the exact figure as the table shows it, codes as text,
  and for a classification table the full code and the row's level (类/款/项/合计) first;
- the budget lines as two flat fact tables (function × source × kind, and economic × source
  × kind), in 元 to the fen, exact, one figure a row: the form the Fiscal Data Package
  describes, its columns typed with the FDP column types, so the function and economic
  classification codes (三 levels and two) are the dimensions and the amount the measure;
- the whole computed model as JSON (every primary fact and derived figure), also for a
  year that publishes no tables.

CSV files are UTF-8 with a byte-order mark, which Excel needs to read Chinese text right,
and CRLF line ends (RFC 4180); the descriptor says `utf-8-sig`, so readers drop the mark.
Every resource carries its size and sha256, which a validator checks.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from decimal import Decimal

from ..i18n import _
from ..layout.sections import shown_tables
from ..layout.tables import Table, build
from ..model.disclosure import Disclosure
from ..model.lines import SOURCE_KEYS, BudgetLines
from ..numbers import NotPublished

FOLDER = "data"  # inside the year's folder of the site: <year>/data/
DESCRIPTOR = "datapackage.json"
MODEL = "model.json"
WAN = Decimal(10000)

# Fiscal Data Package (1.0) column types of the fact tables' columns.
FDP = {
    "year": "date:fiscal-year",
    "unit_name": "administrative-classification:generic:level1:label",
    "unit_code": "administrative-classification:generic:level1:code",
    "amount": "value",
}
LEVELS = (("class", "类", 3), ("kuan", "款", 5), ("item", "项", 7))
_KIND_TITLES = {"function": "支出功能分类", "economic": "部门预算支出经济分类"}
_KIND_FDP = {"function": "functional-classification", "economic": "economic-classification"}


def open_data(model: Disclosure) -> dict[str, bytes]:
    """The year's open data files, path inside the data folder → bytes (datapackage.json
    last, since it records every other file's size and hash)."""
    resources: list[dict] = []
    files: dict[str, bytes] = {}

    def add(resource: dict, data: bytes) -> None:
        resource.update(bytes=len(data), hash="sha256:" + hashlib.sha256(data).hexdigest())
        resources.append(resource)
        files[resource["path"]] = data

    for document in [model, *model.units]:
        prefix = f"units/{document.slug}/" if document.slug else ""
        for spec in shown_tables(document):
            table = build(spec, document)
            resource, data = _table_resource(table, document, prefix)
            add(resource, data)
    if model.lines is not None:
        leaves = [u for u in model.units if u.lines is not None] or [model]
        for kind in ("function", "economic"):
            resource, data = _lines_resource(kind, leaves, model.year)
            add(resource, data)
    if model.final is not None:  # 决算: the lines with the phase "executed"
        from .opendata_final import final_resources

        for resource, data in final_resources(model):
            add(resource, data)
    add(_model_resource(model), model_json(model).encode("utf-8"))
    files[DESCRIPTOR] = descriptor(model, resources)
    return files


def model_json(model: Disclosure) -> str:
    """The computed model as stable JSON (amounts as exact decimal strings)."""
    return "".join(model_json_chunks(model))


def model_json_chunks(model: Disclosure) -> Iterator[str]:
    """model_json's text in the chunks the encoder makes them, for a caller that writes
    them as they come: a department's JSON is millions of characters (6.8 M at 60 units),
    and made as one string it took 60 MB of memory at once."""
    from ..model.disclosure import to_tree

    tree = to_tree(model)
    missing = _not_published(tree, "")
    if missing:  # left out when nothing is: the models of earlier years stay byte for byte
        tree["not_published"] = missing
    encoder = json.JSONEncoder(ensure_ascii=False, indent=2, sort_keys=True, default=_json_value)
    yield from encoder.iterencode(tree)
    yield "\n"


def _json_value(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, NotPublished):
        return None  # missing: null, and its path under not_published
    raise TypeError(_("cannot serialise {kind}").format(kind=type(value).__name__))


def _not_published(tree, path: str) -> list[str]:
    """The paths of the model's facts the document does not give (未公开)."""
    if isinstance(tree, NotPublished):
        return [path]
    if isinstance(tree, dict):
        items = ((f"{path}.{k}" if path else str(k), v) for k, v in tree.items())
    elif isinstance(tree, list):
        items = ((f"{path}[{i}]", v) for i, v in enumerate(tree))
    else:
        return []
    return [p for sub, value in items for p in _not_published(value, sub)]


def descriptor(model: Disclosure, resources: list[dict]) -> bytes:
    unit = model.unit
    name = f"{unit.code or 'disclosure'}-{model.year}".lower()
    parts = []
    if model.final is not None:
        parts.append("决算明细（按支出功能分类、经济分类，金额单位为万元，按公开文本）")
    elif any(r["name"] != "model" for r in resources):
        parts.append("每张公开表（CSV，金额单位见列名，编码为文本）")
        parts.append("预算明细（按支出功能分类和部门预算支出经济分类，金额单位为元，精确到分）")
    parts.append("完整的计算模型（JSON）")
    document = "决算" if model.final is not None else "预算"
    package = {
        "name": name,
        "title": f"{unit.full_name}{model.year}年{document}公开数据",
        "description": f"{unit.full_name}{model.title}中的数据：" + "、".join(parts) + "。",
        "keywords": ["预算公开", "部门预算", "单位预算", str(model.year), "fiscal data package"],
        "fiscalYear": model.year,
        "resources": resources,
    }
    return (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def _resource_name(text: str) -> str:
    """A Data Package resource name: lower-case letters, digits, -, ., _ and /."""
    return text.lower().replace("_", "-")


def _csv_resource(name: str, path: str, title: str, description: str, schema: dict) -> dict:
    return {
        "name": name,
        "type": "table",
        "path": path,
        "title": title,
        "description": description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8-sig",
        "schema": schema,
    }


def _decimal(value: Decimal | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _table_resource(table: Table, model: Disclosure, prefix: str) -> tuple[dict, bytes]:
    """A statutory table as printed, one CSV row a table row. A cell spanning columns fills
    one of them and leaves the others empty (its first, except that a label spanning the code
    columns, such as 合计, goes in the name column)."""
    classified = table.spec.rows in ("function", "economic")
    names = _unique(
        [
            f"{label}（{table.unit}）" if column.format == "money" else label
            for label, column in zip(table.labels, table.columns, strict=True)
        ]
    )
    fields = []
    if classified:
        fields += [
            {
                "name": "科目编码",
                "type": "string",
                "description": f"{_KIND_TITLES[table.spec.rows]}科目的完整编码（合计行为空）",
                "constraints": {"pattern": "[0-9]{3}([0-9]{2}){0,2}"},
                "columnType": f"{_KIND_FDP[table.spec.rows]}:generic:code",
            },
            {
                "name": "级次",
                "type": "string",
                "constraints": {"required": True, "enum": ["类", "款", "项", "合计"]},
            },
        ]
    for name, column in zip(names, table.columns, strict=True):
        field: dict = {"name": name, "type": "number" if column.format == "money" else "string"}
        if column.format == "money":
            field["description"] = f"金额，单位：{table.unit}（与公开表所印数字相同）"
        elif column.format == "code":
            field["constraints"] = {"pattern": "[0-9]*"}
        fields.append(field)
    rows = []
    for body_row in table.body:
        values: list[str] = []
        for cell in body_row.cells:
            first = len(values)
            values += [""] * cell.colspan
            if cell.format == "money":
                values[first] = _decimal(cell.value)
            else:
                values[_label_column(table, first, cell.colspan)] = cell.text
        if classified:
            code = "" if body_row.kind == "total" else _full_code(body_row, table)
            level = "合计" if body_row.kind == "total" else body_row.kind
            values = [code, level, *values]
        rows.append(values)
    header = [f["name"] for f in fields]
    name = _resource_name(f"{prefix}{table.id}")
    who = model.unit.full_name
    resource = _csv_resource(
        name,
        f"{prefix}tables/{table.id}.csv",
        f"{who} {table.title}" if prefix else table.title,
        f"{who}的公开表“{table.title}”，金额单位：{table.unit}。",
        {"fields": fields},
    )
    return resource, _csv(header, rows)


def _label_column(table: Table, first: int, span: int) -> int:
    """Where a merged cell's text goes: its first column, or for a label spanning the code
    columns (合计), the name column it covers, so code columns hold only digits."""
    covered = range(first, first + span)
    texts = [i for i in covered if table.columns[i].format == "text"]
    if span > 1 and texts and table.columns[first].format == "code":
        return texts[0]
    return first


def _full_code(row, table: Table) -> str:
    """The row's code: the printed code columns (类, 款, 项 parts) joined."""
    parts = [
        cell.text
        for cell, column in zip(_expanded(row.cells), table.columns, strict=False)
        if column.format == "code"
    ]
    return "".join(parts)


def _expanded(cells):
    for cell in cells:
        yield cell
        for _filler in range(cell.colspan - 1):
            yield None


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}（{seen[name]}）")
    return out


def _yuan(value: Decimal, lines: BudgetLines) -> str:
    exact = value if lines.amount_unit == "元" else value * WAN
    return format(exact, "f")


def _lines_resource(kind: str, leaves: list[Disclosure], year: int) -> tuple[dict, bytes]:
    """The budget lines of every unit as a fact table: one amount a row."""
    levels = LEVELS if kind == "function" else LEVELS[:2]
    dimension = _KIND_FDP[kind]
    fields: list[dict] = [
        {"name": "year", "title": "预算年度", "type": "integer", "columnType": FDP["year"]},
        {
            "name": "unit_code",
            "title": "单位编码",
            "type": "string",
            "columnType": FDP["unit_code"],
        },
        {
            "name": "unit_name",
            "title": "单位名称",
            "type": "string",
            "constraints": {"required": True},
            "columnType": FDP["unit_name"],
        },
    ]
    for number, (key, label, digits) in enumerate(levels, 1):
        fields += [
            {
                "name": f"{kind}_{key}_code",
                "title": f"{_KIND_TITLES[kind]}{label}编码",
                "type": "string",
                "constraints": {"required": True, "pattern": f"[0-9]{{{digits}}}"},
                "columnType": f"{dimension}:generic:level{number}:code",
            },
            {
                "name": f"{kind}_{key}_name",
                "title": f"{_KIND_TITLES[kind]}{label}名称",
                "type": "string",
                "columnType": f"{dimension}:generic:level{number}:label",
            },
        ]
    fields += [
        {
            "name": "source",
            "title": "资金来源",
            "type": "string",
            "constraints": {"required": True, "enum": list(SOURCE_KEYS)},
            "columnType": "funding-source:generic:label",
        },
        {
            "name": "expenditure_type",
            "title": "支出类型",
            "type": "string",
            "constraints": {"required": True},
            "columnType": "expenditure-type:generic:label",
        },
        {
            "name": "amount",
            "title": "金额（元）",
            "description": "预算金额，单位：元，精确到分",
            "type": "number",
            "constraints": {"required": True},
            "columnType": FDP["amount"],
        },
    ]
    rows = []
    for leaf in leaves:
        lines = leaf.lines
        names = {
            row.code: row.name
            for row in (lines.function_rows() if kind == "function" else lines.economic_rows())
        }
        entries = lines.function if kind == "function" else lines.economic
        for line in entries:
            codes = [line.code[:digits] for _, _, digits in levels]
            dims = [part for code in codes for part in (code, names.get(code, ""))]
            for label, amount in _amounts(kind, line):
                rows.append(
                    [
                        str(year),
                        leaf.unit.code or "",
                        leaf.unit.full_name,
                        *dims,
                        line.source,
                        label,
                        _yuan(amount, lines),
                    ]
                )
    key = [f"{kind}_{levels[-1][0]}_code"]
    schema = {
        "fields": fields,
        "primaryKey": ["unit_name", *key, "source", "expenditure_type"],
        "extraFields": [
            {
                "name": "currency",
                "type": "string",
                "constant": "CNY",
                "columnType": "value-currency:code",
            },
            {"name": "phase", "type": "string", "constant": "approved", "columnType": "phase:id"},
            {
                "name": "direction",
                "type": "string",
                "constant": "expenditure",
                "columnType": "direction:id",
            },
        ],
    }
    what = "支出功能分类（类、款、项）" if kind == "function" else "部门预算支出经济分类（类、款）"
    resource = _csv_resource(
        f"{kind}-lines",
        f"{kind}-lines.csv",
        f"预算明细：按{what}",
        f"公开表所依据的预算明细，每行一个金额（元，精确到分），按{what}、资金来源和支出类型。"
        "各表的类、款合计均由这些行加总。",
        schema,
    )
    return resource, _csv([f["name"] for f in fields], rows)


def _amounts(kind: str, line) -> list[tuple[str, Decimal]]:
    """A line's figures as (支出类型, amount): basic split into 人员经费 and 公用经费 where the
    line gives them, and project expenditure (function lines)."""
    if kind == "economic":
        return [("基本支出·人员经费", line.personnel), ("基本支出·公用经费", line.public)]
    if line.is_split:
        basic = [
            ("基本支出·人员经费", line.personnel or Decimal(0)),
            ("基本支出·公用经费", line.public or Decimal(0)),
        ]
    else:
        basic = [("基本支出", line.basic)]
    return [*basic, ("项目支出", line.project)]


def _model_resource(model: Disclosure) -> dict:
    return {
        "name": "model",
        "type": "json",
        "path": MODEL,
        "title": f"{model.unit.full_name}{model.year}年预算公开：计算模型",
        "description": (
            "公开文件的全部数据：录入的原始数据和由其计算的每个合计、增减与换算（金额为精确的十进制"
            "字符串，单位见各字段；一个部门含其所属单位）。"
        ),
        "format": "json",
        "mediatype": "application/json",
        "encoding": "utf-8",
    }
