"""Find the CJK fonts the PDF uses, and prove that every character has a glyph.

WeasyPrint silently draws nothing for a character no font covers, so a missing glyph
would publish a hole in a figure or a name. We read the fonts' character sets from
fontconfig (the same source Pango picks fonts from; cached, so this takes milliseconds
where parsing the 20 MB font files with fontTools took 0.7 s) and fail the build naming
the character and the YAML line it came from.
"""

from __future__ import annotations

import subprocess
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..diagnostics import Diagnostic, Location
from ..errors import FontError
from ..i18n import _
from ..input.loader import Document, dotted, leaves

# The stylesheet names these first; they ship in Debian's fonts-noto-cjk.
BODY_FAMILY = "Noto Serif CJK SC"
HEADING_FAMILY = "Noto Sans CJK SC"


@dataclass(frozen=True)
class FontFace:
    family: str
    style: str
    file: Path
    index: int
    charset: str = field(repr=False, compare=False)  # fontconfig ranges: "20-7e a0-103 …"

    def code_points(self) -> frozenset[int]:
        points: set[int] = set()
        for part in self.charset.split():
            first, _dash, last = part.partition("-")
            points.update(range(int(first, 16), int(last or first, 16) + 1))
        return frozenset(points)


def _fc_list() -> list[FontFace]:
    fields = "%{family[0]}\t%{style[0]}\t%{file}\t%{index}\t%{charset}\n"
    try:
        out = subprocess.run(
            ["fc-list", "--format", fields, ":lang=zh-cn"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        raise FontError(
            _(
                "cannot list fonts with fontconfig's fc-list ({error}); install Debian's "
                "fonts-noto-cjk (apt-get install fonts-noto-cjk)"
            ).format(error=e)
        ) from e
    faces = []
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) == 5 and parts[3].isdigit():
            faces.append(FontFace(parts[0], parts[1], Path(parts[2]), int(parts[3]), parts[4]))
    return faces


@lru_cache(maxsize=1)
def cjk_faces() -> tuple[FontFace, ...]:
    """The regular and bold faces of the two families the stylesheet asks for."""
    wanted = {BODY_FAMILY, HEADING_FAMILY}
    faces = tuple(
        sorted(
            (f for f in _fc_list() if f.family in wanted and f.style in ("Regular", "Bold")),
            key=lambda f: (f.family, f.style),
        )
    )
    missing = wanted - {f.family for f in faces}
    if missing:
        raise FontError(
            _(
                "no CJK font {families} found; install Debian's fonts-noto-cjk "
                "(apt-get install fonts-noto-cjk)"
            ).format(families=", ".join(sorted(missing)))
        )
    return faces


@lru_cache(maxsize=1)
def covered_characters() -> frozenset[int]:
    """Code points that every face the stylesheet may use can draw."""
    covered: frozenset[int] | None = None
    for face in cjk_faces():
        points = face.code_points()
        covered = points if covered is None else covered & points
    return covered or frozenset()


def font_file(family: str, style: str) -> str:
    """The file fontconfig serves for a family and style (what WeasyPrint embedded)."""
    for face in cjk_faces():
        if face.family == family and face.style == style:
            return str(face.file)
    try:
        return subprocess.run(
            ["fc-match", "--format", "%{file}", f"{family}:style={style}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def _needs_glyph(char: str) -> bool:
    return not (char.isspace() or unicodedata.category(char) in ("Cc", "Cf"))


def missing_glyphs(documents: dict[str, Document], rendered_text: str) -> list[Diagnostic]:
    """Characters of the document that no embedded font can draw, located in the data."""
    covered = covered_characters()
    missing = {c for c in set(rendered_text) if _needs_glyph(c) and ord(c) not in covered}
    if not missing:
        return []
    problems = []
    found: set[str] = set()
    for doc in documents.values():
        for path, value in leaves(doc.data):
            if not isinstance(value, str):
                continue
            for char in sorted(set(value) & missing):
                found.add(char)
                problems.append(
                    Diagnostic(
                        _char_location(doc, path, value, char),
                        _(
                            "character '{char}' (U+{code} {name}) has no glyph in the PDF "
                            "fonts ({family}); it would print as a blank: replace it"
                        ).format(
                            char=char,
                            code=f"{ord(char):04X}",
                            name=unicodedata.name(char, "?"),
                            family=BODY_FAMILY,
                        ),
                        field=dotted(path),
                    )
                )
    for char in sorted(missing - found):  # from a template, not from the data
        problems.append(
            Diagnostic(
                Location("templates/"),
                _(
                    "character '{char}' (U+{code}) in a template has no glyph in the PDF fonts"
                ).format(char=char, code=f"{ord(char):04X}"),
            )
        )
    return problems


def _char_location(doc: Document, path: tuple, value: str, char: str) -> Location:
    loc = doc.locate(path)
    offset_lines = value[: value.index(char)].count("\n")
    if path in doc.block_scalars:
        return Location(loc.file, loc.line + 1 + offset_lines, 1)
    return loc
