"""DISCLOSURE_NO_SPEEDUPS=1 turns every shim off and the outputs stay byte for byte the same."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA

ROOT = Path(__file__).resolve().parents[2]
WANLI = ROOT / "examples" / "wanli" / "data"
# The seed's year has no statutory tables, so no workbook; 万里街道 2024 has them all.
YEARS = [(DATA, "2022", "html,md,pdf"), (WANLI, "2024", "html,md,pdf,xlsx")]


def build(data: Path, year: str, formats: str, out: Path, **env: str) -> dict[str, bytes]:
    done = subprocess.run(
        [sys.executable, "-m", "compiler", "build", year, "--data", str(data), "--out", str(out)]
        + ["--format", formats, "--force"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000", **env},
    )
    assert done.returncode == 0, done.stderr
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


@pytest.mark.slow
@pytest.mark.parametrize(("data", "year", "formats"), YEARS, ids=["2022", "wanli-2024"])
def test_without_any_speedup_every_output_is_byte_identical(tmp_path, data, year, formats):
    fast = build(data, year, formats, tmp_path / "fast")
    # laid out again, not read back from the cache of PDFs the fast build filled
    plain = build(
        data, year, formats, tmp_path / "plain", DISCLOSURE_NO_SPEEDUPS="1", DISCLOSURE_NO_CACHE="1"
    )
    assert {f"{year}/disclosure.{kind}" for kind in formats.split(",")} <= fast.keys()
    differing = sorted(name for name in fast if fast[name] != plain.get(name))
    assert not differing and fast.keys() == plain.keys(), differing
