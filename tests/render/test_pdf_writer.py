"""The streaming PDF writer (render/pdf_writer.py): objects copied from a PDF opened with
pikepdf, renumbered, read back the same; strings that look like references stay strings."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from compiler.render.pdf_writer import Source, Writer


def original() -> pikepdf.Pdf:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595.275591, 841.889764))
    page = pdf.pages[0].obj
    page.Contents = pdf.make_stream(b"BT /F1 12 Tf (1 0 R) Tj ET")
    shared = pdf.make_indirect(Dictionary(Kind=Name("/Shared")))
    page.Extra = Dictionary(
        Looks=String("(2 0 R) \\ 3 0 R"),
        Chinese=String("示例局 4 0 R"),
        Odd=Name("/A#20b"),
        Real=Decimal("0.000001"),
        Nested=Array([shared, Array([shared, 5, True, None])]),
    )
    return pdf


def copied(pdf: pikepdf.Pdf) -> bytes:
    out = BytesIO()
    writer = Writer(out, pdf.pdf_version)
    source = Source(writer, pdf)
    pages = writer.reserve()
    source.alias(pdf.Root.Pages, pages)
    page = source.number(pdf.pages[0].objgen)
    source.drain()
    writer.write(pages, b"<< /Type /Pages /Count 1 /Kids [ %d 0 R ] >>" % page)
    catalog = writer.reserve()
    writer.write(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % pages)
    writer.close(catalog, None, b"0" * 32)
    return out.getvalue()


def test_objects_read_back_the_same():
    data = copied(original())
    with pikepdf.open(BytesIO(data)) as pdf:
        assert pdf.check_pdf_syntax() == []
        assert len(pdf.pages) == 1
        page = pdf.pages[0].obj
        assert page.Contents.read_bytes() == b"BT /F1 12 Tf (1 0 R) Tj ET"
        extra = page.Extra
        assert str(extra.Looks) == "(2 0 R) \\ 3 0 R"
        assert str(extra.Chinese) == "示例局 4 0 R"
        assert extra.Odd == Name("/A#20b")
        assert extra.Real == Decimal("0.000001")
        shared = extra.Nested[0]
        assert shared.is_indirect and shared.Kind == Name.Shared
        assert extra.Nested[1][0].objgen == shared.objgen  # one object, referred to twice
        assert list(extra.Nested[1])[1:] == [5, True, None]
        assert bytes(pdf.trailer.ID[0]) == b"0" * 32


def test_the_same_objects_give_the_same_bytes():
    assert copied(original()) == copied(original())


def test_only_what_is_reached_is_written():
    pdf = original()
    pdf.make_indirect(Dictionary(Unused=Name("/Yes")))
    with pikepdf.open(BytesIO(copied(pdf))) as found:
        assert not any(isinstance(obj, Dictionary) and "/Unused" in obj for obj in found.objects)
