"""The final accounts (决算) as the diff reads them: each fact under the name its table
gives it and keyed by code (never by position), so that two editions of a year's final
accounts (`disclosure diff 2024/final@main 2024/final`) compare figure by figure.

`final_facts` gives two trees: the facts as typed (the 决算 lines, balances, the unit's
words) and the figures computed from them or taken from elsewhere (totals, 年末结转和结余,
the 年初预算 read from the budget), which the diff marks （计算所得）."""

from __future__ import annotations

from typing import Any

from ..model.final import FUNDS, INCOME_SOURCES, SPENDING_KINDS, THREE_PUBLIC, FinalAccounts

SOURCES = {
    "general": "一般公共预算财政拨款",
    "fund": "政府性基金预算财政拨款",
    "capital": "国有资本经营预算财政拨款",
    "superior": "上级补助收入",
    "business": "事业收入",
    "operating": "经营收入",
    "affiliated": "附属单位上缴收入",
    "other": "其他收入",
}
KINDS = {
    "basic": "基本支出",
    "project": "项目支出",
    "superior": "上缴上级支出",
    "operating": "经营支出",
    "affiliated": "对附属单位补助支出",
}
THREE = {
    "overseas": "因公出国（境）费",
    "vehicle_purchase": "公务用车购置费",
    "vehicle_operation": "公务用车运行费",
    "reception": "公务接待费",
}
NOTES = {
    "change_reason": "收支总计变化的主要原因",
    "fiscal_change_reason": "财政拨款收支总计变化的主要原因",
    "budget_reason": "决算数与年初预算不同的主要原因",
    "budget_reason_three": "“三公”经费决算数与预算数不同的主要原因",
    "change_reason_three": "“三公”经费变化的主要原因",
    "reception_use": "公务接待费主要用于",
}


def _key(f: FinalAccounts, code: str) -> str:
    # No dots in a key: the diff joins a field's path with them.
    return f"{code} {f.names.get(code, code)}".replace(".", "·")


def _notes(f: FinalAccounts) -> dict[str, Any]:
    notes = dict(f.notes)
    out: dict[str, Any] = {}
    for k in ("change_reason", "fiscal_change_reason", "budget_reason"):
        if k in notes:
            out[NOTES[k]] = notes[k]
    out["各项用途与原因"] = {
        _key(f, n.code): {"主要用于": n.use, "原因": n.reason} for n in f.item_notes
    }
    three = notes.get("three_public") or {}
    tp: dict[str, Any] = {THREE[k]: v for k, v in (three.get("outturn") or {}).items()}
    for k, name in (
        ("budget_reason", "budget_reason_three"),
        ("change_reason", "change_reason_three"),
        ("reception_use", "reception_use"),
    ):
        if k in three:
            tp[NOTES[name]] = three[k]
    tp.update({f"数量 {k}": v for k, v in (three.get("counts") or {}).items()})
    out["“三公”经费决算"] = tp
    for k, v in notes.items():  # the rest as typed (机关运行经费, 政府采购, 资产 …)
        if k not in ("items", "three_public", *NOTES):
            out[k] = v
    return out


def final_facts(f: FinalAccounts) -> tuple[dict, dict]:
    """(the facts as typed, the figures computed or taken from elsewhere)."""
    typed = {
        "收入决算": {
            _key(f, code): {SOURCES[k]: v for k, v in amounts.items() if k in INCOME_SOURCES}
            for code, amounts in f.income
        },
        "支出决算": {
            f"{_key(f, code)} {SOURCES[fund]}": {
                KINDS[k]: v for k, v in amounts.items() if k in SPENDING_KINDS
            }
            for code, fund, amounts in f.spending
        },
        "一般公共预算财政拨款基本支出": {_key(f, code): a for code, a in f.economic},
        "年初结转和结余": f.opening_all,
        "年初财政拨款结转和结余": {SOURCES[k]: v for k, v in f.opening_fiscal.items()},
        "使用非财政拨款结余": f.non_fiscal_balance_used,
        "结余分配": f.surplus_distributed,
        "说明": _notes(f),
    }
    computed = {
        "合计": {
            "本年收入合计": f.income_this_year,
            "本年支出合计": f.spending_this_year,
            "年末结转和结余": f.closing_all,
            "收入支出总计": f.grand_total,
            "财政拨款收入支出总计": f.fiscal_grand_total,
            **{f"{SOURCES[k]}年末结转和结余": f.closing(k) for k in FUNDS},
            "一般公共预算财政拨款支出": f.general_spending,
            "人员经费": f.personnel,
            "公用经费": f.public,
            "“三公”经费合计": f.three_public["total"].current,
        },
        "年初预算": {_key(f, code): a for code, a in sorted(f.initial_budget.items())},
        "“三公”经费年初预算": {
            THREE[k]: v for k, v in (f.initial_three_public or {}).items() if k in THREE_PUBLIC
        },
    }
    return typed, computed
