"""What the diff calls each field of the model, and what it leaves out.

A field is named by its pattern: model attributes joined by dots, list entries as `[]`, any
dict key as `*` (procurement.projects[].items[].amount). The table gives each pattern the
name a reader of the disclosure knows it by, the section it is published in and how its
figures are written. Comparing two years, some fields and texts move with the year itself;
the helpers at the end recognise them, so the diff can hide them and match entries across
years.
"""

from __future__ import annotations

import re
from typing import Any

from ..model.lines import SOURCE_KEYS

# Top-level model field → the part of the disclosure it belongs to, in publication order.
SECTIONS: dict[str, str] = {
    "year": "年度",
    "unit": "单位概况",
    "legal_bases": "编制依据",
    "duties_intro": "单位职责",
    "duties": "单位职责",
    "organisation": "机构设置",
    "budget": "单位预算安排总体情况",
    "explanation": "预算编制说明",
    "lines": "预算明细（公开表）",
    "operating_costs": "机关运行经费",
    "three_public": "财政拨款“三公”经费",
    "performance": "单位整体绩效目标",
    "indicators": "单位整体支出绩效指标",
    "goal_setting": "绩效目标设置情况",
    "projects": "项目资金绩效目标",
    "procurement": "政府采购预算",
    "planned_asset_purchases": "政府采购预算",
    "assets": "国有资产信息",
    "glossary": "名词解释",
    "project_funding": "项目经费情况说明",
    "other_matters": "其他需要说明的事项",
    "units": "所属单位",
    "final": "决算",
}
SECTION_ORDER = list(dict.fromkeys(SECTIONS.values()))

_THREE = {
    "overseas": "因公出国（境）费",
    "vehicle_purchase": "公务用车购置费",
    "vehicle_operation": "公务用车运维费",
    "vehicles": "公务用车购置及运维费",
    "reception": "公务接待费",
    "total": "三公经费合计",
}
_INDICATOR = {
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "description": "指标描述",
    "target.sign": "指标值符号",
    "target.value": "指标值",
    "target.unit": "指标值单位",
    "target.text": "指标值（文字）",
    "basis": "指标值确定依据",
    "scoring": "评（扣）分标准",
}
_ASSET = {
    "name": "名称",
    "unit": "计量单位",
    "quantity": "数量",
    "value": "价值",
    "typed_quantity": "数量（填写）",
    "typed_value": "价值（填写）",
}
_SOURCES = {key: source for source, key in SOURCE_KEYS.items()}
_FISCAL = {
    "general_budget": "一般公共预算拨款",
    "fund_budget": "政府性基金预算拨款",
    "capital_budget": "国有资本经营预算拨款",
    "fiscal": "财政拨款",
}
_LINE = {
    "code": "科目编码",
    "source": "资金来源",
    "personnel": "人员经费",
    "public": "公用经费",
    "basic_unsplit": "基本支出（未分）",
    "basic": "基本支出",
    "project": "项目支出",
    "total": "合计",
}
_PROJECT = {
    "nature": "项目性质",
    "category": "项目类别",
    "department": "主管部门",
    "implementer": "实施单位",
    "start": "计划开始日期",
    "end": "计划完成日期",
    "funds.fiscal": "项目资金·财政资金",
    "funds.other": "项目资金·其他资金",
    "funds.total": "项目资金总额",
    "annual.current_fiscal": "年度资金申请·当年财政拨款",
    "annual.carried_over": "年度资金申请·上年结转资金",
    "annual.other": "年度资金申请·其他资金",
    "annual.total": "年度资金申请总额",
    "overall_goal": "项目总目标",
    "annual_goal": "年度总体目标",
}
_FUNDED = {
    "name": "项目名称",
    "overview": "项目概况",
    "basis": "立项依据",
    "implementer": "实施主体",
    "plan": "实施方案",
    "schedule": "实施周期",
    "quarterly": "分季度用款计划",
    "goal": "绩效目标",
    "annual_total": "年度用款计划合计",
}
_CHANGES = {"basic": "基本支出", "project": "项目支出", "total": "支出合计"}

