"""Compare two computed disclosures: what a reviewer has to check, not what the YAML text did.

The diff walks both models (primary facts and every `@derived` figure, as `to_tree` exports
them), so an edit to one procurement item also shows the subtotal, total and funding column
it moves. List entries are matched by identity (`matching`), so inserting one row reports
one added row, not every row after it as changed. Text is compared character by character
(`chardiff`: Chinese has no spaces to split words at). Each difference is named by the
label table (`diff_labels`).

Comparing two different years is the main use. Then the year itself, the previous-year
baseline, the year-over-year changes computed from it, and texts that differ only by the
year number (2022年 → 2023年) are not reported unless asked for (`show_all`): they move
with the year and would drown what changed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from ..model.disclosure import Change, Disclosure, derived_names, to_tree
from ..model.final import FinalAccounts
from ..numbers import NotPublished
from .chardiff import Budget, char_diff
from .diff_final import final_facts
from .diff_labels import (
    IGNORED,
    LABELS,
    SECTION_ORDER,
    YEAR_MOVING,
    canonical,
    differs_only_by_year,
    label_for,
    mask_years,
    number_kind,
    section_of,
)
from .matching import LISTS, as_is, match_entries, out_of_order, reading_order


@dataclass(frozen=True)
class Entry:
    """One difference. `kind`: figure, text, value (a flag or an absent value), added,
    removed or moved. For added/removed, `old`/`new` hold the list entry itself."""

    kind: str  # also appeared/vanished: a part on one side only, its computed figures counted
    section: str
    path: str  # the field with list entries named by identity: items[A02010104 台式计算机]
    label: str
    old: Any = None
    new: Any = None
    derived: bool = False
    number: str = "money"  # how a figure is written: money, count, number, percent or year
    summary: str = ""  # added/removed: the entry in one line
    budget: Budget | None = field(default=None, repr=False, compare=False)  # the diff's

    @property
    def change(self) -> Decimal | None:
        if self.kind != "figure" or self.old is None or self.new is None:
            return None
        return Decimal(self.new) - Decimal(self.old)

    @property
    def percent(self) -> Decimal | None:
        """Percentage change; None when undefined (from zero), for a percentage or a year."""
        if self.change is None or self.number in ("percent", "year") or Decimal(self.old) == 0:
            return None
        return self.change / abs(Decimal(self.old)) * 100  # from −1.00 to 0.33 is a rise

    @cached_property
    def ops(self) -> list[tuple[str, str]]:
        """The text's character diff, computed once, within the diff's shared budget."""
        return char_diff(self.old or "", self.new or "", budget=self.budget)


@dataclass(frozen=True)
class ModelDiff:
    old_label: str
    new_label: str
    old_year: int
    new_year: int
    entries: tuple[Entry, ...]
    hidden: int = 0  # differences that only follow the year, left out

    @property
    def same(self) -> bool:
        return not self.entries

    def counts(self) -> dict[str, int]:
        kinds = [e.kind for e in self.entries]
        return {
            "figures": kinds.count("figure"),
            "computed": sum(1 for e in self.entries if e.kind == "figure" and e.derived),
            "texts": kinds.count("text") + kinds.count("value"),
            "added": kinds.count("added"),
            "removed": kinds.count("removed"),
            "moved": kinds.count("moved"),
            "appeared": kinds.count("appeared"),
            "vanished": kinds.count("vanished"),
            "hidden": self.hidden,
        }


class _Walker:
    def __init__(self, old: Disclosure, new: Disclosure, show_all: bool):
        cross_year = old.year != new.year
        self.shift = new.year - old.year
        self.hide_year_moving = cross_year and not show_all
        self.norm = mask_years if cross_year else as_is  # identity across years: always
        self.entries: list[Entry] = []
        self.hidden = 0
        self.budget = Budget()  # the character diffs of all its texts share one bound
        self.models = (old, new)
        self.summarise = not show_all  # a part on one side only: its computed figures counted
        self._in_one_sided = False

    def add(self, entry: Entry, pattern: str) -> None:
        if self.hide_year_moving and any(pattern.startswith(p) for p in YEAR_MOVING):
            self.hidden += 1
        else:
            self.entries.append(entry)

    def walk(self, old, new, pattern: str, path: str, label: str | None, derived: bool) -> None:
        """Compare two values at one place of the model. `label` names the enclosing list
        entry (None outside lists); `derived` is inherited by everything below a derived field."""
        if isinstance(old, FinalAccounts) or isinstance(new, FinalAccounts):
            # 决算: its facts by what the tables call them, keyed by code (final_facts)
            olds = final_facts(old) if old is not None else (None, None)
            news = final_facts(new) if new is not None else (None, None)
            for part, is_derived in ((0, False), (1, True)):
                self.walk(
                    olds[part],
                    news[part],
                    pattern,
                    path,
                    label,
                    derived or is_derived,
                )
        elif _part(old, new):
            # A part present on one side only (a year that adds its budget lines) is
            # compared field by field against nothing: its facts are listed, and its
            # computed figures, all "— → …", are counted in one line (--all lists them).
            one_sided = (old is None) != (new is None) and self.summarise
            one_sided = one_sided and not self._in_one_sided
            start = len(self.entries)
            self._in_one_sided = self._in_one_sided or one_sided
            for name, is_derived in _fields(old if old is not None else new):
                self.walk(
                    getattr(old, name, None),
                    getattr(new, name, None),
                    _join(pattern, name),
                    _join(path, name),
                    label,
                    derived or is_derived,
                )
            if one_sided:
                self._in_one_sided = False
                self._count_computed(start, appeared=old is None, pattern=pattern, path=path)
        elif _both(old, new, dict):
            old, new = old or {}, new or {}
            for key in dict.fromkeys([*old, *new]):
                self.walk(
                    old.get(key),
                    new.get(key),
                    _join(pattern, key),
                    _join(path, key),
                    label,
                    derived,
                )
        elif _both(old, new, (list, tuple)):
            self.walk_list(list(old or ()), list(new or ()), pattern, path, label, derived)
        else:
            self.leaf(old, new, pattern, path, label, derived)

    def _count_computed(self, start: int, appeared: bool, pattern: str, path: str) -> None:
        """The computed figures of a part on one side only, entries from `start` on, as
        one entry: how many, and the statutory tables they print."""
        found = self.entries[start:]
        computed = [e for e in found if e.kind == "figure" and e.derived]
        if len(computed) < 2:
            return
        model = self.models[1] if appeared else self.models[0]
        self.entries[start:] = [e for e in found if e not in computed] + [
            Entry(
                "appeared" if appeared else "vanished",
                computed[0].section,
                path,
                label_for(pattern) if label_for(pattern) != pattern else computed[0].section,
                new=len(computed),
                derived=True,
                summary=_tables_of(model) if pattern == "lines" else "",
            )
        ]

    def walk_list(self, olds, news, pattern, path, label, derived) -> None:
        spec = LISTS.get(pattern)
        if spec is None:  # a list without identity: compare it as one value
            self.leaf(to_tree(olds), to_tree(news), pattern, path, label, derived)
            return
        matched = match_entries(spec, olds, news, self.norm)
        moved = out_of_order(matched)
        section = section_of(pattern)
        for i, j in reading_order(matched, len(olds), len(news)):
            entry = news[j] if j is not None else olds[i]
            position = (j if j is not None else i) + 1
            own = spec.label(entry, position)
            entry_label = " › ".join(x for x in (label or spec.title, own) if x)
            entry_path = f"{path}[{spec.path_key(entry, position)}]"
            if i is None or j is None:
                kind = "added" if i is None else "removed"
                self.entries.append(
                    Entry(
                        kind,
                        section,
                        entry_path,
                        entry_label,
                        old=olds[i] if i is not None else None,
                        new=news[j] if j is not None else None,
                        summary=spec.summary(entry),
                    )
                )
                continue
            if j in moved:
                self.entries.append(
                    Entry("moved", section, entry_path, entry_label, old=i + 1, new=j + 1)
                )
            self.walk(olds[i], news[j], pattern + "[]", entry_path, entry_label, derived)

    def leaf(self, old, new, pattern, path, label, derived) -> None:
        old, new = _plain(old), _plain(new)
        if old == new or pattern in IGNORED:
            return
        name = label_for(pattern)
        if label is not None:
            name = label if pattern.endswith("[]") else f"{label} › {name}"
        section = section_of(pattern)
        if _is_number(old) or _is_number(new):
            if (old is None or _is_number(old)) and (new is None or _is_number(new)):
                entry = Entry(
                    "figure", section, path, name, old, new, derived, number_kind(pattern)
                )
                self.add(entry, pattern)
                return
        if isinstance(old, str) or isinstance(new, str):
            if (
                self.hide_year_moving
                and isinstance(old, str)
                and isinstance(new, str)
                and differs_only_by_year(old, new, self.shift)
            ):
                self.hidden += 1
                return
            self.add(
                Entry("text", section, path, name, old, new, derived, budget=self.budget),
                pattern,
            )
            return
        self.add(Entry("value", section, path, name, old, new, derived), pattern)


def _tables_of(model: Disclosure) -> str:
    """The titles of the statutory tables a model prints (they are computed from its
    budget lines), joined with 、."""
    from ..layout.sections import shown_tables
    from ..layout.tables import build

    return "、".join(build(spec, model).title for spec in shown_tables(model))


def _part(old, new) -> bool:
    """Both sides are model objects, or one is and the other is absent."""
    is_part = dataclasses.is_dataclass
    return (
        (is_part(old) or old is None)
        and (is_part(new) or new is None)
        and (is_part(old) or is_part(new))
    )


def _both(old, new, kinds) -> bool:
    """Both sides are of `kinds`, or one is and the other is absent."""
    return (
        (isinstance(old, kinds) or old is None)
        and (isinstance(new, kinds) or new is None)
        and (isinstance(old, kinds) or isinstance(new, kinds))
    )


def _fields(obj) -> list[tuple[str, bool]]:
    """The model's fields as to_tree exports them; a Change's previous/current are left out
    because they repeat figures shown in their own place."""
    names = (
        []
        if isinstance(obj, Change)
        else [
            (f.name, bool(f.metadata.get("derived")))
            for f in dataclasses.fields(obj)
            if not f.metadata.get("origin")
        ]
    )
    return names + [(name, True) for name in derived_names(type(obj))]


def _plain(value):
    if isinstance(value, NotPublished):
        return str(value)  # 未公开: text, never a number to subtract
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, str):
        return str(value)
    return value


def _is_number(value) -> bool:
    return isinstance(value, Decimal)


def _join(base: str, name: Any) -> str:
    return canonical(f"{base}.{name}") if base else str(name)


def diff_models(
    old: Disclosure,
    new: Disclosure,
    *,
    old_label: str = "",
    new_label: str = "",
    show_all: bool = False,
) -> ModelDiff:
    """Every difference between two models, grouped by section in publication order."""
    walker = _Walker(old, new, show_all)
    walker.walk(old, new, "", "", None, False)
    entries = sorted(walker.entries, key=lambda e: SECTION_ORDER.index(e.section))
    return ModelDiff(
        old_label or str(old.year),
        new_label or str(new.year),
        old.year,
        new.year,
        tuple(entries),
        walker.hidden,
    )


__all__ = [
    "Entry",
    "LABELS",
    "ModelDiff",
    "char_diff",
    "diff_models",
    "canonical",
    "label_for",
]
