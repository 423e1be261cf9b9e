"""`disclosure build`: one primary fact changes every figure derived from it in all three formats;
prose cites figures and stays safe; builds are reproducible; failed builds write nothing."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA, ROOT, copy_as_next_year, edit, line_of
from markdown_it import MarkdownIt

import compiler.publish.output
import compiler.render.markdown
import compiler.render.pdf
from compiler import parse_year_spec
from compiler.cli import main
from compiler.publish.build import build_year
from compiler.publish.output import write_atomic

FILES = ("disclosure.html", "disclosure.md", "disclosure.pdf")


# ---------------------------------------------------------------------------- helpers


def run(*cmd: str) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


_FIGURE = re.compile(r"(?<![\d.])-?\d+\.\d{2}(?![\d.])")


def figures(text: str) -> set[str]:
    return {f.lstrip("-") for f in _FIGURE.findall(text)}


def build(data: Path, out: Path, *extra: str):
    result = CliRunner().invoke(
        main, ["build", "--data", str(data), "--out", str(out), *extra], catch_exceptions=False
    )
    return result


class Outputs:
    """The three files of one year's build, as text a reader sees."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.html = (folder / "disclosure.html").read_text(encoding="utf-8")
        self.md = (folder / "disclosure.md").read_text(encoding="utf-8")
        self.pdf_path = folder / "disclosure.pdf"
        self.pdf = run("pdftotext", "-layout", str(self.pdf_path), "-")

    def texts(self) -> dict[str, str]:
        return {"html": self.html, "md": self.md, "pdf": self.pdf}

    def attachment(self, name: str, tmp: Path) -> str:
        listing = run("pdfdetach", "-list", str(self.pdf_path)).splitlines()[1:]
        number = next(int(x.split(":")[0]) for x in listing if x.split(": ", 1)[1] == name)
        target = tmp / name.replace("/", "_")
        run("pdfdetach", "-save", str(number), "-o", str(target), str(self.pdf_path))
        return target.read_text(encoding="utf-8")


def html_rows(html: str) -> list[list[str]]:
    """Every table row of the HTML as the text of its cells."""
    rows = []
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)
        rows.append([re.sub(r"<[^>]+>", "", c).strip() for c in cells])
    return rows


