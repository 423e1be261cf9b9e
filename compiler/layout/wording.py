"""How a layout's texts write figures and fixed wording: the one place the templates and
the text filters read the layout's wording options from (issue 24, point 2).

A form differs from another in small ways a template copy would repeat everywhere: whole
万元 with thousands separators (1,234万元) or two decimals (1234.00万元), 与上年持平 or
比上年持平, the unit's short name (市财政局) or 本单位. The layout says which under
`options:` (schemas/layout.schema.json); `TextStyle.of(layout)` reads them, with the
defaults every layout before these options printed, so a layout that sets none of them
prints exactly what it printed before.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..numbers import NOT_PUBLISHED_WORD, NotPublished, rounded

# The options' values are listed once, in schemas/layout.schema.json (options), which
# checks every layout; here only the defaults.


@dataclass(frozen=True)
class TextStyle:
    decimals: int = 2  # text_decimals: 2 (1234.50万元) or 0 (whole 万元)
    thousands: bool = False  # text_thousands: 1,234万元
    zero: str | None = None  # zero_in_text: how a zero amount is written (0万元)
    not_published: str = NOT_PUBLISHED_WORD  # not_published: a figure the data gives as 未公开
    unchanged: str = "比"  # 比 or 与, from unchanged_wording
    self_name: str = "单位"  # self_name: 本单位 / 本部门
    short_name: bool = False  # unit_in_text: short_name

    @classmethod
    def of(cls, layout: Any) -> TextStyle:
        options = getattr(layout, "options", None) or {}
        wording = options.get("unchanged_wording", "比…持平")
        return cls(
            decimals=int(options.get("text_decimals", 2)),
            thousands=bool(options.get("text_thousands", False)),
            zero=options.get("zero_in_text"),
            not_published=options.get("not_published", NOT_PUBLISHED_WORD),
            unchanged=wording[0],
            self_name=options.get("self_name", "单位"),
            short_name=options.get("unit_in_text") == "short_name",
        )

    def amount(self, value: Decimal | NotPublished) -> str:
        """An amount in 万元 as the text prints it, without the word 万元."""
        if isinstance(value, NotPublished):  # a template that forgot to ask: never a 0
            return self.not_published
        figure = rounded(value, self.decimals)
        if self.zero is not None and figure == 0:
            return self.zero
        return f"{figure:,}" if self.thousands else str(figure)

    def trimmed(self, value: Decimal | NotPublished) -> str:
        """An amount as the 三公 texts print it: rounded as the text's amounts are, with
        its trailing zeros dropped (25, 21.56, 0) and thousands separators where the layout
        says (1,234.5)."""
        if isinstance(value, NotPublished):
            return self.not_published
        figure = rounded(value, self.decimals)
        text = f"{figure:,}" if self.thousands else str(figure)
        return text.rstrip("0").rstrip(".") if "." in text else text

    def change(self, change: Any, base: str, trim: bool = False) -> str:
        """A change against `base` (2023年预算, 上年) in words: 比上年增加12万元, 比上年减少
        3.50万元, 比上年持平 or 与上年持平. The difference is that of the figures as printed
        (docs/data-format.md, “One arithmetic a reader can check”); `trim` prints it as the
        三公 texts print amounts (25, 21.56: `trimmed`). No change
        (None: last year's figure is 未公开) prints as the form prints a figure it does not
        give: 2024年预算数未公开."""
        if change is None:
            return f"{base}数{self.not_published}"
        difference = change.amount_at(self.decimals)
        if difference == 0:
            return f"{self.unchanged}{base}持平"
        direction = "增加" if difference > 0 else "减少"
        shown = (self.trimmed if trim else self.amount)(abs(difference))
        return f"比{base}{direction}{shown}万元"

    def unit_reference(self, unit: Any) -> str:
        """How the fixed sentences name the unit: 本单位 / 本部门, or its short name where
        the layout says so (unit.yaml short_name; validate requires it there)."""
        if self.short_name and getattr(unit, "short_name", None):
            return unit.short_name
        return f"本{self.self_name}"
