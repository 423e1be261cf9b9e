"""A 三公 reason the layout's form does not print is an error at its line, never dropped
without a word: the Hebei text gives reasons for 因公出国（境）费, 公务用车购置及运维费 and
公务接待费 only, the Putuo 2023 text none for 公务车购置及运行费 as a whole (each layout's
`prints: {reason: […]}`).

Made-up data only: copies of data/2022 and examples/wanli/data/2023 under tmp_path.
"""

from __future__ import annotations

import shutil

from conftest import DATA, ROOT, edit, line_of
from fixtures.years import invoke


def test_a_hebei_reason_for_a_part_its_text_does_not_explain_is_an_error(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA / "2022", data / "2022")
    path = data / "2022" / "three-public.yaml"
    edit(path, "reasons:\n", "reasons:\n  vehicle_operation: 压减公车运行经费\n")
    result = invoke("--lang", "en", "validate", "2022", "--data", str(data))
    assert result.exit_code == 1, result.output
    line = line_of(path, "vehicle_operation: 压减")
    assert f"2022/three-public.yaml:{line}:" in result.output, result.output
    assert (
        "error: reasons.vehicle_operation: 公务用车运维费: this form's text prints no reason"
        in (result.output)
    )
    assert "公务用车购置及运维费（vehicles）" in result.output


def test_the_putuo_2023_form_prints_no_reason_for_the_vehicles_as_a_whole(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "examples" / "wanli" / "data" / "2023", data / "2023")
    path = data / "2023" / "three-public.yaml"
    edit(
        path,
        "  overseas: 因公出国（境）费保持不变\n",
        "  overseas: 因公出国（境）费保持不变\n  vehicles: 保持不变\n",
    )
    result = invoke("validate", "2023", "--data", str(data))
    assert result.exit_code == 1, result.output
    line = line_of(path, "vehicles: 保持不变")
    assert f"2023/three-public.yaml:{line}:" in result.output, result.output
    assert (
        "reasons.vehicles: 公务用车购置及运维费: this form's text prints no reason" in result.output
    )


def test_every_shipped_year_gives_only_reasons_its_form_prints():
    for data in (
        DATA,
        ROOT / "examples" / "wanli" / "data",
        ROOT / "tests" / "data" / "department",
    ):
        result = invoke("--lang", "en", "validate", "--data", str(data))
        assert "this form's text prints no reason" not in result.output, result.output