# Model field pattern (list entries as `[]`, any dict key as `*`) → human name. Inside a
# list entry the name follows the entry's own label:
# "政府采购 › 机关工作经费 › 台式计算机 › 金额".
LABELS: dict[str, str] = {
    "year": "年度",
    "unit.name": "单位名称",
    "unit.scope": "单位范围",
    "unit.code": "单位代码",
    "unit.city": "所在城市",
    "unit.self_reference": "单位自称",
    "unit.short_name": "单位简称",
    "unit.nature": "单位性质",
    "unit.level": "单位规格",
    "unit.funding_form": "经费保障形式",
    "unit.type": "单位类型",
    "legal_bases[]": "编制依据",
    "duties_intro": "职责概述",
    "duties[]": "单位职责",
    "organisation.intro": "机构设置概述",
    "organisation.headquarters": "本部名称",
    "organisation.members[]": "所属单位",
    "organisation.counts.*": "{key}家数",
    "organisation.subordinates": "下属单位家数",
    "other_matters": "其他需要说明的事项",
    "budget.income.general_budget": "一般公共预算收入",
    "budget.income.fund_budget": "基金预算收入",
    "budget.income.special_account": "财政专户核拨收入",
    "budget.income.other": "其他来源收入",
    "budget.income.carried_over": "上年结转",
    "budget.income.total": "预算收入合计",
    "budget.expenditure.personnel": "人员类项目经费",
    "budget.expenditure.public_operating": "运转类公用项目经费",
    "budget.expenditure.project": "项目支出",
    "budget.expenditure.project_scope": "项目支出范围",
    "budget.expenditure.project_main_uses": "项目支出主要用途",
    "budget.expenditure.basic": "基本支出",
    "budget.expenditure.total": "预算支出合计",
    "budget.previous_basic": "上年基本支出",
    "budget.previous_project": "上年项目支出",
    "budget.previous_total": "上年支出合计",
    "budget.basic_reason": "基本支出增减原因",
    "budget.project_reason": "项目支出增减原因",
    **{f"budget.{k}_change.amount": f"{v}增减额" for k, v in _CHANGES.items()},
    **{f"budget.{k}_change.percent": f"{v}增减幅度" for k, v in _CHANGES.items()},
    "lines.amount_unit": "预算明细金额单位",
    **{f"lines.function[].{k}": f"功能分类明细·{v}" for k, v in _LINE.items()},
    **{f"lines.economic[].{k}": f"经济分类明细·{v}" for k, v in _LINE.items()},
    **{f"lines.class_split[].{k}": f"基本支出按类·{v}" for k, v in _LINE.items()},
    "lines.total": "支出预算合计",
    "lines.basic": "基本支出合计",
    "lines.project": "项目支出合计",
    "lines.personnel": "人员经费合计",
    "lines.public": "公用经费合计",
    "lines.fiscal": "财政拨款支出合计",
    **{f"lines.by_source.{k}": f"{v}合计" for k, v in _SOURCES.items()},
    "lines.function_totals.*": "{key} 合计",
    "lines.function_basic.*": "{key} 基本支出",
    "lines.function_project.*": "{key} 项目支出",
    "lines.economic_personnel.*": "{key} 人员经费",
    "lines.economic_public.*": "{key} 公用经费",
    **{f"explanation.current.{k}": v for k, v in _FISCAL.items()},
    **{f"explanation.previous.{k}": f"上年{v}" for k, v in _FISCAL.items()},
    **{f"explanation.income.{k}": f"{v}收入" for k, v in _SOURCES.items()},
    "explanation.total": "收入（支出）预算合计",
    "explanation.change_reason": "财政拨款收支增减原因",
    "explanation.fiscal_change.amount": "财政拨款增减额",
    "explanation.fiscal_change.percent": "财政拨款增减幅度",
    **{f"explanation.changes.{k}.amount": f"{v}增减额" for k, v in _FISCAL.items()},
    **{f"explanation.changes.{k}.percent": f"{v}增减幅度" for k, v in _FISCAL.items()},
    "explanation.items[].code": "科目编码",
    "explanation.items[].names": "科目名称",
    "explanation.items[].amount": "本年预算",
    "explanation.items[].previous": "上年数",
    "explanation.items[].use": "主要用于",
    "explanation.items[].reason": "增减原因",
    "explanation.items[].change.amount": "增减额",
    "explanation.items[].change.percent": "增减幅度",
    "operating_costs.amount": "机关运行经费",
    "operating_costs.main_uses": "机关运行经费主要用途",
    **{f"three_public.current.{k}": v for k, v in _THREE.items()},
    **{f"three_public.previous.{k}": f"上年{v}" for k, v in _THREE.items()},
    **{f"three_public.changes.{k}.amount": f"{v}增减额" for k, v in _THREE.items()},
    **{f"three_public.changes.{k}.percent": f"{v}增减幅度" for k, v in _THREE.items()},
    **{
        f"three_public.reasons.{k}": f"{_THREE[k]}增减原因"
        for k in ("overseas", "vehicles", "vehicle_purchase", "vehicle_operation", "reception")
    },
    "three_public.reasons.total": "“三公”经费增减原因",
    "goal_setting.units": "开展绩效目标编报的预算单位数",
    "goal_setting.projects": "编报绩效目标的项目个数",
    "goal_setting.funds": "涉及项目预算资金",
    "performance.overall_goal": "总体绩效目标",
    "performance.sub_goals[].title": "标题",
    "performance.sub_goals[].goal": "绩效目标",
    "performance.sub_goals[].indicators": "绩效指标",
    "performance.measures[].title": "标题",
    "performance.measures[].text": "内容",
    **{f"indicators[].{k}": v for k, v in _INDICATOR.items()},
    "projects[].name": "项目名称",
    "projects[].goal": "项目绩效目标",
    **{f"projects[].{k}": v for k, v in _PROJECT.items()},
    **{f"projects[].indicators[].{k}": v for k, v in _INDICATOR.items()},
    "procurement.projects[].name": "项目名称",
    "procurement.projects[].budget": "预算资金",
    "procurement.projects[].subtotal": "小计",
    "procurement.projects[].items[].name": "采购物品名称",
    "procurement.projects[].items[].catalogue_code": "政府采购目录序号",
    "procurement.projects[].items[].unit": "计量单位",
    "procurement.projects[].items[].quantity": "数量",
    "procurement.projects[].items[].unit_price": "单价",
    "procurement.projects[].items[].funding": "资金来源",
    "procurement.projects[].items[].sme_reserved": "预留中小微企业份额",
    "procurement.projects[].items[].amount": "金额",
    "procurement.projects[].items[].sme_amount": "预留中小微企业金额",
    "procurement.note": "政府采购说明",
    "procurement.summary.goods": "政府采购货物预算",
    "procurement.summary.works": "政府采购工程预算",
    "procurement.summary.services": "政府采购服务预算",
    "procurement.summary.sme_reserved": "面向中小企业预留金额",
    "procurement.summary.small_micro_reserved": "预留给小型和微型企业金额",
    "procurement.by_category.goods": "货物合计",
    "procurement.by_category.works": "工程合计",
    "procurement.by_category.services": "服务合计",
    "procurement.total": "政府采购预算合计",
    "procurement.funding_totals.*": "政府采购{key}合计",
    "procurement.sme_total": "预留中小微企业份额合计",
    **{f"assets.categories[].{k}": v for k, v in _ASSET.items()},
    **{f"assets.categories[].of_which[].{k}": v for k, v in _ASSET.items()},
    **{f"assets.categories[].parts[].{k}": v for k, v in _ASSET.items()},
    **{f"assets.planned[].{k}": f"拟购置{v}" for k, v in _ASSET.items()},
    **{f"assets.planned[].parts[].{k}": f"拟购置{v}" for k, v in _ASSET.items()},
    **{f"project_funding[].{k}": v for k, v in _FUNDED.items()},
    "assets.as_of": "资产统计日期",
    "assets.total": "固定资产总额",
    "glossary[].term": "名词",
    "glossary[].definition": "解释",
    "planned_asset_purchases": "拟购置固定资产总额",
}