def md_rows(md: str) -> list[list[str]]:
    return [
        [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        for line in md.splitlines()
        if line.startswith("|")
    ]


def copy_data(root: Path) -> Path:
    shutil.copytree(DATA / "2022", root / "data" / "2022")
    return root / "data"


def build_all(root: Path) -> Outputs:
    result = build(root / "data", root / "out", "2022")
    assert result.exit_code == 0, result.output
    return Outputs(root / "out" / "2022")


# ---------------------------------------------------------- propagation: procurement


@pytest.fixture(scope="module")
def more_computers(tmp_path_factory) -> Outputs:
    """台式计算机 under 机关工作经费: quantity 10 → 12, nothing else touched."""
    root = tmp_path_factory.mktemp("more-computers")
    procurement = copy_data(root) / "2022" / "procurement.yaml"
    text = procurement.read_text(encoding="utf-8")
    old = "      - name: 台式计算机\n        catalogue_code: A02010104\n        unit: 台\n" \
          "        quantity: 10\n"  # fmt: skip
    assert text.index(old) < text.index("市侨联业务工作经费"), "not the 机关工作经费 row"
    edit(procurement, old, old.replace("quantity: 10", "quantity: 12"))
    return build_all(root)


def test_changed_item_row_in_every_format(more_computers):
    o = more_computers
    html = [r for r in html_rows(o.html) if "A02010104" in r and "台式计算机" in r]
    assert html[0][:8] == ["机关工作经费", "425.00", "台式计算机", "A02010104", "台", "12",
                           "0.70", "8.40"]  # fmt: skip
    assert "8.40" in html[0][8] and html[0][-1] == "8.40"  # 一般公共预算拨款, 预留中小微企业
    md = [r for r in md_rows(o.md) if "A02010104" in r]
    assert md[0][:8] == ["机关工作经费", "425.00", "台式计算机", "A02010104", "台", "12", "0.70",
                         "8.40"]  # fmt: skip
    assert md[0][8] == md[0][-1] == "8.40"
    assert re.search(r"A02010104\s+台\s+12\s+0\.70\s+8\.40\s+8\.40\s+8\.40\s*$", o.pdf, re.M)
    assert not re.search(r"A02010104\s+台\s+10\s+0\.70\s+7\.00", o.pdf)
    for rows in (html, md):
        assert not any(r[5:8] == ["10", "0.70", "7.00"] for r in rows)


def test_procurement_total_and_planned_assets_follow(more_computers):
    for fmt, text in more_computers.texts().items():
        flat = squash(re.sub(r"<[^>]+>|\*\*", "", text))
        assert "安排政府采购预算123.10万元" in flat, fmt
        assert "本年度拟购置固定资产总额为123.10万元" in flat, fmt
        assert "121.70" not in text, f"the old total 121.70 is still in the {fmt}"
    for rows in (html_rows(more_computers.html), md_rows(more_computers.md)):
        # the procurement table's 合计 row (the 三公 table has one too, with 5 cells)
        (total,) = [r for r in rows if r and re.sub(r"\*", "", r[0]) == "合计" and len(r) > 8]
        assert [re.sub(r"\*", "", c) for c in total].count("123.10") >= 2, total
    assert re.search(r"^\s*合计\s+123\.10\s+123\.10\s+123\.10\s*$", more_computers.pdf, re.M)


def test_attached_model_and_source_follow(more_computers, tmp_path):
    model = json.loads(more_computers.attachment("model.json", tmp_path))
    project = model["procurement"]["projects"][0]
    assert project["name"] == "机关工作经费"
    assert project["items"][0]["amount"] == "8.40"
    assert project["subtotal"] == "31.40"  # was 30.00; shown only in the attached model
    assert model["procurement"]["total"] == "123.10"
    assert model["planned_asset_purchases"] == "123.10"
    source = more_computers.attachment("source/procurement.yaml", tmp_path)
    assert "quantity: 12" in source


# ---------------------------------------------------------------- propagation: budget


@pytest.fixture(scope="module")
def more_personnel(tmp_path_factory) -> Outputs:
    """人员类项目经费 +3.00 万元, and 一般公共预算收入 +3.00 so income still equals spending."""
    root = tmp_path_factory.mktemp("more-personnel")
    budget = copy_data(root) / "2022" / "budget.yaml"
    edit(budget, "personnel: 3307.05", "personnel: 3310.05")
    edit(budget, "general_budget: 9272.51", "general_budget: 9275.51")
    return build_all(root)


def test_budget_figures_follow_in_every_format(more_personnel):
    for fmt, text in more_personnel.texts().items():
        shown = figures(text)
        for new in ("3310.05", "9275.51", "4161.17", "9572.88", "1879.92", "451.20"):
            assert new in shown, f"{new} missing from the {fmt}"
        for old in ("3307.05", "9272.51", "4158.17", "9569.88", "1882.92", "448.20"):
            assert old not in text, f"the old figure {old} is still in the {fmt}"
        flat = squash(re.sub(r"<[^>]+>", "", text))
        assert "较2021年预算减少1879.92万元" in flat, fmt
        assert "基本支出增加451.20万元" in flat, fmt
        assert "2022年预算收入9572.88万元" in flat, fmt


def test_budget_table_rows_follow(more_personnel):
    for rows in (html_rows(more_personnel.html), md_rows(more_personnel.md)):
        table = {re.sub(r"\*", "", r[0]): [re.sub(r"\*", "", c) for c in r[1:]] for r in rows}
        assert table["收支总计"] == ["9572.88", "11452.80", "-1879.92"]
        assert table["基本支出"] == ["4161.17", "3709.97", "451.20"]
        assert table["其中：人员类项目经费"][0] == "3310.05"
    assert re.search(r"收支总计\s+9572\.88\s+11452\.80\s+-1879\.92", more_personnel.pdf)
    assert re.search(r"基本支出\s+4161\.17\s+3709\.97\s+451\.20", more_personnel.pdf)


# -------------------------------------------------------------------------- prose

PROSE = (
    "other_matters: |-\n"
    "  本年收入合计{{ budget.income.total | money }}万元，**粗体说明**。\n"
    "  <b>原样标签</b>，[政府网站](https://www.gov.cn/)"
)


@pytest.fixture(scope="module")
def prose(tmp_path_factory) -> tuple[Outputs, list[str]]:
    """other_matters citing a figure, with Markdown, raw HTML and a web link."""
    root = tmp_path_factory.mktemp("prose")
    unit = copy_data(root) / "2022" / "unit.yaml"
    edit(unit, "other_matters: 我单位无其他需要说明的事项。", PROSE)
    attempts: list[str] = []

    def no_network(self, address, *args):
        attempts.append(repr(address))
        raise OSError("tests run offline")

    def no_fetch(self, url, *args, **kwargs):
        attempts.append(url)
        raise compiler.render.pdf.ForbiddenFetch(url)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", no_network)
        mp.setattr(compiler.render.pdf.NoFetching, "fetch", no_fetch)
        outputs = build_all(root)
    return outputs, attempts


def _other_matters(text: str) -> str:
    return text[text.index("九、其他需要说明的事项") :]


def test_prose_cites_the_computed_figure_in_every_format(prose):
    outputs, _ = prose
    for fmt, text in outputs.texts().items():
        assert "本年收入合计9569.88万元" in squash(_other_matters(text)), fmt
        assert "{{" not in text, f"an unexpanded citation in the {fmt}"


def test_prose_markdown_rendered_and_raw_html_escaped_in_html(prose):
    outputs, _ = prose
    html = _other_matters(outputs.html)
    assert "<strong>粗体说明</strong>" in html
    assert "&lt;b&gt;原样标签&lt;/b&gt;" in html and "<b>" not in html
    assert '<a href="https://www.gov.cn/">政府网站</a>' in html
    assert "<img" not in outputs.html


@pytest.mark.parametrize(
    ("markdown", "offending", "message"),
    [
        ("![外部图片](http://example.com/x.png)", "![", "images are not allowed"),
        ("[危险链接](javascript:alert(1))", "javascript:", "links may only point to web pages"),
        ("[本地文件](file:///etc/passwd)", "file:", "links may only point to web pages"),
        ("见[附件][a]。\n\n  [a]: http://example.com/", "[a]:", "link reference definitions"),
    ],
)
def test_prose_refuses_images_and_unsafe_links_at_their_line(
    tmp_path, markdown, offending, message
):
    """What the HTML would silently drop is an error for the editor instead, so the
    Markdown output never carries an outside image or a script link."""
    unit = copy_data(tmp_path) / "2022" / "unit.yaml"
    edit(
        unit,
        "other_matters: 我单位无其他需要说明的事项。",
        f"other_matters: |-\n  说明。\n  {markdown}",
    )
    result = CliRunner().invoke(main, ["validate", "--data", str(tmp_path / "data")])
    assert result.exit_code == 1
    line = line_of(unit, offending)
    assert f"unit.yaml:{line}:1: error: other_matters: {message}" in result.stderr


@pytest.mark.slow
def test_the_pdf_fetcher_refuses_every_url():
    """Defence in depth: even markup the templates never produce fetches nothing."""
    import weasyprint

    for markup in (
        '<img src="file:///etc/passwd">',
        '<link rel="attachment" href="file:///etc/passwd">',
        "<p style=\"background: url('http://example.com/x.png')\">x</p>",
    ):
        fetcher = compiler.render.pdf.NoFetching()
        with pytest.raises(compiler.render.pdf.ForbiddenFetch):  # attachments: at write time
            weasyprint.HTML(string=markup, url_fetcher=fetcher).render().write_pdf()


def test_prose_in_pdf_built_offline_without_fetching(prose):
    outputs, attempts = prose
    assert attempts == [], f"the build tried to fetch {attempts}"
    text = squash(_other_matters(outputs.pdf))
    assert "粗体说明" in text and "<b>原样标签</b>" in text
    assert "**" not in text


def test_prose_in_markdown_output_is_as_safe_as_in_html(prose):
    """The Markdown output is read in Markdown viewers: prose must not smuggle in raw HTML,
    a javascript: link or an image (which every reader's browser would fetch)."""
    outputs, _ = prose
    md = _other_matters(outputs.md)
    assert "**粗体说明**" in md
    lenient = MarkdownIt("commonmark")
    lenient.validateLink = lambda url: True  # as a Markdown viewer that trusts its input
    tokens = lenient.parse(md)
    inline = [c for t in tokens if t.type == "inline" for c in t.children or []]
    problems = [f"raw HTML {c.content}" for c in inline if c.type == "html_inline"]
    problems += [f"image {c.attrs.get('src')}" for c in inline if c.type == "image"]
    problems += [
        f"link {c.attrs['href']}"
        for c in inline
        if c.type == "link_open" and not re.match(r"(https?|mailto):", str(c.attrs["href"]))
    ]
    assert problems == [], f"the Markdown passes data through: {problems}"


# -------------------------------------------------------------------------- determinism


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> tuple[Path, Path, str]:
    first, second = tmp_path_factory.mktemp("first"), tmp_path_factory.mktemp("second")
    result = build(DATA, first, "2022", "--verbose")
    assert result.exit_code == 0, result.output
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DISCLOSURE_NO_CACHE", "1")  # laid out again, not the first's PDF read back
        again = build(DATA, second, "2022")
    assert again.exit_code == 0, again.output
    return first / "2022", second / "2022", result.output


def test_two_builds_are_byte_identical(two_builds):
    first, second, _ = two_builds
    for name in FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_cli_names_every_written_file(two_builds):
    first, _, output = two_builds
    wrote = re.findall(r"^wrote (.+)$", output, re.M)
    assert sorted(wrote) == sorted(str(first / name) for name in FILES)
    assert len(re.findall(r"^embedded font Noto (Serif|Sans) CJK SC", output, re.M)) == 4
    files = sorted(p.name for p in first.iterdir() if p.name != ".build-record.json")
    assert files == sorted(FILES)  # no temporary files


def test_font_lines_only_when_verbose(two_builds, shared_pdf_layouts):
    """The fonts each PDF embeds are named with --verbose only (four lines a year)."""
    _first, second, _ = two_builds
    again = build(DATA, second.parent, "2022", "--force")
    assert again.exit_code == 0, again.output
    assert "wrote " in again.output and "embedded font" not in again.output


@pytest.mark.slow  # lays out two PDFs, in processes the conftest's guard does not reach
def test_source_date_epoch_builds_are_reproducible(tmp_path):
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    outs = [tmp_path / "a", tmp_path / "b"]
    command = [sys.executable, "-m", "compiler", "build", "2022", "--data", str(DATA), "--out"]
    # the second lays its PDF out, whatever the first found in the cache of laid-out PDFs
    envs = [env, {**env, "DISCLOSURE_NO_CACHE": "1"}]
    processes = [
        subprocess.Popen(
            [*command, str(out)],
            cwd=ROOT,
            env=env_of_build,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for out, env_of_build in zip(outs, envs, strict=True)
    ]
    for process in processes:
        output, _ = process.communicate(timeout=120)
        assert process.returncode == 0, output
    for name in FILES:
        assert (outs[0] / "2022" / name).read_bytes() == (outs[1] / "2022" / name).read_bytes()
    info = run("pdfinfo", "-isodates", str(outs[0] / "2022" / "disclosure.pdf"))
    created = re.search(r"^CreationDate:\s+(\S+)", info, re.M)
    assert created, info
    assert created.group(1).startswith("2023-11-14T22:13:20"), created.group(1)


# -------------------------------------------------------------------------- safe writes


@pytest.fixture
def previous(tmp_path) -> tuple[Path, dict[str, tuple[bytes, int]]]:
    """build/2022/ holding an earlier build (distinct bytes, an old mtime)."""
    folder = tmp_path / "out" / "2022"
    folder.mkdir(parents=True)
    for name in FILES:
        path = folder / name
        path.write_bytes(f"previous {name}\n".encode())
        os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    return folder, snapshot(folder)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}


def test_data_error_exits_1_and_leaves_previous_build(data_copy, previous, cli):
    folder, before = previous
    edit(data_copy / "2022" / "budget.yaml", "personnel: 3307.05", "personnel: 3308.05")
    result = cli("build", "2022", "--data", str(data_copy), "--out", str(folder.parent))
    assert result.exit_code == 1, result.output
    assert "error" in result.output and "nothing written" in result.output
    assert "wrote" not in result.output
    assert snapshot(folder) == before


def test_markdown_render_failure_leaves_previous_build(data_copy, previous, monkeypatch):
    folder, before = previous

    def broken(*args, **kwargs):
        raise RuntimeError("template bug")

    monkeypatch.setattr(compiler.render.markdown, "render_markdown", broken)
    with pytest.raises(RuntimeError, match="template bug"):
        build_year(parse_year_spec("2022", data_copy), folder.parent)
    assert snapshot(folder) == before  # the HTML, rendered first, was not written either


def test_pdf_failure_leaves_previous_build(data_copy, previous, monkeypatch):
    folder, before = previous

    def broken(*args, **kwargs):
        raise RuntimeError("WeasyPrint crashed")

    monkeypatch.setattr(compiler.render.pdf, "render_job", broken)
    monkeypatch.setenv("DISCLOSURE_NO_CACHE", "1")  # not a PDF laid out by an earlier test
    with pytest.raises(RuntimeError, match="WeasyPrint crashed"):
        build_year(parse_year_spec("2022", data_copy), folder.parent)
    assert snapshot(folder) == before


def test_write_failure_leaves_every_previous_output(data_copy, previous, monkeypatch):
    """Disk full while writing the second file: the year must not mix old and new outputs."""
    folder, before = previous
    calls = []
    real_fsync = os.fsync

    def fsync(fd):
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OSError, match="No space left"):
        build_year(parse_year_spec("2022", data_copy), folder.parent, ("html", "md"))
    monkeypatch.undo()
    assert sorted(snapshot(folder)) == sorted(before), "a temporary file was left behind"
    assert snapshot(folder) == before, "disclosure.html is new while disclosure.md is old"


