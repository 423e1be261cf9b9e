"""The 2022 PDF as a reader gets it: every published figure, A4 pages, fonts, outline, attachments.

The expected figures come from the published disclosure (tests/golden/2022/published.txt, the
text of the real PDF) wherever that is practical, so a wrong figure in the data or a renderer
that drops a cell fails here even if the model agrees with itself. The PDF is built once per
session through the command line and read back with poppler's pdftotext/pdfinfo/pdffonts/
pdfdetach; the outline is read from the PDF's own objects.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
import zlib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA, SECTIONS, edit, line_of

from compiler import compile_year, parse_year_spec
from compiler.cli import main
from compiler.numbers import plain_number
from compiler.render import fonts

HERE = Path(__file__).resolve().parents[1]  # tests/
PUBLISHED = HERE / "golden" / "2022" / "published.txt"


POPPLER = ("pdftotext", "pdfinfo", "pdffonts", "pdfdetach")


# ---------------------------------------------------------------------------- helpers


def run(*cmd: str) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def squash(text: str) -> str:
    """Without any whitespace: pdftotext breaks CJK lines inside table cells."""
    return re.sub(r"\s+", "", text)


def money(text: str) -> str:
    """A figure as the compiler prints it: two decimals (the published prose has 448.2, 0)."""
    return str(Decimal(text).quantize(Decimal("0.01")))


_FIGURE = re.compile(r"(?<![\d.])\d+\.\d{2}(?![\d.])")


def figures(text: str) -> set[str]:
    """Every amount with two decimals, as a whole number (so 7.00 is not found in 17.00)."""
    return set(_FIGURE.findall(text))


def section(text: str, number: int) -> str:
    """Section `number` (1-9) of a text: from its heading line to the next one."""
    start = _heading(text, SECTIONS[number - 1]).end()
    end = _heading(text, SECTIONS[number]).start() if number < len(SECTIONS) else len(text)
    assert start < end, f"section {SECTIONS[number - 1]} is empty or out of order"
    return text[start:end]


def _heading(text: str, title: str) -> re.Match:
    found = re.search(rf"^[\f \t]*{re.escape(title)}[ \t]*$", text, re.M)  # \f: new page
    assert found, f"heading {title!r} not found"
    return found


@pytest.fixture(scope="session")
def published() -> str:
    return PUBLISHED.read_text(encoding="utf-8")


@dataclass
class BuiltPdf:
    path: Path
    output: str  # what `disclosure build` printed
    layout: str  # pdftotext -layout; pages separated by form feeds
    raw: str  # pdftotext -raw: content order, a table cell's lines stay together

    @property
    def pages(self) -> list[str]:
        return self.layout.split("\f")[:-1]


@pytest.fixture(scope="session")
def pdf(tmp_path_factory, pdf_layouts) -> BuiltPdf:
    """The 2022 PDF, built once through the command line (WeasyPrint takes ~4 s)."""
    missing = [tool for tool in POPPLER if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"{', '.join(missing)} missing: install poppler-utils (scripts/setup.sh)")
    out = tmp_path_factory.mktemp("pdf-build")
    with pdf_layouts.shared():
        result = CliRunner().invoke(
            main,
            ["build", "2022", "--format", "pdf", "--data", str(DATA), "--out", str(out), "-v"],
            catch_exceptions=False,
        )
    assert result.exit_code == 0, result.output
    path = out / "2022" / "disclosure.pdf"
    return BuiltPdf(
        path,
        result.output,
        run("pdftotext", "-layout", str(path), "-"),
        run("pdftotext", "-raw", str(path), "-"),
    )


# ------------------------------------------------------------------ content: figures


def test_cli_names_the_pdf_and_every_embedded_font(pdf):
    assert f"wrote {pdf.path}" in pdf.output
    for family in ("Noto Serif CJK SC", "Noto Sans CJK SC"):
        for style in ("Regular", "Bold"):
            line = re.search(rf"^embedded font {family} {style}: (.+)$", pdf.output, re.M)
            assert line, f"no 'embedded font {family} {style}: FILE' line in:\n{pdf.output}"
            assert Path(line.group(1)).is_file(), line.group(0)


def test_income_and_expenditure_figures(pdf, published):
    # 二、 (income, expenditure, change on 2021) and 三、 (operating costs) of the publication
    expected = {
        money(x)
        for number in (2, 3)
        for x in re.findall(r"(\d+(?:\.\d+)?)\s*万", section(published, number))
    }
    assert {"9569.88", "9272.51", "297.37", "4158.17", "3307.05", "851.12", "5411.71",
            "1882.92", "448.20", "2331.12", "0.00"} <= expected  # fmt: skip
    shown = figures(section(pdf.layout, 2)) | figures(section(pdf.layout, 3))
    assert expected - shown == set()


def test_sentences_carry_each_figure_with_its_words(pdf, published):
    """Each figure of the published prose of 二、三、四 comes with the same words before it
    (增加 stays 增加: a sign or a label swapped in a template shows here)."""
    for number in (2, 3, 4):
        seed = squash(section(published, number))
        shown = squash(section(pdf.layout, number))
        for found in re.finditer(r"(\d+(?:\.\d+)?)万", seed):
            words = re.search(r"[\u4e00-\u9fff（）]{0,4}$", seed[: found.start()]).group(0)
            # "公务接待费20.67万元减少1万元": the compiler does not repeat the 20.67
            words = words.rpartition("万元")[2]
            amount = money(found.group(1))
            if words.endswith(("增加", "减少")) and Decimal(amount) == 0:
                expected = words[:-2] + "持平"  # a zero change is worded 持平, not 减少0.00万元
            else:
                expected = f"{words}{amount}万"
            assert expected in shown, f"{SECTIONS[number - 1]}: {expected} not in the PDF"


def test_budget_table_rows(pdf):
    budget = section(pdf.layout, 2)
    for row in (
        r"收支总计\s+9569\.88\s+11452\.80\s+-1882\.92",
        r"基本支出\s+4158\.17\s+3709\.97\s+448\.20",
        r"人员类项目经费\s+3307\.05",
        r"运转类公用项目经费\s+851\.12",
        r"项目支出\s+5411\.71\s+7742\.83\s+-2331\.12",
    ):
        assert re.search(row, budget), f"budget table row /{row}/ not in the PDF"


def test_three_public_figures(pdf, published):
    expected = {money(x) for x in re.findall(r"(\d+(?:\.\d+)?)\s*万", section(published, 4))}
    assert {"80.32", "59.65", "20.67", "26.50", "25.50", "1.00", "0.00"} <= expected
    shown = figures(section(pdf.layout, 4))
    assert expected - shown == set()
    assert re.search(r"合计\s+80\.32\s+106\.82\s+-26\.50", section(pdf.layout, 4))


def _published_procurement_rows(published: str) -> list[tuple[str, ...]]:
    """(code, unit, quantity, unit price, amount) of every item row of the published table."""
    text = re.sub(r"\s+", " ", section(published, 6))
    rows = re.findall(r"(A[\d ]+?) ?([台张把个套]) (\d+) (\d+\.\d\d) (\d+\.\d\d)", text)
    return [(code.replace(" ", ""), *rest) for code, *rest in rows]


def test_procurement_figures_and_codes(pdf, published):
    expected = figures(section(published, 6))
    assert {"121.70", "425.00", "10.80", "90.00", "7.00", "4.40", "3.50", "5.10", "2.00",
            "3.40", "4.60", "0.80", "0.90", "0.62", "3.90", "5.60", "22.98", "10.00", "4.90",
            "35.00", "0.70", "0.44", "0.05"} <= expected  # fmt: skip
    procurement = section(pdf.layout, 6)
    assert expected - figures(procurement) == set()
    codes = set(re.findall(r"A\d+", squash(section(published, 6))))
    assert {"A02010104", "A020204", "A0201060102", "A02021003", "A9999"} <= codes
    assert codes - set(re.findall(r"A\d+", procurement)) == set()


def test_procurement_item_rows_in_published_order(pdf, published):
    rows = _published_procurement_rows(published)
    assert len(rows) == 17
    procurement = section(pdf.layout, 6)
    position = 0
    for code, unit, quantity, price, amount in rows:
        # code, unit, quantity, unit price, 合计, 一般公共预算拨款, 预留中小微企业份额
        pattern = rf"{code}\s+{unit}\s+{quantity}\s+{price}\s+{amount}\s+{amount}\s+{amount}\s*$"
        found = re.compile(pattern, re.M).search(procurement, position)
        assert found, f"procurement row {code} {quantity}×{price}={amount} missing or out of order"
        position = found.end()


def test_procurement_totals_and_project_budgets(pdf):
    procurement = section(pdf.layout, 6)
    assert re.search(r"^合计\s+121\.70\s+121\.70\s+121\.70\s*$", procurement, re.M)
    assert re.search(r"本级小计\s+121\.70\s+121\.70\s+121\.70\s*$", procurement, re.M)
    flat = squash(procurement)
    for name, budget in (("机关工作经费", "425.00"), ("市侨联业务工作经费", "10.80")):
        assert f"{name}{budget}" in flat
    assert "90.00" in figures(procurement)  # 机关档案室升级达标建设经费 (its name wraps)
    assert "注：同一采购目录序号的物品" in flat


def test_assets_figures_and_rows(pdf, published):
    seed = section(published, 7)
    expected = figures(seed)
    assert {"8743.34", "121.70", "1597.26", "458.60", "4009.70", "2677.78"} <= expected
    assets = section(pdf.layout, 7)
    assert expected - figures(assets) == set()
    rows = re.findall(r"^\s*\d、.*?\s(\d+)\s+(\d+\.\d\d)\s*$", seed, re.M)
    assert [q for q, _ in rows] == ["34629", "21", "34", "5675"]
    for quantity, value in rows:
        assert re.search(rf"(?<!\d){quantity}\s+{re.escape(value)}\s*$", assets, re.M), (
            f"asset row {quantity} / {value} not in the PDF"
        )
    assert re.search(r"资产总额\s+－\s+8743\.34", assets)
    flat = squash(assets)
    assert "本年度拟购置固定资产总额为121.70万元" in flat
    assert "截止时间：2021年12月31日" in flat


def test_unit_indicator_targets(pdf, published, model_2022):
    """Every target of the unit-wide table, next to its basis, as the publication has it."""
    seed = squash(published[published.index("（四）单位整体支出绩效指标") :])
    shown = squash(pdf.raw)
    for row in model_2022.indicators:
        target = row.target
        if target.is_numeric:
            text = f"{target.sign or ''}{plain_number(target.value)}{target.unit or ''}"
        else:
            text = target.text
        # the publication writes ＜ (full width) where the data has <
        assert unicodedata.normalize("NFKC", text + row.basis) in unicodedata.normalize(
            "NFKC", seed
        ), f"{row.name}: {text} {row.basis} is not what was published"
        assert squash(text + row.basis) in shown, f"{row.name}: target {text} not in the PDF"
    assert "≥160件工作计划" in shown and "=100百分比法律意见书" in shown


def test_every_duty(pdf, published):
    duties = re.findall(r"(（[一二三四五六七八九十]+）)(.{8})", squash(section(published, 1)))
    assert len(duties) == 21
    shown = squash(section(pdf.layout, 1))
    for number, start in duties:
        assert number + start in shown, f"duty {number}{start}… not in the PDF"
    assert re.search(r"廊坊市人民政府办公室\s+财政拨款\s+正处级\s+财政拨款", section(pdf.layout, 1))


def test_every_glossary_term(pdf, published):
    terms = re.findall(r"(\d+)、([^：]{2,20})：", squash(section(published, 8)))
    assert [int(n) for n, _ in terms] == list(range(1, 11))
    shown = squash(section(pdf.layout, 8))
    for number, term in terms:
        assert f"{number}、{term}：" in shown, f"glossary term {term} not in the PDF"


def _project_titles(published: str) -> list[str]:
    return [
        squash(line)
        for line in section(published, 5).splitlines()
        if re.match(r"^\d+、.*绩效目标表\s*$", line)
    ]


def test_every_project_table_title(pdf, published):
    titles = _project_titles(published)
    assert len(titles) == 11
    assert "10、提前下达2022年度中央华侨事务预算专项经费(冀财外〔2021〕32号)绩效目标表" in titles
    shown = squash(section(pdf.layout, 5))
    position = 0
    for title in titles:
        position = shown.find(title, position)
        assert position >= 0, f"project table {title} missing or out of order"


def test_sections_in_order(pdf):
    starts = [_heading(pdf.layout, title).start() for title in SECTIONS]
    assert starts == sorted(starts)
    assert "我单位无其他需要说明的事项。" in squash(section(pdf.layout, 9))


# -------------------------------------------------------------------------- properties


def test_pages_are_a4(pdf):
    info = run("pdfinfo", str(pdf.path))
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert count >= 10
    sizes = re.findall(
        r"^Page\s+\d+ size:\s+(.*)$",
        run("pdfinfo", "-f", "1", "-l", str(count), str(pdf.path)),
        re.M,
    )
    assert len(sizes) == count
    for size in sizes:
        assert size.endswith("(A4)"), size
        width, height = (float(x) for x in re.findall(r"[\d.]+", size)[:2])
        assert sorted((round(width), round(height))) == [595, 842]


def test_metadata_names_unit_and_title(pdf, model_2022):
    info = run("pdfinfo", str(pdf.path))
    unit = model_2022.unit
    assert re.search(rf"^Title:\s+{unit.full_name}\s*{model_2022.title}$", info, re.M), info
    assert re.search(rf"^Author:\s+{unit.name}$", info, re.M), info


def test_pdf_is_tagged_pdf_a_with_the_document_language(pdf):
    info = run("pdfinfo", str(pdf.path))
    assert re.search(r"^Tagged:\s+yes$", info, re.M), "screen readers need the structure tags"
    metadata = run("pdfinfo", "-meta", str(pdf.path))
    assert 'pdfaid:part="3"' in metadata and 'pdfaid:conformance="B"' in metadata
    objects = pdf_objects(pdf.path.read_bytes()).values()
    assert any(b"/Lang (zh-CN)" in body for body in objects), "the catalog names the language"


def test_fonts_are_embedded_subset_noto_cjk(pdf):
    rows = run("pdffonts", str(pdf.path)).splitlines()[2:]
    assert rows, "the PDF uses no font"
    names = []
    for row in rows:
        name, *_, emb, sub, _uni, _num, _gen = row.split()
        names.append(name)
        assert (emb, sub) == ("yes", "yes"), f"font not embedded as a subset: {row}"
        assert re.match(r"^[A-Z]{6}\+", name), f"no subset tag: {row}"
    families = " ".join(names)
    assert "Noto-Serif-CJK-SC" in families and "Noto-Sans-CJK-SC" in families, families


def test_every_page_has_page_number_footer(pdf):
    pages = pdf.pages
    for number, page in enumerate(pages, 1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert lines[-1] == f"第 {number} 页 / 共 {len(pages)} 页", (number, lines[-1])
    assert "第 1 页" in pages[0]


def test_running_header_carries_unit_and_title(pdf, model_2022):
    header = squash(model_2022.unit.full_name + model_2022.title)
    for number, page in enumerate(pdf.pages, 1):
        first = squash(next(line for line in page.splitlines() if line.strip()))
        if number == 1:
            assert first == squash(model_2022.unit.full_name)  # the title block, no header
        else:
            assert first == header, f"page {number} starts with {first!r}"


# -------------------------------------------------------------------------- outline


def pdf_objects(data: bytes) -> dict[int, bytes]:
    """Every object of the PDF by number, including those packed in object streams."""
    objects: dict[int, bytes] = {}
    for found in re.finditer(rb"(?m)^(\d+) 0 obj\b", data):
        body = data[found.end() :]
        header, has_stream, _ = body.partition(b"stream")
        if has_stream and b"/ObjStm" in header.split(b"endobj")[0]:
            length = int(re.search(rb"/Length (\d+)", header).group(1))
            start = found.end() + len(header) + len(b"stream")
            start += 2 if data[start : start + 2] == b"\r\n" else 1
            packed = zlib.decompress(data[start : start + length])
            count = int(re.search(rb"/N (\d+)", header).group(1))
            first = int(re.search(rb"/First (\d+)", header).group(1))
            pairs = [int(x) for x in packed[:first].split()]
            numbers, offsets = pairs[0::2], pairs[1::2]
            assert len(numbers) == count
            ends = offsets[1:] + [len(packed) - first]
            for number, begin, end in zip(numbers, offsets, ends, strict=True):
                objects[number] = packed[first + begin : first + end]
        else:
            objects[int(found.group(1))] = body.split(b"endobj")[0]
    return objects


def _text_string(value: bytes) -> str:
    if value.startswith(b"<"):
        raw = bytes.fromhex(value[1:-1].decode())
        return raw[2:].decode("utf-16-be") if raw[:2] == b"\xfe\xff" else raw.decode("latin-1")
    return value[1:-1].decode("latin-1")


def outline(data: bytes) -> list[tuple[int, str]]:
    """The bookmarks as (depth, title), depth 1 at the top, in document order."""
    objects = pdf_objects(data)

    def ref(body: bytes, key: bytes) -> int | None:
        found = re.search(rb"/" + key + rb"\s+(\d+) 0 R", body)
        return int(found.group(1)) if found else None

    catalogs = [body for body in objects.values() if re.search(rb"/Type\s*/Catalog\b", body)]
    assert len(catalogs) == 1
    root = ref(catalogs[0], b"Outlines")
    assert root is not None, "the PDF has no outline"
    entries: list[tuple[int, str]] = []

    def walk(number: int | None, depth: int) -> None:
        while number is not None:
            body = objects[number]
            title = re.search(rb"/Title\s*(<[0-9A-Fa-f]*>|\((?:\\.|[^\\)])*\))", body)
            entries.append((depth, _text_string(title.group(1))))
            walk(ref(body, b"First"), depth + 1)
            number = ref(body, b"Next")

    walk(ref(objects[root], b"First"), 1)
    return entries


def test_outline_has_every_section_and_project_table(pdf, published):
    entries = outline(pdf.path.read_bytes())
    assert [title for depth, title in entries if depth == 1] == SECTIONS
    titles = [title for _, title in entries]
    for project in _project_titles(published):
        assert titles.count(project) == 1, f"bookmark {project} missing"
    # every project table sits under 五、 → 第二部分
    start = titles.index("第二部分 资金绩效目标")
    depth = entries[start][0]
    assert [t for d, t in entries[start + 1 : start + 12] if d == depth + 1] == (
        _project_titles(published)
    )


# -------------------------------------------------------------------------- attachments


def _attachments(path: Path) -> list[str]:
    listing = run("pdfdetach", "-list", str(path)).splitlines()
    assert re.match(r"^\d+ embedded files$", listing[0]), listing[0]
    return [re.match(r"^\d+: (.+)$", line).group(1) for line in listing[1:]]


def test_attachments_are_the_model_and_every_source_file(pdf):
    names = _attachments(pdf.path)
    sources = sorted(
        p.relative_to(DATA / "2022").as_posix() for p in (DATA / "2022").rglob("*.yaml")
    )
    assert names[0] == "model.json"
    assert sorted(names[1:]) == [f"source/{name}" for name in sources]


def test_attached_model_json_equals_the_model(pdf, model_2022, tmp_path):
    from compiler.render.opendata import model_json

    target = tmp_path / "model.json"
    run("pdfdetach", "-save", "1", "-o", str(target), str(pdf.path))
    text = target.read_text(encoding="utf-8")
    assert text == model_json(model_2022)
    tree = json.loads(text)
    assert tree["budget"]["income"]["total"] == "9569.88"
    assert tree["procurement"]["total"] == "121.70"


def test_attached_sources_are_the_committed_files(pdf, tmp_path):
    for number, name in enumerate(_attachments(pdf.path), 1):
        if not name.startswith("source/"):
            continue
        target = tmp_path / f"{number}.yaml"
        run("pdfdetach", "-save", str(number), "-o", str(target), str(pdf.path))
        committed = DATA / "2022" / name.removeprefix("source/")
        assert target.read_bytes() == committed.read_bytes(), name


# -------------------------------------------------------------------------- fonts


@pytest.fixture
def fresh_font_caches():
    fonts.cjk_faces.cache_clear()
    fonts.covered_characters.cache_clear()
    yield
    fonts.cjk_faces.cache_clear()
    fonts.covered_characters.cache_clear()


def test_missing_glyph_is_located_in_the_yaml(data_copy, fresh_font_caches):
    unit = data_copy / "2022" / "unit.yaml"
    performance = data_copy / "2022" / "performance.yaml"
    edit(unit, "负责组织起草市政府领导重要讲话", "负责组织起草😀市政府领导重要讲话")
    # a block scalar (`|-`), the character on its second line: an Ethiopic letter, a
    # character of Unicode that the CJK fonts do not draw
    edit(performance, "  2022年，市政府将坚持", "  2022年，\n  市政府\u1200将坚持")
    result = compile_year(parse_year_spec("2022", data_copy))
    assert result.ok, [d.format_text() for d in result.diagnostics]
    problems = fonts.missing_glyphs(result.documents, "起草😀市政府 市政府\u1200将 ≥95% 合计")
    found = {p.message.split("'")[1]: p for p in problems}
    assert set(found) == {"😀", "\u1200"}
    emoji, ethiopic = found["😀"], found["\u1200"]
    assert emoji.location.file.endswith("2022/unit.yaml")
    assert emoji.location.line == line_of(unit, "😀")
    assert emoji.field == "duties[4]"
    assert "U+1F600" in emoji.message
    assert ethiopic.location.file.endswith("2022/performance.yaml")
    assert ethiopic.location.line == line_of(performance, "\u1200")
    assert all(p.is_error for p in problems)


def test_covered_characters_are_not_reported(model_2022, fresh_font_caches):
    result = compile_year(parse_year_spec("2022", DATA))
    assert fonts.missing_glyphs(result.documents, "廊坊市（一）“三公”≥≤＜－—%①④、。") == []


def test_build_with_a_glyphless_character_fails_and_writes_nothing(
    data_copy, cli, tmp_path, fresh_font_caches
):
    unit = data_copy / "2022" / "unit.yaml"
    edit(unit, "负责组织起草市政府领导重要讲话", "负责组织起草😀市政府领导重要讲话")
    out = tmp_path / "out"
    result = cli("build", "2022", "--data", str(data_copy), "--out", str(out))
    assert result.exit_code == 1, result.output
    assert f"unit.yaml:{line_of(unit, '😀')}:" in result.output
    assert "'😀'" in result.output and "U+1F600" in result.output
    assert "nothing written" in result.output
    assert not out.exists() or not any(out.rglob("*"))


def test_build_without_cjk_font_exits_2_naming_the_package(
    cli, tmp_path, monkeypatch, fresh_font_caches
):
    monkeypatch.setattr(fonts, "_fc_list", lambda: [])
    out = tmp_path / "out"
    result = cli("build", "2022", "--data", str(DATA), "--out", str(out))
    assert result.exit_code == 2, result.output
    assert "fonts-noto-cjk" in result.output
    assert not out.exists() or not any(out.rglob("*"))
