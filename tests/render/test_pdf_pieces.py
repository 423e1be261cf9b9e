"""A long print document cut into pieces (render/pdf_pieces.py): every piece a document
of its own with the whole's head, together holding the whole's text once, a continued
table repeating its header, a heading never left at the end of a piece, merged rows
never cut."""

from __future__ import annotations

import re

from compiler.render.pdf_pieces import pieces

HEAD = '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><style>p{}</style></head>\n'


def document(main: str) -> str:
    return (
        HEAD
        + f'<body>\n<header class="title-block"><h1>示例局</h1></header>\n<main>\n{main}\n</main>\n</body>\n</html>\n'
    )


def rows(first: int, count: int) -> str:
    return "\n".join(
        f"<tbody><tr><th>项目{n}</th><td>{n}.00</td></tr></tbody>"
        for n in range(first, first + count)
    )


TABLE = (
    '<section id="procurement" class="wide-page">\n<h2>六、政府采购预算情况</h2>\n'
    '<table class="grid"><caption>部门政府采购预算</caption><colgroup><col><col></colgroup>'
    "<thead><tr><th>项目名称</th><th>金额</th></tr></thead>\n"
    + rows(1, 60)
    + "\n</table>\n</section>"
)
PROSE = "\n".join(
    f'<section id="s{n}">\n<h2>第{n}节</h2>\n<p>{"说明文字。" * 40}</p>\n</section>'
    for n in range(1, 9)
)


def text(html: str) -> str:
    main = html[html.index("<main>") : html.rindex("</main>")]
    return re.sub(r"<[^>]+>|\s", "", main)


def test_a_short_document_is_one_piece():
    whole = document(PROSE)
    assert pieces(whole, budget=len(whole)) == [whole]


def test_pieces_are_documents_holding_the_whole_text_once():
    whole = document(PROSE + "\n" + TABLE)
    found = pieces(whole, budget=1500)
    assert len(found) > 3
    for piece in found:
        assert piece.startswith(HEAD) and piece.rstrip().endswith("</html>")
        assert piece.count("<main>") == piece.count("</main>") == 1
    assert found[0].count('class="title-block"') == 1
    assert all('class="title-block"' not in piece for piece in found[1:])
    joined = "".join(text(piece) for piece in found)
    header = "项目名称金额"
    assert joined.replace(header, "") == text(whole).replace(header, "")


def test_a_continued_table_repeats_its_header_and_keeps_its_section():
    found = pieces(document(TABLE), budget=1500)
    assert len(found) > 2
    for piece in found:
        assert piece.count('<section id="procurement" class="wide-page">') == 1  # landscape
        assert piece.count("<thead>") == 1 and piece.count("<colgroup>") == 1
    assert sum(piece.count("<caption>") for piece in found) == 1
    numbers = [int(n) for piece in found for n in re.findall(r"<th>项目(\d+)</th>", piece)]
    assert numbers == list(range(1, 61))


def test_a_heading_stays_with_what_follows_it():
    found = pieces(document(PROSE), budget=400)
    assert len(found) > 3
    for piece in found:
        main = piece[piece.index("<main>") : piece.rindex("</main>")]
        assert not re.search(r"</h2>\s*</section>\s*$", main)


def test_rows_joined_by_a_merged_cell_are_never_cut():
    merged = (
        '<tbody><tr><th rowspan="40">项目</th><td>1</td></tr>'
        + "<tr><td>x</td></tr>" * 39
        + "</tbody>"
    )
    table = f"<section><table><thead><tr><th>名称</th></tr></thead>{merged}</table></section>"
    found = pieces(document(PROSE + table), budget=500)
    assert sum(piece.count('rowspan="40"') for piece in found) == 1
    holding = next(piece for piece in found if 'rowspan="40"' in piece)
    assert holding.count("<tr><td>x</td></tr>") == 39


def test_a_document_not_as_the_templates_write_it_is_left_whole():
    broken = document(PROSE + "<section><div></section>")
    assert pieces(broken, budget=400) == [broken]
