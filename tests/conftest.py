"""Shared fixtures: the real 2022 data as the big fixture, and throw-away copies to break."""

from __future__ import annotations

import atexit
import difflib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import debian_versions
import pytest
from click.testing import CliRunner
from hypothesis import settings
from pdf_layouts import PdfLayouts

# The tool's caches (compiled templates, schema checks, the model's methods, PDFs laid out)
# in a folder of this test run: the tests never read what an earlier run or the user's own
# work left there. Set before the tool is imported: its first class definitions use the
# cache. The xdist workers share the run's folder, made by the process that starts them
# (it loads this file first, and they inherit its environment): a document one worker laid
# out is not laid out again by the other, as for two builds on one machine.
RUN_CACHE = "DISCLOSURE_TEST_RUN_CACHE"
if os.environ.get(RUN_CACHE) is None or not os.path.isdir(os.environ[RUN_CACHE]):
    os.environ[RUN_CACHE] = tempfile.mkdtemp(prefix="disclosure-test-cache-")
    atexit.register(shutil.rmtree, os.environ[RUN_CACHE], ignore_errors=True)  # not left in /tmp
os.environ["XDG_CACHE_HOME"] = os.environ[RUN_CACHE]

from compiler import compile_year, parse_year_spec  # noqa: E402
from compiler.cli import main  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


# `make test` runs the "ci" profile: the same examples on every run and machine, and no
# examples database (a failure found once must be found by the test as written).
settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)

# Tests whose expectations depend on how pages come out (fonts, layout, browser): when one
# fails, its report names each Debian package whose version differs from the recorded one.
PAGE_TESTS = ("pdf", "browser", "page", "wanli", "project_layouts", "editions")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed and any(word in item.path.stem for word in PAGE_TESTS):
        differing = debian_versions.differences()
        if differing:
            report.sections.append(
                (
                    "Debian packages that differ from requirements/debian.txt",
                    "\n".join(differing),
                )
            )


def pytest_report_header(config):
    differing = debian_versions.differences()
    if differing:
        return ["Debian packages that differ from requirements/debian.txt:", *differing]
    return None


# "slow" is every test that lays out a PDF or drives a browser (make test-fast leaves them
# out): a test module of pages, or a test asking for a fixture that builds a PDF. When the
# slow tests are left out, laying out a PDF fails the test that does it, so the marker stays
# honest as tests are added. The guard does not reach a PDF laid out by another process (the
# command run with subprocess): mark such a test @pytest.mark.slow by hand.
SLOW_MODULES = {
    "test_pdf",
    "test_pdf_text",
    "test_pdf_process",
    "test_browser",
    "test_pagediff",
    "test_switch",
}
SLOW_FIXTURES = {
    "pdf_2022", "pdf", "browser", "department_built",
    "more_computers", "more_personnel", "prose", "two_builds",  # test_build.py: every format
    "built",  # the examples' every format (test_wanli, test_putuo_*final)
}  # fmt: skip


# Modules whose tests share costly module fixtures (a browser, every format of an example
# built): each runs in one xdist worker (make test's --dist loadgroup), so that the other
# worker neither builds them again nor waits for the same PDF layout.
SHARED_MODULES = {
    "test_browser",
    "test_build",
    "test_wanli",
    "test_putuo_final",
    "test_putuo_planning_final",
    "test_pdf_package",  # a department's PDFs built twice, pieces and whole
    "test_pdf_join",  # parts laid out and joined
    "test_pdf",  # 2022's PDF
    "test_layouts",  # a department built, a Hebei package
    "test_import_strict",  # workbooks written by the tool
    "test_import_final",
}


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.stem in SLOW_MODULES or SLOW_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.slow)
        if item.path.stem in SHARED_MODULES:
            item.add_marker(pytest.mark.xdist_group(item.path.stem))