def test_a_failed_switch_leaves_the_previous_set_and_nothing_beside_it(
    data_copy, previous, monkeypatch
):
    """The new set is written but cannot be switched in (an I/O error at the rename): the
    year still holds every previous output, and no half-written set is left beside it."""
    folder, before = previous

    def broken(*args, **kwargs):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(compiler.publish.output, "_exchange", broken)
    with pytest.raises(OSError, match="Input/output error"):
        build_year(parse_year_spec("2022", data_copy), folder.parent, ("html", "md"))
    monkeypatch.undo()
    assert snapshot(folder) == before, "old and new outputs are mixed after a failed switch"
    assert sorted(p.name for p in folder.parent.iterdir()) == ["2022"]


def test_an_output_folder_that_is_a_file_exits_2_without_a_traceback(tmp_path, cli):
    blocker = tmp_path / "afile"
    blocker.write_text("x", encoding="utf-8")
    result = cli(
        "build", "2022", "--data", str(DATA), "--format", "md", "--out", str(blocker / "sub")
    )
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "a part of the path is a file, not a folder" in result.stderr


def test_write_atomic_replaces_the_file(tmp_path):
    path = tmp_path / "out" / "disclosure.md"
    write_atomic(path, b"first\n")
    write_atomic(path, b"second\n")
    assert path.read_bytes() == b"second\n"
    assert path.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in path.parent.iterdir()] == ["disclosure.md"]