# How a figure is written (money, count, number, percent, year); others are amounts in 万元.
NUMBER_KINDS: dict[str, str] = {
    "year": "year",
    "procurement.projects[].items[].quantity": "count",
    "assets.categories[].quantity": "count",
    "assets.categories[].of_which[].quantity": "number",
    "assets.categories[].parts[].quantity": "number",
    "assets.planned[].quantity": "number",
    "assets.planned[].parts[].quantity": "number",
    "organisation.counts.*": "count",
    "organisation.subordinates": "count",
    "goal_setting.units": "count",
    "goal_setting.projects": "count",
    "indicators[].target.value": "number",
    "projects[].indicators[].target.value": "number",
}

# Not compared: a project's file name (NN-slug) is not published, and renumbering the files
# after an inserted project must not report every later one; order changes show as "moved".
IGNORED = {
    "projects[].key",
    # How a figure was obtained (typed, from the previous year, from the units), not a fact
    # of the published document.
    "budget.from_lines",
    "budget.previous_written",
    "three_public.previous_written",
    "explanation.previous_written",
    "operating_costs.computed",
    "goal_setting.projects_counted",
    "slug",
}

# What moves with the year by its nature; hidden when two different years are compared.
YEAR_MOVING = (
    "year",
    "assets.as_of",
    "budget.previous_",
    "budget.basic_change.",
    "budget.project_change.",
    "budget.total_change.",
    "three_public.previous.",
    "three_public.changes.",
    "explanation.previous.",
    "explanation.fiscal_change.",
    "explanation.changes.",
)