@pytest.fixture(autouse=True, scope="session")
def _no_pdf_in_fast_tests(request):
    if "not slow" not in (request.config.option.markexpr or ""):
        yield
        return
    from weasyprint import HTML

    def refuse(*args, **kwargs):
        pytest.fail("this test lays out a PDF: mark it @pytest.mark.slow (see conftest.py)")

    real, HTML.render = HTML.render, refuse
    yield
    HTML.render = real


@pytest.fixture(scope="session")
def run_folder(tmp_path_factory, worker_id) -> Path:
    """A folder of this run that both xdist workers share (their own temporary folders are
    in it): for what is made once a run, under a file lock (see pdf_layouts.py)."""
    base = tmp_path_factory.getbasetemp()
    return base if worker_id == "master" else base.parent


@pytest.fixture(scope="session")
def pdf_layouts(run_folder) -> PdfLayouts:
    """This run's shared PDF layouts (see pdf_layouts.py): in a fixture of any scope,
    `with pdf_layouts.shared():` around the build."""
    return PdfLayouts(run_folder / "pdf-layouts")


@pytest.fixture
def shared_pdf_layouts(pdf_layouts):
    """A test that reads documents others build too: their PDFs are laid out once a run."""
    with pdf_layouts.shared():
        yield


def pytest_configure(config):
    # Messages are Chinese by default. Most tests assert the English msgids (the words the
    # code is written in); the tests named test_chinese*.py ask for Chinese with the `chinese` fixture.
    os.environ["DISCLOSURE_LANG"] = "en"


@pytest.fixture(autouse=True)
def _language_as_the_environment_says():
    """A test that runs the CLI with `--lang zh` leaves the process in Chinese; the next
    test on the same worker would then read Chinese where it asserts English msgids."""
    yield
    from compiler import i18n

    if i18n.language() != i18n.language_from_environment():
        i18n.set_language()


@pytest.fixture
def chinese(monkeypatch):
    """Messages as a clerk reads them: the default language, Chinese."""
    from compiler import i18n

    monkeypatch.setenv("DISCLOSURE_LANG", "zh")
    i18n.set_language("zh")
    yield
    i18n.set_language("en")


# The nine section headings of the published disclosure, in order.
SECTIONS = [
    "一、单位职责及机构设置情况",
    "二、单位预算安排的总体情况",
    "三、机关运行经费安排情况",
    "四、财政拨款“三公”经费预算情况及增减变化原因",
    "五、绩效预算信息",
    "六、政府采购预算情况",
    "七、国有资产信息",
    "八、名词解释",
    "九、其他需要说明的事项",
]

GOLDEN = ROOT / "tests" / "golden"
REGENERATE = "python tests/update_golden.py"


def assert_matches_golden(name: str, built: str) -> None:
    """`built` equals tests/golden/2022/<name>; else fail with a short diff and the fix."""
    golden = GOLDEN / "2022" / name
    assert golden.exists(), f"no golden file {golden}: run `{REGENERATE}`"
    expected = golden.read_bytes().decode("utf-8")
    if built != expected:
        diff = list(
            difflib.unified_diff(
                expected.splitlines(), built.splitlines(), "golden", "built", lineterm="", n=1
            )
        )
        shown = "\n".join(line[:160] for line in diff[:40]) + ("\n…" if len(diff) > 40 else "")
        pytest.fail(
            f"2022 {name} differs from tests/golden/2022/{name}.\n"
            f"If the change is intended, regenerate with `{REGENERATE}` and review the diff.\n"
            f"{shown}"
        )


# Markup and a pipe put into a unit name (plain text) and a duty (prose). No "/" in it:
# a unit name may not contain one (it becomes a published file name).
HOSTILE = "<script>alert(1)<script>"


