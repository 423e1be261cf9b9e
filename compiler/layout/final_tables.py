"""The nine 决算 tables of the Shanghai 部门决算 template, as grids: queries over the final
accounts' lines (model.final), laid out once here and drawn by any format's one table macro.

Each grid has a title, its unit, header rows of (text, colspan, rowspan) cells, body rows of
cells (text, and a class: code, name, amount), and the note printed when it is empty. The
amounts print as the template does: 万元, two decimals, thousands separated, a zero blank.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..model.final import FUNDS, ZERO, FinalAccounts, Row
from ..numbers import money_value
from .tables import THREE_PUBLIC_FIELDS

CLASS_NAMES = (  # the 收入支出决算总表's 26 类 of spending, in the template's order
    ("201", "一般公共服务支出"),
    ("202", "外交支出"),
    ("203", "国防支出"),
    ("204", "公共安全支出"),
    ("205", "教育支出"),
    ("206", "科学技术支出"),
    ("207", "文化旅游体育与传媒支出"),
    ("208", "社会保障和就业支出"),
    ("210", "卫生健康支出"),
    ("211", "节能环保支出"),
    ("212", "城乡社区支出"),
    ("213", "农林水支出"),
    ("214", "交通运输支出"),
    ("215", "资源勘探工业信息等支出"),
    ("216", "商业服务业等支出"),
    ("217", "金融支出"),
    ("219", "援助其他地区支出"),
    ("220", "自然资源海洋气象等支出"),
    ("221", "住房保障支出"),
    ("222", "粮油物资储备支出"),
    ("223", "国有资本经营预算支出"),
    ("224", "灾害防治及应急管理支出"),
    ("229", "其他支出"),
    ("231", "债务还本支出"),
    ("232", "债务付息支出"),
    ("234", "抗疫特别国债安排的支出"),
)
NUMERALS = ("一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、", "九、", "十、")


def cn_item(i: int) -> str:
    """一、… 二十六、: the template's item numbers."""
    digits = "一二三四五六七八九"
    if i <= 10:
        return NUMERALS[i - 1]
    tens, ones = divmod(i, 10)
    return (
        ("十" if tens == 1 else digits[tens - 1] + "十") + (digits[ones - 1] if ones else "") + "、"
    )


def amount(value: Decimal | None, zero: str = "") -> str:
    """2,940.05; blank for zero (the template leaves an empty cell)."""
    if value is None or not value:
        return zero
    return f"{money_value(value):,}"


@dataclass
class Grid:
    id: str
    title: str
    unit: str = "万元"
    header: list[list[tuple[str, int, int]]] = field(default_factory=list)
    rows: list[list[tuple[str, str]]] = field(default_factory=list)
    note: str | None = None

    @property
    def columns(self) -> int:
        return sum(c for _t, c, _r in self.header[0]) if self.header else 0

    @property
    def flat_header(self) -> list[str]:
        """One label a column (the header's cells above it, joined by ·): for formats
        without merged cells (Markdown)."""
        width = self.columns
        grid: list[list[str | None]] = [[None] * width for _ in self.header]
        for r, hrow in enumerate(self.header):
            c = 0
            for text, colspan, rowspan in hrow:
                while c < width and grid[r][c] is not None:
                    c += 1
                for dr in range(rowspan):
                    for dc in range(colspan):
                        if r + dr < len(grid) and c + dc < width:
                            grid[r + dr][c + dc] = text
                c += colspan
        labels = []
        for c in range(width):
            parts: list[str] = []
            for r in range(len(grid)):
                if grid[r][c] and (not parts or parts[-1] != grid[r][c]):
                    parts.append(grid[r][c])
            labels.append("·".join(parts))
        return labels


def _code_cells(row: Row) -> list[tuple[str, str]]:
    if row.level == "total":
        return [("", "code"), ("", "code"), ("", "code"), ("合计", "name")]
    return [
        (row.class_code, "code"),
        (row.kuan if row.level in ("款", "项") else "", "code"),
        (row.item if row.level == "项" else "", "code"),
        (row.name, "name"),
    ]