def test_interrupted_write_atomic_keeps_old_file_and_no_temp(tmp_path, monkeypatch):
    path = tmp_path / "disclosure.pdf"
    path.write_bytes(b"old pdf")

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, b"new pdf")
    monkeypatch.undo()
    assert path.read_bytes() == b"old pdf"
    assert [p.name for p in tmp_path.iterdir()] == ["disclosure.pdf"]


# -------------------------------------------------------------------------- command line


@pytest.mark.parametrize("formats", ["html,docx", "pdf,PDF", ",", "md;html"])
def test_unknown_format_is_a_usage_error(cli, tmp_path, formats):
    result = cli("build", "2022", "--data", str(DATA), "--out", str(tmp_path), "--format", formats)
    assert result.exit_code == 2, result.output
    assert "--format" in result.output
    assert not any(tmp_path.iterdir())


def test_build_without_years_builds_every_year(data_copy, cli, tmp_path):
    copy_as_next_year(data_copy)  # 2023 compares itself with 2022's budget
    out = tmp_path / "out"
    result = cli("build", "--data", str(data_copy), "--out", str(out), "--format", "md,html")
    assert result.exit_code == 0, result.output
    expected = [out / year / name for year in ("2022", "2023") for name in FILES[:2]]
    assert sorted(re.findall(r"^wrote (.+)$", result.output, re.M)) == sorted(map(str, expected))
    assert all(path.is_file() for path in expected)
    assert not (out / "2022" / "disclosure.pdf").exists()
    assert "2023年单位预算信息公开情况说明" in (out / "2023" / "disclosure.md").read_text()


def test_no_years_under_data_is_trouble(cli, tmp_path):
    (tmp_path / "data").mkdir()
    result = cli("build", "--data", str(tmp_path / "data"), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2, result.output
    assert "no years found" in result.output
