"""Open data of a year's final accounts (决算): the 决算 lines as Fiscal Data Package fact
tables, one figure a row, with the phase "executed" (the budget's lines are "approved"),
so a reader can set a year's budget and its outturn side by side by the same codes.

Amounts are in 万元 as the final accounts publish them, exact (no rounding here).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from ..model.final import SPENDING_KINDS

FUND_LABELS = {
    "general": "一般公共预算",
    "fund": "政府性基金预算",
    "capital": "国有资本经营预算",
    "other": "非财政拨款资金",
}
KIND_LABELS = {
    "basic": "基本支出",
    "project": "项目支出",
    "superior": "上缴上级支出",
    "operating": "经营支出",
    "affiliated": "对附属单位补助支出",
}
LEVELS = (("class", "类", 3), ("kuan", "款", 5), ("item", "项", 7))
EXTRA = [
    {"name": "currency", "type": "string", "constant": "CNY", "columnType": "value-currency:code"},
    {"name": "phase", "type": "string", "constant": "executed", "columnType": "phase:id"},
    {
        "name": "direction",
        "type": "string",
        "constant": "expenditure",
        "columnType": "direction:id",
    },
]


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _fields(kind: str, levels) -> list[dict]:
    title = {"function": "支出功能分类", "economic": "支出经济分类"}[kind]
    dimension = {"function": "functional-classification", "economic": "economic-classification"}[
        kind
    ]
    fields = [
        {"name": "year", "title": "决算年度", "type": "integer", "columnType": "date:fiscal-year"},
        {
            "name": "unit_name",
            "title": "部门名称",
            "type": "string",
            "constraints": {"required": True},
            "columnType": "administrative-classification:generic:level1:label",
        },
    ]
    for number, (key, label, digits) in enumerate(levels, 1):
        fields += [
            {
                "name": f"{kind}_{key}_code",
                "title": f"{title}{label}编码",
                "type": "string",
                "constraints": {"required": True, "pattern": f"[0-9]{{{digits}}}"},
                "columnType": f"{dimension}:generic:level{number}:code",
            },
            {
                "name": f"{kind}_{key}_name",
                "title": f"{title}{label}名称",
                "type": "string",
                "columnType": f"{dimension}:generic:level{number}:label",
            },
        ]
    return fields + [
        {
            "name": "source",
            "title": "资金来源",
            "type": "string",
            "constraints": {"required": True, "enum": list(FUND_LABELS.values())},
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
            "title": "决算数（万元）",
            "description": "决算数，单位：万元，按公开文本",
            "type": "number",
            "constraints": {"required": True},
            "columnType": "value",
        },
    ]


def _resource(name: str, title: str, description: str, fields: list[dict], key: list[str]) -> dict:
    return {
        "name": name,
        "path": f"{name}.csv",
        "profile": "tabular-data-resource",
        "title": title,
        "description": description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8-sig",
        "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
        "schema": {"fields": fields, "primaryKey": key, "extraFields": EXTRA},
    }


def _amount(value: Decimal) -> str:
    return format(value, "f")


def final_resources(model) -> list[tuple[dict, bytes]]:
    """The 决算 spending lines (function 项 × fund × kind) and the 一般公共预算 basic
    spending by economic 款, as fact tables."""
    f = model.final
    year, unit = str(model.year), model.unit.full_name
    fields = _fields("function", LEVELS)
    rows = []
    for code, fund, amounts in f.spending:
        dims = [part for _k, _l, d in LEVELS for part in (code[:d], f.names.get(code[:d], ""))]
        for kind in SPENDING_KINDS:
            if kind in amounts:
                rows.append(
                    [
                        year,
                        unit,
                        *dims,
                        FUND_LABELS[fund],
                        KIND_LABELS[kind],
                        _amount(amounts[kind]),
                    ]
                )
    spending = _resource(
        "final-function-lines",
        "决算明细：按支出功能分类（类、款、项）",
        "决算各表所依据的支出明细，每行一个决算数（万元），按支出功能分类、资金来源和支出类型。"
        "各表的类、款合计与总计均由这些行加总。",
        fields,
        ["unit_name", "function_item_code", "source", "expenditure_type"],
    )
    out = [(spending, _csv([x["name"] for x in fields], rows))]
    levels = LEVELS[:2]
    fields = _fields("economic", levels)
    rows = []
    for code, amount in f.economic:
        dims = [part for _k, _l, d in levels for part in (code[:d], f.names.get(code[:d], ""))]
        rows.append(
            [year, unit, *dims, FUND_LABELS["general"], KIND_LABELS["basic"], _amount(amount)]
        )
    economic = _resource(
        "final-economic-lines",
        "决算明细：一般公共预算财政拨款基本支出按经济分类（类、款）",
        "一般公共预算财政拨款基本支出决算表所依据的明细，每行一个决算数（万元）。",
        fields,
        ["unit_name", "economic_kuan_code"],
    )
    out.append((economic, _csv([x["name"] for x in fields], rows)))
    return out
