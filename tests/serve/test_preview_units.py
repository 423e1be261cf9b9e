"""The live preview of a department (issue 27, part 3): a save in one unit's folder renders
that unit's page and the department's own part again, not the other units; the pages
served are those a fresh build gives."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import edit
from fixtures.departments import hebei_department

from compiler.input.sources import WorkingTreeYear
from compiler.render import html as html_render
from compiler.serve.preview import Preview

SAID = "我单位无其他需要说明的事项。"  # in every unit.yaml of the made-up department


@pytest.fixture
def department(tmp_path) -> Path:
    return hebei_department(tmp_path)


@pytest.fixture
def rendered(monkeypatch) -> list[str]:
    """The documents rendered, by folder name ('' the department's own part)."""
    done: list[str] = []
    real = html_render._render_one

    def counted(model, **kwargs):
        done.append(model.slug)
        return real(model, **kwargs)

    monkeypatch.setattr(html_render, "_render_one", counted)
    return done


def _without_build_marks(page: bytes) -> str:
    """A served page without what changes with every build (its token and time)."""
    text = page.decode("utf-8")
    text = re.sub(r'var token = "[^"]+"', "", text)
    return re.sub(r"\d\d:\d\d:\d\d", "", text)


def _same_as_a_fresh_build(preview: Preview, department: Path) -> None:
    fresh = Preview(WorkingTreeYear(department, 2022)).rebuild()
    assert sorted(preview.snapshot.pages) == sorted(fresh.pages)
    for slug, page in fresh.pages.items():
        assert _without_build_marks(preview.snapshot.pages[slug]) == _without_build_marks(page), (
            slug
        )


def test_a_save_in_a_unit_renders_that_unit_and_the_department_only(department, rendered):
    preview = Preview(WorkingTreeYear(department, 2022))
    preview.rebuild()
    assert sorted(rendered) == ["", "01-office", "02-centre"], "each unit rendered once"
    rendered.clear()
    saved = department / "2022/units/02-centre/unit.yaml"
    edit(saved, SAID, "本单位无其他需要说明的事项（预览）。")
    snapshot = preview.rebuild([saved])
    assert snapshot.errors == 0
    assert sorted(rendered) == ["", "02-centre"]
    assert "本单位无其他需要说明的事项（预览）。" in snapshot.page("02-centre").decode()
    assert "本单位无其他需要说明的事项（预览）。" in snapshot.page("").decode(), "the package"
    _same_as_a_fresh_build(preview, department)


@pytest.mark.parametrize(
    "saved",
    ["2022/unit.yaml", "2022/units", "../templates-marker.j2"],
    ids=["the department's file", "the units folder", "a template"],
)
def test_a_save_outside_one_unit_renders_every_unit(department, rendered, saved):
    preview = Preview(WorkingTreeYear(department, 2022))
    preview.rebuild()
    rendered.clear()
    preview.rebuild([department / saved])
    assert sorted(rendered) == ["", "01-office", "02-centre"]


def test_a_unit_saved_with_an_error_and_then_fixed_is_shown_as_fixed(department, rendered):
    preview = Preview(WorkingTreeYear(department, 2022))
    preview.rebuild()
    saved = department / "2022/units/01-office/unit.yaml"
    edit(saved, SAID, "本单位无其他需要说明的事项（一）。")
    preview.rebuild([saved])
    text = saved.read_text(encoding="utf-8")
    saved.write_text(text.replace("name: 示例局机关", "name: [未闭合"), encoding="utf-8")
    assert preview.rebuild([saved]).errors >= 1
    saved.write_text(text.replace("（一）", "（二）"), encoding="utf-8")
    snapshot = preview.rebuild([saved])
    assert snapshot.errors == 0
    assert "本单位无其他需要说明的事项（二）。" in snapshot.page("01-office").decode()
    _same_as_a_fresh_build(preview, department)