def canonical(pattern: str) -> str:
    """Nested asset categories (其中 of 其中, parts of parts) share the labels of the first
    level, and a department's units the labels of the department's own fields."""
    while pattern.startswith("units[]."):
        pattern = pattern.removeprefix("units[].")
    for nested in ("of_which", "parts"):
        for inner in ("of_which", "parts"):
            while f".{nested}[].{inner}" in pattern:
                pattern = pattern.replace(f".{nested}[].{inner}", f".{inner}")
    return pattern


def label_for(pattern: str) -> str:
    """The human name of a field pattern; the pattern itself if the table lacks it."""
    if pattern in LABELS:
        return LABELS[pattern]
    if pattern.startswith("final."):  # 决算: keyed by what the tables call each fact
        return " › ".join(pattern.split(".")[1:])
    parent, _, key = pattern.rpartition(".")
    if f"{parent}.*" in LABELS:
        return LABELS[f"{parent}.*"].format(key=key)
    return pattern


def number_kind(pattern: str) -> str:
    """How a figure is written: a typed figure (typed_quantity) as the figure it gives
    (quantity), and a field of a mapping (organisation.counts.行政单位) as its mapping's."""
    if pattern.startswith("final.") and "数量 " in pattern:  # 决算: 三公 counts
        return "count"
    if pattern.endswith(".percent"):
        return "percent"
    parent, _, key = pattern.rpartition(".")
    if key.startswith("typed_"):
        key = key.removeprefix("typed_")
        pattern = f"{parent}.{key}" if parent else key
    return NUMBER_KINDS.get(pattern, NUMBER_KINDS.get(f"{parent}.*", "money"))


def section_of(pattern: str) -> str:
    """The part of the disclosure a field belongs to, from its top-level model field."""
    top = re.split(r"[.\[]", pattern, maxsplit=1)[0]
    return SECTIONS.get(top, top)


# --- years ----------------------------------------------------------------------------------

_YEAR = re.compile(r"(?<![0-9])([0-9]{4})(?![0-9])")


def mask_years(text: Any) -> Any:
    """Text with every year-like number masked: how list entries are matched across years,
    so 市招待处2022年度工资 in 2022 is the same project as 市招待处2023年度工资 in 2023."""
    return _YEAR.sub("####", text) if isinstance(text, str) else text


def differs_only_by_year(old: str, new: str, shift: int) -> bool:
    """True when each difference is a year moved on by `shift` (2022年 → 2023年), while
    fixed years (创办于2002年, 冀财外〔2021〕32号) stay the same."""
    a, b = _YEAR.split(old), _YEAR.split(new)  # text, year, text, year, …, text
    if len(a) != len(b):
        return False
    for k, (x, y) in enumerate(zip(a, b, strict=True)):
        if x != y and (k % 2 == 0 or int(y) - int(x) != shift):
            return False
    return True