def _function_header(*columns: str, first: str = "项目") -> list[list[tuple[str, int, int]]]:
    return [
        [(first, 4, 1), *((c, 1, 3) for c in columns)],
        [("支出功能分类科目编码", 3, 1), ("科目名称", 1, 2)],
        [("类", 1, 1), ("款", 1, 1), ("项", 1, 1)],
    ]


def overview(f: FinalAccounts, unit_name: str) -> Grid:
    """收入支出决算总表."""
    g = Grid("overview", "收入支出决算总表")
    g.header = [
        [("收入", 2, 1), ("支出", 2, 1)],
        [("项目", 1, 1), ("决算数", 1, 1), ("项目", 1, 1), ("决算数", 1, 1)],
    ]
    t = f.income_total
    income = [
        ("一般公共预算财政拨款收入", t["general"]),
        ("政府性基金预算财政拨款收入", t["fund"]),
        ("国有资本经营预算财政拨款收入", t["capital"]),
        ("上级补助收入", t["superior"]),
        ("事业收入", t["business"]),
        ("经营收入", t["operating"]),
        ("附属单位上缴收入", t["affiliated"]),
        ("其他收入", t["other"]),
    ]
    spent = {r.code: r["total"] for r in f.class_spending()}
    for i, (code, name) in enumerate(CLASS_NAMES):
        left = (
            (cn_item(i + 1) + income[i][0], amount(income[i][1])) if i < len(income) else ("", "")
        )
        g.rows.append(
            [
                (left[0], "name"),
                (left[1], "amount"),
                (cn_item(i + 1) + name, "name"),
                (amount(spent.get(code)), "amount"),
            ]
        )
    g.rows += [
        [
            ("本年收入合计", "total"),
            (amount(f.income_this_year), "amount"),
            ("本年支出合计", "total"),
            (amount(f.spending_this_year), "amount"),
        ],
        [
            ("使用非财政拨款结余（含专用结余）", "name"),
            (amount(f.non_fiscal_balance_used), "amount"),
            ("结余分配", "name"),
            (amount(f.surplus_distributed), "amount"),
        ],
        [
            ("年初结转和结余", "name"),
            (amount(f.opening_all), "amount"),
            ("年末结转和结余", "name"),
            (amount(f.closing_all), "amount"),
        ],
        [
            ("总计", "total"),
            (amount(f.grand_total), "amount"),
            ("总计", "total"),
            (amount(f.spending_this_year + f.surplus_distributed + f.closing_all), "amount"),
        ],
    ]
    return g


def income(f: FinalAccounts, unit_name: str) -> Grid:
    """收入决算表."""
    g = Grid("income", "收入决算表")
    cols = (
        "本年收入合计",
        "财政拨款收入",
        "上级补助收入",
        "事业收入",
        "经营收入",
        "附属单位上缴收入",
        "其他收入",
    )
    g.header = _function_header(*cols)
    keys = f.INCOME_COLUMNS
    for row in [f.income_total, *f.income_rows]:
        g.rows.append([*_code_cells(row), *((amount(row[k]), "amount") for k in keys)])
    return g


def expenditure(f: FinalAccounts, unit_name: str) -> Grid:
    """支出决算表."""
    g = Grid("expenditure", "支出决算表")
    cols = (
        "本年支出合计",
        "基本支出",
        "项目支出",
        "上缴上级支出",
        "经营支出",
        "对附属单位补助支出",
    )
    g.header = _function_header(*cols)
    keys = f.SPENDING_COLUMNS
    for row in [f.spending_total(), *f.spending_rows()]:
        g.rows.append([*_code_cells(row), *((amount(row[k]), "amount") for k in keys)])
    return g