@pytest.fixture(scope="session")
def hostile_build(tmp_path_factory) -> Path:
    """data/2022 with HOSTILE in the unit name and a duty, built to HTML and Markdown;
    returns the folder holding disclosure.html and disclosure.md."""
    from compiler.publish.build import build_year

    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(DATA / "2022", root / "data" / "2022")
    unit = root / "data" / "2022" / "unit.yaml"
    edit(unit, "  name: 廊坊市人民政府办公室\n", f"  name: 廊坊{HOSTILE}a|b办公室\n")
    edit(unit, "  - 负责组织起草市政府领导", f"  - 负责{HOSTILE}a|b组织起草市政府领导")
    result = build_year(parse_year_spec("2022", root / "data"), root / "out", ("html", "md"))
    assert result.ok, [d.format_text() for d in result.compiled.diagnostics + result.diagnostics]
    return root / "out" / "2022"


@pytest.fixture(scope="session")
def model_2022():
    result = compile_year(parse_year_spec("2022", DATA))
    assert result.ok, [d.format_text() for d in result.diagnostics]
    return result.model


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of data/2022 under tmp_path/data/2022; returns tmp_path/data."""
    target = tmp_path / "data"
    shutil.copytree(DATA / "2022", target / "2022")
    return target


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace `old` by `new` in a data file, failing loudly if `old` is not there."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{old!r} not found in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, needle: str, after: str | None = None) -> int:
    """1-based number of the first line containing `needle` (below the first line
    containing `after`, if given)."""
    searching = after is None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if searching and needle in line:
            return number
        if not searching and after in line:
            searching = True
    raise AssertionError(f"{needle!r} not in {path}")


@pytest.fixture
def cli():
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(main, list(args), catch_exceptions=False)

    return run


@pytest.fixture(scope="session")
def pdf_2022(pdf_layouts) -> bytes:
    """The 2022 PDF, built once in memory (the visual diff and browser tests compare with it)."""
    from compiler.publish.build import render_document

    result = compile_year(parse_year_spec("2022", DATA))
    with pdf_layouts.shared():
        rendered, problems, _ = render_document(result.model, result.documents, ("pdf",))
    assert "pdf" in rendered, [d.format_text() for d in problems]
    return rendered["pdf"]


def pdf_page_texts(pdf: bytes, folder: Path) -> list[str]:
    """The text of each page of `pdf` (pdftotext -layout), written to folder/pages.pdf."""
    path = folder / "pages.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return out.split("\f")[:-1]


def built_final_accounts(
    data: Path, out: Path, layouts: PdfLayouts, year: str = "2024"
) -> dict[str, str]:
    """A year's final accounts built into `out` as HTML, Markdown and PDF (laid out once a
    run: `layouts` is the pdf_layouts fixture): each output's text (the PDF's as
    pdftotext -layout reads it, and without white space)."""
    import re

    from compiler.publish.build import build_year

    with layouts.shared():
        result = build_year(parse_year_spec(year, data), out, ("html", "md", "pdf"))
    assert result.ok, [str(d) for d in result.diagnostics]
    folder = out / year / "final"
    pdf = subprocess.run(
        ["pdftotext", "-layout", str(folder / "disclosure.pdf"), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return {
        "html": (folder / "disclosure.html").read_text(encoding="utf-8"),
        "md": (folder / "disclosure.md").read_text(encoding="utf-8"),
        "pdf": pdf,
        "pdf_flat": re.sub(r"\s+", "", pdf),
    }


def copy_as_next_year(data: Path, year: str = "2022", next_year: str = "2023") -> Path:
    """A made-up next year copied from `year`, without the typed 上年预算: with `year` in the
    repository, those figures are computed from it and typing them is an error."""
    target = data / next_year
    shutil.copytree(data / year, target)
    budget, three = target / "budget.yaml", target / "three-public.yaml"
    edit(budget, "previous_year:\n  basic: 3709.97\n  project: 7742.83\n", "")
    edit(
        three,
        "previous:  {overseas: 0, vehicle_purchase: 0, vehicle_operation: 85.15, reception: 21.67}\n",
        "",
    )
    return target
