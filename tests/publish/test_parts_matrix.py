"""A bureau past one machine (issue 27 part 4): the parts of a department's PDFs laid out
by separate jobs (`disclosure parts --shard K/N`, each its own process with its own cache,
as the jobs of a CI matrix), their folders merged, and the publish job's build joining
them (`--parts-from`) into the same PDFs a build on one machine makes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures.departments import hebei_department

ROOT = Path(__file__).resolve().parents[2]


def disclosure(*args: str, cache: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "XDG_CACHE_HOME": str(cache),  # a runner of its own: nothing laid out before
        "SOURCE_DATE_EPOCH": "1700000000",
        "DISCLOSURE_LANG": "zh",  # what a clerk reads in the job log
    }
    env.pop("DISCLOSURE_NO_CACHE", None)
    env.pop("DISCLOSURE_PARTS_FROM", None)
    return subprocess.run(
        [sys.executable, "-m", "compiler", *args], capture_output=True, text=True, env=env
    )


@pytest.mark.slow
def test_parts_laid_out_by_separate_jobs_join_into_the_one_machine_pdfs(tmp_path):
    data = hebei_department(tmp_path)
    merged = tmp_path / "parts"
    merged.mkdir()
    counts = []
    for share in ("1/2", "2/2"):
        folder = tmp_path / f"job-{share[0]}"
        done = disclosure(
            "parts", "2022", "--data", str(data), "--shard", share, "--out", str(folder),
            cache=tmp_path / f"cache-{share[0]}",
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        counts.append(done.stdout)
        for path in folder.iterdir():  # what download-artifact's merge-multiple does
            shutil.copy(path, merged / path.name)
    # three parts (the department's, two units'), shared out one by one
    assert "已排版 3 个部分中的 2 个（第 1/2 份）" in counts[0]
    assert "已排版 3 个部分中的 1 个（第 2/2 份）" in counts[1]
    assert len(list(merged.iterdir())) == 3

    joined = disclosure(
        "build", "2022", "--data", str(data), "--format", "pdf", "--out", str(tmp_path / "out"),
        "--parts-from", str(merged), cache=tmp_path / "cache-publish",
    )  # fmt: skip
    assert joined.returncode == 0, joined.stderr
    assert "部门 PDF 的 3 个部分中有 3 个取自此文件夹" in joined.stderr

    alone = disclosure(
        "build", "2022", "--data", str(data), "--format", "pdf", "--out", str(tmp_path / "one"),
        cache=tmp_path / "cache-one",
    )  # fmt: skip
    assert alone.returncode == 0, alone.stderr
    for name in (
        "disclosure.pdf",
        "units/01-office/disclosure.pdf",
        "units/02-centre/disclosure.pdf",
    ):
        matrix = (tmp_path / "out" / "2022" / name).read_bytes()
        assert matrix == (tmp_path / "one" / "2022" / name).read_bytes(), name


def test_a_share_that_is_not_k_of_n_is_a_usage_error(tmp_path, cli):
    data = hebei_department(tmp_path)
    result = cli("parts", "2022", "--data", str(data), "--shard", "3/2")
    assert result.exit_code == 2
    assert "--shard" in result.output and "3/2" in result.output


def test_a_year_with_errors_lays_out_no_part(tmp_path, cli):
    data = hebei_department(tmp_path)
    budget = data / "2022" / "units" / "02-centre" / "budget.yaml"
    budget.write_text(
        budget.read_text("utf-8").replace("general_budget: 1000.00", "general_budget: 一千"),
        "utf-8",
    )
    out = tmp_path / "parts"
    result = cli("parts", "2022", "--data", str(data), "--shard", "1/2", "--out", str(out))
    assert result.exit_code == 1
    assert "units/02-centre/budget.yaml" in result.output
    assert "no parts laid out: fix the errors above" in result.output
    assert not out.exists()