def fiscal_overview(f: FinalAccounts, unit_name: str) -> Grid:
    """财政拨款收入支出决算总表."""
    g = Grid("fiscal_overview", "财政拨款收入支出决算总表")
    g.header = [
        [("收入", 2, 1), ("支出", 5, 1)],
        [
            ("项目", 1, 1),
            ("决算数", 1, 1),
            ("项目", 1, 1),
            ("合计", 1, 1),
            ("一般公共预算财政拨款", 1, 1),
            ("政府性基金预算财政拨款", 1, 1),
            ("国有资本经营预算财政拨款", 1, 1),
        ],
    ]
    income = [
        ("一、一般公共预算财政拨款", f.fiscal_income("general")),
        ("二、政府性基金预算财政拨款", f.fiscal_income("fund")),
        ("三、国有资本经营预算财政拨款", f.fiscal_income("capital")),
    ]
    spent = {r.code: r for r in f.class_spending()}
    for i, (code, name) in enumerate(CLASS_NAMES):
        left = income[i] if i < len(income) else ("", None)
        r = spent.get(code)
        g.rows.append(
            [
                (left[0], "name"),
                (amount(left[1]), "amount"),
                (cn_item(i + 1) + name, "name"),
                *((amount(r[k] if r else ZERO), "amount") for k in ("fiscal", *FUNDS)),
            ]
        )
    blank = [("", "amount")] * 4
    g.rows.append(
        [
            ("本年收入合计", "total"),
            (amount(f.fiscal_income_total), "amount"),
            ("本年支出合计", "total"),
            (amount(f.fiscal_spending_total), "amount"),
            *((amount(f.fiscal_spending(k)), "amount") for k in FUNDS),
        ]
    )
    g.rows.append(
        [
            ("年初财政拨款结转和结余", "name"),
            (amount(f.fiscal_opening_total), "amount"),
            ("年末财政拨款结转和结余", "name"),
            (amount(f.fiscal_closing_total), "amount"),
            *((amount(f.closing(k)), "amount") for k in FUNDS),
        ]
    )
    for i, label in enumerate(
        ("一、一般公共预算财政拨款", "二、政府性基金预算财政拨款", "三、国有资本经营预算财政拨款")
    ):
        g.rows.append(
            [(label, "name"), (amount(f.opening(FUNDS[i])), "amount"), ("", "name"), *blank]
        )
    g.rows.append(
        [
            ("总计", "total"),
            (amount(f.fiscal_grand_total), "amount"),
            ("总计", "total"),
            (amount(f.fiscal_spending_total + f.fiscal_closing_total), "amount"),
            *((amount(f.fiscal_spending(k) + f.closing(k)), "amount") for k in FUNDS),
        ]
    )
    return g


def general_function(f: FinalAccounts, unit_name: str) -> Grid:
    """一般公共预算财政拨款支出决算表 (合计 as the last row, as the template prints it)."""
    g = Grid("general_function", "一般公共预算财政拨款支出决算表")
    g.header = _function_header("合计", "基本支出", "项目支出")
    for row in [*f.general_rows, f.general_total]:
        g.rows.append(
            [
                *_code_cells(row),
                *((amount(row[k]), "amount") for k in ("total", "basic", "project")),
            ]
        )
    return g


def general_economic(f: FinalAccounts, unit_name: str) -> Grid:
    """一般公共预算财政拨款基本支出决算表: 人员经费 (301, 303) left, 公用经费 (302, 310)
    right, each 类 then its 款 with spending."""
    g = Grid("general_economic", "一般公共预算财政拨款基本支出决算表")
    g.header = [
        [
            ("经济分类科目编码", 2, 1),
            ("科目名称", 1, 2),
            ("决算数", 1, 2),
            ("经济分类科目编码", 2, 1),
            ("科目名称", 1, 2),
            ("决算数", 1, 2),
        ],
        [("类", 1, 1), ("款", 1, 1), ("类", 1, 1), ("款", 1, 1)],
    ]
    rows = f.economic_rows
    left = [r for r in rows if r.code[:3] in ("301", "303")]
    right = [r for r in rows if r.code[:3] not in ("301", "303")]

    def cells(r):
        if r is None:
            return [("", "code"), ("", "code"), ("", "name"), ("", "amount")]
        return [
            (r.code[:3], "code"),
            (r.code[3:] if r.level == "款" else "", "code"),
            (r.name, "name"),
            (amount(r["amount"]), "amount"),
        ]

    for i in range(max(len(left), len(right))):
        g.rows.append(
            [
                *cells(left[i] if i < len(left) else None),
                *cells(right[i] if i < len(right) else None),
            ]
        )
    g.rows.append(
        [
            ("人员经费合计", "total"),
            ("", "code"),
            ("", "name"),
            (amount(f.personnel), "amount"),
            ("公用经费合计", "total"),
            ("", "code"),
            ("", "name"),
            (amount(f.public), "amount"),
        ]
    )
    return g


