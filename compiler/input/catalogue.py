"""The classification catalogue (政府收支分类科目): codes and their official names, per year.

Staff type codes; the names printed in the tables come from here, so a name cannot drift
from its code. The catalogue is data (compiler/catalogue/<year>/function.csv and
economic.csv, `code,name`), so a new year is a new folder, not new code. A year without its
own folder uses the latest earlier one (the catalogue changes little from year to year),
and says so.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from functools import cache

from ..errors import Trouble
from ..i18n import _
from ..paths import CATALOGUE_DIR

KINDS = ("function", "economic")  # a year's catalogue: function.csv and economic.csv


class CatalogueError(Trouble):
    """No catalogue for a year (an installation problem, not a data error)."""


@dataclass(frozen=True)
class Catalogue:
    year: int  # the catalogue's own year (may be earlier than the disclosure's)
    function: dict[str, str] = field(hash=False, repr=False)
    economic: dict[str, str] = field(hash=False, repr=False)

    def names(self, kind: str) -> dict[str, str]:
        return self.function if kind == "function" else self.economic

    def name(self, kind: str, code: str) -> str:
        return self.names(kind)[code]

    def has(self, kind: str, code: str) -> bool:
        return code in self.names(kind)

    def suggest(self, kind: str, code: str, limit: int = 3) -> list[tuple[str, str]]:
        """Valid codes nearest to a wrong one: first those one mistyped digit away, then
        those of the same 款 (else the same 类) nearest in number, then the closest by
        spelling (two swapped digits)."""
        names = self.names(kind)
        same_length = [c for c in names if len(c) == len(code)]
        one_digit = [
            c for c in same_length if sum(a != b for a, b in zip(c, code, strict=True)) == 1
        ]
        family: list[str] = []
        for digits in (5, 3):
            if len(code) > digits:
                family = [c for c in same_length if c.startswith(code[:digits])]
            if family:
                break
        if code.isdigit():
            family.sort(key=lambda c: abs(int(c) - int(code)))
        import difflib  # only for a code not in the catalogue

        close = difflib.get_close_matches(code, same_length, n=limit, cutoff=0.7)
        ordered = list(dict.fromkeys(one_digit[:1] + family[:limit] + close))[:limit]
        return [(c, names[c]) for c in ordered]


def _read(year: int, kind: str) -> dict[str, str]:
    text = (CATALOGUE_DIR / str(year) / f"{kind}.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO(text))
    return {row["code"].strip(): row["name"].strip() for row in rows}


def catalogue_years() -> list[int]:
    if not CATALOGUE_DIR.is_dir():
        return []
    return sorted(
        int(p.name)
        for p in CATALOGUE_DIR.iterdir()
        if p.name.isdigit() and all((p / f"{k}.csv").is_file() for k in KINDS)
    )


@cache
def catalogue_for(year: int) -> Catalogue:
    """The catalogue for `year`: its own, else the latest earlier one, else the earliest."""
    years = catalogue_years()
    if not years:
        raise CatalogueError(
            _("no classification catalogue installed in {folder}").format(folder=CATALOGUE_DIR)
        )
    earlier = [y for y in years if y <= year]
    chosen = earlier[-1] if earlier else years[0]
    return Catalogue(chosen, _read(chosen, "function"), _read(chosen, "economic"))


def split_code(code: str) -> tuple[str, str, str]:
    """'2010507' → ('201', '05', '07'); '30101' → ('301', '01', '')."""
    return code[:3], code[3:5], code[5:7]
