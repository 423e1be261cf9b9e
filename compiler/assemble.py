"""Assemble the year's model from its schema-valid documents.

Only primary facts are read here; every total and change is a property of the model.
"""

from __future__ import annotations

from datetime import date

from .loader import Document, dotted
from .model import (
    AssetCategory,
    Assets,
    Budget,
    Disclosure,
    Expenditure,
    Income,
    Indicator,
    Measure,
    OperatingCosts,
    Origin,
    Performance,
    Procurement,
    ProcurementItem,
    ProcurementProject,
    Project,
    Prose,
    SubGoal,
    Target,
    Term,
    ThreePublic,
    ThreePublicItems,
    Unit,
)
from .paths import PROJECTS_DIR

THREE_PUBLIC_REASONS = ("overseas", "vehicles", "reception")


class _Reader:
    """Reads one document's values, attaching locations to prose and model objects."""

    def __init__(self, doc: Document):
        self.doc = doc

    def origin(self, *path) -> Origin:
        return Origin(self.doc.file, tuple(path), self.doc.locate, self.doc.locate_key)

    def prose(self, value: str | None, *path) -> Prose | None:
        if value is None:
            return None
        location = self.doc.locate(path)
        first_line = location.line + (1 if tuple(path) in self.doc.block_scalars else 0)
        return Prose(value, location, first_line, dotted(path))


def assemble(year: int, docs: dict[str, Document]) -> Disclosure:
    unit_r = _Reader(docs["unit.yaml"])
    unit_d = unit_r.doc.data
    u = unit_d["unit"]
    return Disclosure(
        year=year,
        unit=Unit(
            name=u["name"],
            scope=u.get("scope", ""),
            code=u["code"],
            city=u["city"],
            self_reference=u["self_reference"],
            nature=u["nature"],
            level=u["level"],
            funding_form=u["funding_form"],
        ),
        legal_bases=tuple(unit_d["legal_bases"]),
        duties=tuple(unit_r.prose(d, "duties", i) for i, d in enumerate(unit_d["duties"])),
        other_matters=unit_r.prose(unit_d["other_matters"], "other_matters"),
        budget=_budget(_Reader(docs["budget.yaml"])),
        operating_costs=_operating_costs(_Reader(docs["operating-costs.yaml"])),
        three_public=_three_public(_Reader(docs["three-public.yaml"])),
        performance=_performance(_Reader(docs["performance.yaml"])),
        indicators=_indicators(_Reader(docs["indicators.yaml"]), ("indicators",)),
        projects=tuple(
            _project(name, _Reader(doc))
            for name, doc in sorted(docs.items())
            if name.startswith(PROJECTS_DIR + "/")
        ),
        procurement=_procurement(_Reader(docs["procurement.yaml"])),
        assets=_assets(docs["assets.yaml"], year),
        glossary=_glossary(_Reader(docs["glossary.yaml"])),
    )


def _budget(r: _Reader) -> Budget:
    d = r.doc.data
    e = d["expenditure"]
    reasons = d.get("change_reasons", {})
    return Budget(
        income=Income(**d["income"]),
        expenditure=Expenditure(**e),
        previous_basic=d["previous_year"]["basic"],
        previous_project=d["previous_year"]["project"],
        basic_reason=reasons.get("basic"),
        project_reason=reasons.get("project"),
        src=r.origin(),
    )


def _operating_costs(r: _Reader) -> OperatingCosts:
    d = r.doc.data
    return OperatingCosts(amount=d["amount"], main_uses=d["main_uses"], src=r.origin())


def _three_public(r: _Reader) -> ThreePublic:
    d = r.doc.data
    return ThreePublic(
        current=ThreePublicItems(**d["current"]),
        previous=ThreePublicItems(**d["previous"]),
        reasons={part: d.get("reasons", {}).get(part) for part in THREE_PUBLIC_REASONS},
        src=r.origin(),
    )


def _performance(r: _Reader) -> Performance:
    d = r.doc.data
    return Performance(
        overall_goal=r.prose(d["overall_goal"], "overall_goal"),
        sub_goals=tuple(
            SubGoal(
                title=g["title"],
                goal=r.prose(g["goal"], "sub_goals", i, "goal"),
                indicators=r.prose(g["indicators"], "sub_goals", i, "indicators"),
            )
            for i, g in enumerate(d["sub_goals"])
        ),
        measures=tuple(
            Measure(title=m["title"], text=r.prose(m["text"], "measures", i, "text"))
            for i, m in enumerate(d["measures"])
        ),
    )


def _indicators(r: _Reader, base: tuple) -> tuple[Indicator, ...]:
    rows = r.doc.data
    for key in base:
        rows = rows[key]
    return tuple(
        Indicator(
            level1=row["level1"],
            level2=row["level2"],
            name=row["name"],
            description=r.prose(row["description"], *base, i, "description"),
            target=Target(**row["target"]),
            basis=row["basis"],
            scoring=r.prose(row.get("scoring"), *base, i, "scoring"),
            src=r.origin(*base, i),
        )
        for i, row in enumerate(rows)
    )


def _project(name: str, r: _Reader) -> Project:
    d = r.doc.data
    key = name.removeprefix(PROJECTS_DIR + "/").removesuffix(".yaml")
    return Project(
        key=key,
        name=d["name"],
        goal=r.prose(d["goal"], "goal"),
        indicators=_indicators(r, ("indicators",)),
        src=r.origin(),
    )


def _procurement(r: _Reader) -> Procurement:
    d = r.doc.data
    return Procurement(
        projects=tuple(
            ProcurementProject(
                name=p["name"],
                budget=p["budget"],
                items=tuple(
                    ProcurementItem(**item, src=r.origin("projects", i, "items", j))
                    for j, item in enumerate(p["items"])
                ),
                src=r.origin("projects", i),
            )
            for i, p in enumerate(d["projects"])
        ),
        note=r.prose(d.get("note"), "note"),
        src=r.origin(),
    )


def _asset_category(d: dict) -> AssetCategory:
    return AssetCategory(
        name=d["name"],
        unit=d.get("unit"),
        quantity=d.get("quantity"),
        value=d.get("value"),
        of_which=tuple(_asset_category(c) for c in d.get("of_which", ())),
    )


def _assets(doc: Document, year: int) -> Assets:
    return Assets(
        categories=tuple(_asset_category(c) for c in doc.data["categories"]),
        as_of=date(year - 1, 12, 31),  # 上年末: the table reports the end of the previous year
    )


def _glossary(r: _Reader) -> tuple[Term, ...]:
    return tuple(
        Term(term=t["term"], definition=r.prose(t["definition"], "terms", i, "definition"))
        for i, t in enumerate(r.doc.data["terms"])
    )
