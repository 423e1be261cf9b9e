"""A PDF written object by object as it is made: the package's streaming join (pdf_join.py).

Why: qpdf writes a PDF from its whole model in memory, and a department's package of 30
units has 175 000 objects (166 000 of them structure elements): saving it alone took
391 MB, and the package grew by 13–22 MB a unit. Here each object goes to the file as
soon as it is read, renumbered; what stays in memory until the end is each object's place
in the file (for the cross-reference stream) and the few objects that span the parts,
written last by the join.

`Writer` numbers and writes objects: those that are not streams packed a hundred at a
time in compressed object streams (as qpdf's object_stream_mode=generate wrote them),
streams as they came, filters kept, and the cross-reference table as a stream (PDF 1.5,
allowed in PDF/A-2 and 3). `Source` copies the objects of one PDF opened with pikepdf into
it, following references from what it is given, each object once, new numbers in the
order met.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from array import array
from collections import deque
from typing import BinaryIO

import pikepdf

# Objects packed in one object stream (qpdf packs 100).
OBJECTS_PER_STREAM = 100


class Writer:
    """A PDF written to `file` as its objects come (see the module's docstring)."""

    def __init__(self, file: BinaryIO, version: str) -> None:
        self._file = file
        # the second file identifier: the content, as qpdf's deterministic one
        self._digest = hashlib.md5(usedforsecurity=False)
        self._position = 0
        # the cross-reference stream's rows by object number: type 1 (offset, 0) or
        # 2 (object stream, index); object 0 is the head of the free list
        self._types = bytearray(b"\0")
        self._first = array("Q", [0])
        self._second = array("I", [65535])
        self._packed: list[tuple[int, bytes]] = []
        # a comment of bytes above 127 on the second line: a binary file (PDF/A)
        self._out(b"%PDF-" + version.encode() + b"\n%\xf0\x9f\x96\xa4\n")

    def reserve(self) -> int:
        """A new object number, its object to be written later."""
        self._types.append(0)
        self._first.append(0)
        self._second.append(0)
        return len(self._types) - 1

    def write(self, number: int, body: bytes) -> None:
        """An object that is not a stream (`body` in PDF syntax)."""
        self._packed.append((number, body))
        if len(self._packed) == OBJECTS_PER_STREAM:
            self._pack()

    def write_stream(self, number: int, dictionary: bytes, data: bytes) -> None:
        """A stream: `dictionary` (its /Length that of `data`) and its data as stored."""
        self._types[number], self._first[number] = 1, self._position
        self._out(b"%d 0 obj\n%s\nstream\n" % (number, dictionary))
        self._out(data)
        self._out(b"\nendstream\nendobj\n")

    def close(self, root: int, info: int | None, identifier: bytes) -> None:
        """The objects still to pack, the cross-reference stream and the trailer's keys:
        the catalog `root`, the document information `info`, the file identifier
        `identifier` (the first of /ID, the second computed from the content)."""
        self._pack()
        number = self.reserve()
        self._types[number], self._first[number] = 1, self._position
        rows = zlib.compress(
            b"".join(
                struct.pack(">BIH", kind, first, second)
                for kind, first, second in zip(self._types, self._first, self._second, strict=True)
            )
        )
        ids = b"[ <%s> <%s> ]" % (identifier.hex().encode(), self._digest.hexdigest().encode())
        info_key = b"" if info is None else b" /Info %d 0 R" % info
        dictionary = (
            b"<< /Type /XRef /Size %d /W [ 1 4 2 ] /Root %d 0 R%s /ID %s /Filter /FlateDecode "
            b"/Length %d >>" % (len(self._types), root, info_key, ids, len(rows))
        )
        offset = self._position
        self.write_stream(number, dictionary, rows)
        self._out(b"startxref\n%d\n%%%%EOF\n" % offset)

    def _pack(self) -> None:
        """The objects waiting, as one compressed object stream."""
        if not self._packed:
            return
        number = self.reserve()
        head, bodies, offset = [], [], 0
        for index, (packed, body) in enumerate(self._packed):
            self._types[packed], self._first[packed], self._second[packed] = 2, number, index
            head.append(b"%d %d" % (packed, offset))
            bodies.append(body + b"\n")
            offset += len(body) + 1
        first = b" ".join(head) + b"\n"
        data = zlib.compress(first + b"".join(bodies))
        dictionary = b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>" % (
            len(self._packed),
            len(first),
            len(data),
        )
        self._packed = []
        self.write_stream(number, dictionary, data)

    def _out(self, data: bytes) -> None:
        self._file.write(data)
        self._digest.update(data)
        self._position += len(data)


# A token of qpdf's unparsed PDF syntax that may hold digits: a literal string (qpdf
# escapes every parenthesis in one, so the first unescaped ")" ends it), a hex string, or
# an indirect reference (after a space or "[": qpdf writes a space between tokens).
_TOKENS = re.compile(rb"\((?:[^\\)]|\\.)*\)|<[0-9A-Fa-f]*>|(?<=[\s\[])(\d+) (\d+) R\b", re.S)


class Source:
    """The objects of `pdf` (opened with pikepdf) copied into `writer` as they are met:
    `number` gives an object its new number and queues it, `body` gives any object in PDF
    syntax with its references renumbered, `drain` writes what is queued (and what that
    refers to). An object `alias`ed is written by someone else: references to it take the
    number given, and it is not followed."""

    def __init__(self, writer: Writer, pdf: pikepdf.Pdf) -> None:
        self.writer = writer
        self.pdf = pdf
        self._numbers: dict[tuple[int, int], int] = {}
        self._queue: deque[tuple[int, int]] = deque()

    def number(self, objgen: tuple[int, int]) -> int:
        found = self._numbers.get(objgen)
        if found is None:
            found = self._numbers[objgen] = self.writer.reserve()
            self._queue.append(objgen)
        return found

    def ref(self, obj: pikepdf.Object) -> bytes:
        return b"%d 0 R" % self.number(obj.objgen)

    def alias(self, obj: pikepdf.Object, number: int) -> None:
        self._numbers[obj.objgen] = number

    def body(self, value) -> bytes:
        """`value` in PDF syntax as a dictionary or array holds it: a reference to it when
        it is an indirect object (queued), else itself, the objects it refers to queued."""
        if not isinstance(value, pikepdf.Object):  # pikepdf gives numbers as Python's
            return pikepdf.Array([value]).unparse()[2:-2]
        if value.is_indirect:
            return self.ref(value)
        return self._content(value)

    def drain(self) -> None:
        while self._queue:
            objgen = self._queue.popleft()
            obj = self.pdf.get_object(objgen)
            number = self._numbers[objgen]
            if isinstance(obj, pikepdf.Stream):
                data = obj.read_raw_bytes()
                if obj.stream_dict.get("/Length") != len(data):  # an indirect length
                    obj.stream_dict.Length = len(data)
                self.writer.write_stream(number, self._content(obj.stream_dict), data)
            else:
                self.writer.write(number, self._content(obj))

    def _content(self, obj: pikepdf.Object) -> bytes:
        return _TOKENS.sub(self._renumbered, obj.unparse(resolved=True))

    def _renumbered(self, found: re.Match) -> bytes:
        if found.group(1) is None:
            return found.group(0)
        return b"%d 0 R" % self.number((int(found.group(1)), int(found.group(2))))