def three_public(f: FinalAccounts, unit_name: str) -> Grid:
    """财政拨款“三公”经费支出决算表: 预算数 and 决算数 of each item."""
    g = Grid("three_public", "财政拨款“三公”经费支出决算表")
    g.header = [
        [
            ("合计", 2, 2),
            ("因公出国（境）费", 2, 2),
            ("公务用车购置及运行费", 6, 1),
            ("公务接待费", 2, 2),
        ],
        [("小计", 2, 1), ("公务用车购置费", 2, 1), ("公务用车运行费", 2, 1)],
        [("预算数", 1, 1), ("决算数", 1, 1)] * 6,
    ]
    t = f.three_public
    cells = []
    for k in THREE_PUBLIC_FIELDS:
        cells += [
            (amount(t[k].base) if t[k].known else "未公开", "amount"),
            (amount(t[k].current), "amount"),
        ]
    g.rows.append(cells)
    return g


def _fund_table(
    f: FinalAccounts, unit_name: str, fund: str, gid: str, title: str, what: str
) -> Grid:
    g = Grid(gid, title)
    g.header = [
        [
            ("项目", 4, 1),
            ("年初结转和结余", 1, 3),
            ("本年收入", 1, 3),
            ("本年支出", 3, 1),
            ("年末结转和结余", 1, 3),
        ],
        [
            ("支出功能分类科目编码", 3, 1),
            ("科目名称", 1, 2),
            ("小计", 1, 2),
            ("基本支出", 1, 2),
            ("项目支出", 1, 2),
        ],
        [("类", 1, 1), ("款", 1, 1), ("项", 1, 1)],
    ]
    rows = f.fund_rows(fund)
    for row in rows:
        g.rows.append(
            [
                *_code_cells(row),
                ("", "amount"),
                ("", "amount"),
                *((amount(row[k]), "amount") for k in ("total", "basic", "project")),
                ("", "amount"),
            ]
        )
    total = f.fund_rows(fund) and f.spending_total((fund,))
    g.rows.append(
        [
            ("", "code"),
            ("", "code"),
            ("", "code"),
            ("合计", "name"),
            (amount(f.opening(fund)), "amount"),
            (amount(f.fiscal_income(fund)), "amount"),
            *(
                (amount(total[k] if total else ZERO), "amount")
                for k in ("total", "basic", "project")
            ),
            (amount(f.closing(fund)), "amount"),
        ]
    )
    if not rows and not f.opening(fund) and not f.fiscal_income(fund):
        g.note = f"注：{unit_name}无{what}，故本表无数据。"
    return g


def fund_function(f: FinalAccounts, unit_name: str) -> Grid:
    return _fund_table(
        f,
        unit_name,
        "fund",
        "fund_function",
        "政府性基金预算财政拨款收入支出决算表",
        "政府性基金预算财政拨款支出",
    )


def capital_function(f: FinalAccounts, unit_name: str) -> Grid:
    return _fund_table(
        f,
        unit_name,
        "capital",
        "capital_function",
        "国有资本经营预算财政拨款收入支出决算表",
        "国有资本经营预算财政拨款支出",
    )


TABLES = (
    overview,
    income,
    expenditure,
    fiscal_overview,
    general_function,
    general_economic,
    three_public,
    fund_function,
    capital_function,
)


def final_tables(model) -> list[Grid]:
    """The nine tables of a year's final accounts, in the template's order."""
    return [table(model.final, model.unit.name) for table in TABLES]
