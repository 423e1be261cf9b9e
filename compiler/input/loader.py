"""Strict YAML loading that keeps, for every value, the place it came from.

PyYAML's defaults are wrong for money and for untrusted files: `9.1` becomes a float,
`no` becomes False, `010` becomes 8, duplicate keys silently keep the last value, and
anchors/aliases allow exponential expansion. So we build values from parser events
ourselves, reject aliases, anchors, tags and duplicate keys with located messages, and construct
plain scalars as `Decimal` (numbers written as numbers), bool (`true`/`false`), None
(`null`, `~`, empty) or the string exactly as written.

Text enters here, so the character rule is applied here, once, for every output:
characters that could change how the published text reads (bidirectional controls, control
characters, lone carriage returns, invisible format characters, private-use and unassigned
code points; see `characters`) are refused at their line and column, anywhere in the file,
comments included. What is harmless is normalised: CRLF line ends become LF, and text
is put in Unicode NFC, so that equal-looking names are equal.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from typing import Any

import yaml

from .. import characters
from ..diagnostics import Diagnostic, Location
from ..errors import DataError
from ..i18n import N_, _, language
from . import yaml_hints

MAX_DEPTH = 40  # no disclosure file nests deeper than ~8; this only stops hostile input
MAX_FILE_BYTES = 2_000_000  # the largest file of data/2022 has 20 KB; this only stops hostile input
MAX_CHARACTER_PROBLEMS = 20  # per file: one refused character is usually pasted many times
_STAND_IN = "\ufffd"  # what the parser sees in place of a refused character

_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
NUMBER = _NUMBER  # a plain scalar read as a number (Decimal); the formatter writes only these
_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "false": False}

Path_ = tuple  # a field path: keys and list indexes, e.g. ("income", "general_budget")
# Where something is written in a file: 1-based (line, column). Kept as a pair, not a
# Location: a document's every value and key has one (a department's 40 units held 216 000
# Locations, 15 MB), and the same file read under another name shares them (`named`).
At = tuple[int, int]


@dataclass
class Document:
    """One loaded data file: its data plus where every value and key is written."""

    file: str
    data: Any
    values: dict[Path_, At] = field(default_factory=dict)
    keys: dict[Path_, At] = field(default_factory=dict)
    schema_hint: str | None = None
    block_scalars: set = field(default_factory=set)  # paths of `|`/`>` text: it starts a line below
    raw: bytes = b""

    def locate(self, path: Path_ = ()) -> Location:
        """Where the value at `path` is; the nearest enclosing value if it is absent."""
        path = tuple(path)
        while path and path not in self.values:
            path = path[:-1]
        return Location(self.file, *self.values.get(path, (1, 1)))

    def locate_key(self, path: Path_) -> Location:
        """Where the key naming `path` is written (falls back to the value)."""
        at = self.keys.get(tuple(path))
        return Location(self.file, *at) if at is not None else self.locate(path)

    def named(self, file: str) -> Document:
        """The same document as the file `file` (its data and places shared: read them
        only)."""
        return replace(self, file=file, block_scalars=set(self.block_scalars))


def _in(file: str, at: Location) -> Location:
    return Location(file, at.line, at.column)


class LoadError(DataError):
    def __init__(self, message: str, mark: yaml.Mark | None):
        super().__init__(message)
        self.message = message
        self.mark = mark


# libyaml's parser when PyYAML has it (about ten times faster), else the pure-Python one.
_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _loc(file: str, mark: yaml.Mark | None) -> Location:
    if mark is None:
        return Location(file)
    return Location(file, mark.line + 1, mark.column + 1)


def _at(mark: yaml.Mark | None) -> At:
    return (0, 0) if mark is None else (mark.line + 1, mark.column + 1)


def parse_scalar(value: str, style: str | None) -> Any:
    """Typed value of a scalar: quoted and block ones are text; plain ones follow our rules."""
    if style not in (None, ""):  # quoted or block scalar: always text
        return value
    if value in _NULLS:
        return None
    if value in _BOOLS:
        return _BOOLS[value]
    if _NUMBER.fullmatch(value):
        number = Decimal(value)
        return abs(number) if number.is_zero() else number  # no "-0.00" on the page
    return value


def _schema_hint(text: str) -> str | None:
    for line in text.splitlines()[:5]:
        m = re.match(r"#\s*yaml-language-server:\s*\$schema=(\S+)", line)
        if m:
            return m.group(1)
    return None


def load_text(file: str, text: str) -> tuple[Document | None, list[Diagnostic]]:
    """Parse one file's text. Returns the document (None if unreadable) and its problems."""
    text = text.replace("\r\n", "\n")  # CRLF files: the same lines as LF
    refused = characters.find(text)
    if refused:  # each is reported below; the parser sees a stand-in, so lines stay as written
        chars = list(text)
        for index, _char in refused:
            chars[index] = _STAND_IN
        text = "".join(chars)
    doc = Document(file=file, data=None, schema_hint=_schema_hint(text))
    problems: list[Diagnostic] = []
    spans: list[_Span] = []
    parser = None
    try:
        too_deep = _too_deep_flow(text)
        if too_deep is not None:  # before the parser: its own limit speaks English
            raise LoadError(
                _("nesting deeper than {levels} levels").format(levels=MAX_DEPTH),
                yaml.Mark(file, too_deep, *_line_and_column(text, too_deep), None, None),
            )
        parser = _Parser(text)
        _expect(parser, yaml.StreamStartEvent)
        if parser.check_event(yaml.StreamEndEvent):  # an empty file (or only comments)
            doc.values[()] = (1, 1)
        else:
            _expect(parser, yaml.DocumentStartEvent)
            doc.data = _Builder(doc, parser, problems, text, spans).value((), depth=1)
            _expect(parser, yaml.DocumentEndEvent)
            if not parser.check_event(yaml.StreamEndEvent):
                event = parser.peek_event()
                raise LoadError(
                    _("a second YAML document ('---') is not allowed: keep one per file"),
                    event.start_mark,
                )
    except LoadError as e:
        doc, problems = None, [Diagnostic(_loc(file, e.mark), e.message)]
    except yaml.reader.ReaderError as e:  # pragma: no cover - the character rule comes first
        # libyaml counts bytes of the UTF-8 text, the pure-Python reader characters.
        if _Parser is yaml.SafeLoader:
            before = text[: e.position]
        else:
            before = text.encode("utf-8")[: e.position].decode("utf-8", "ignore")
        char = e.character if isinstance(e.character, str) else chr(e.character)
        where = _position(before, len(before), file)
        doc, problems = None, [Diagnostic(where, characters.message(char))]
    except yaml.MarkedYAMLError as e:
        doc, problems = None, _typing_mistakes(file, text, e)
    except yaml.YAMLError as e:  # pragma: no cover - PyYAML marks its errors
        message = _("malformed YAML: {problem}").format(problem=e)
        doc, problems = None, [Diagnostic(Location(file), message)]
    finally:
        if parser is not None:
            parser.dispose()
    if refused:
        problems = _refused_characters(file, text, refused, spans) + problems
    return doc, problems


def _too_deep_flow(text: str) -> int | None:
    """Where a flow collection (`[…]`, `{…}`) opens deeper than MAX_DEPTH, if one does.

    The event builder counts depth too, but libyaml scans a run of `[[[[…` ahead of the
    events it gives, and newer releases stop it there with an English message of their
    own; this count comes first. Brackets inside quotes and comments do not count; one in
    a plain text may count, which only matters for a text with 40 unclosed brackets."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:  # the usual file: nothing to scan
        return None
    depth = 0
    quote = ""
    previous = "\n"  # the last character outside quotes and comments
    index = 0
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\" and quote == '"':
                index += 1
            elif char == quote:
                quote = ""
        elif char == "#" and previous in " \t\n":
            index = text.find("\n", index)
            if index < 0:
                return None
            continue
        elif char in "'\"" and (depth or previous in " \t\n:-,[{"):
            quote = char
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return index
        elif char in "]}":
            depth = max(depth - 1, 0)
        if not quote:
            previous = char
        index += 1
    return None


def _line_and_column(text: str, index: int) -> tuple[int, int]:
    """0-based line and column of `index`, as a yaml.Mark counts them."""
    line = text.count("\n", 0, index)
    return line, index - (text.rfind("\n", 0, index) + 1)


def _typing_mistakes(file: str, text: str, error: yaml.MarkedYAMLError) -> list[Diagnostic]:
    """Why the parser stopped, where the clerk made the mistake: every typing mistake of
    the file that yaml_hints recognises (a full-width colon, a tab, an indentation…), and
    the parser's own finding, in plain words, when none of them comes before it."""
    mark = error.problem_mark or error.context_mark
    where = _within(_loc(file, mark), text)
    found = [Diagnostic(Location(file, h.line, h.column), h.message) for h in yaml_hints.find(text)]
    if any(d.location.line <= where.line for d in found):
        return found
    return [*found, Diagnostic(where, parser_message(error))]


# What libyaml says → what it means for someone typing a data file.
_PARSER_PROBLEMS = (
    (
        "could not find expected ':'",
        N_(
            "this line is not of the form `field: value`: a field name needs a half-width colon "
            "and a space after it; if the line continues the text above, put the text in quotes "
            "or on one line"
        ),
    ),
    (
        "mapping values are not allowed",
        N_(
            "a colon followed by a space inside a value makes YAML read a new field: put the "
            'whole text in double quotes ("…"), or remove the space after the colon'
        ),
    ),
    (
        "found character that cannot start any token",
        N_(
            "a value cannot start with this character (often a tab used for indentation, or a "
            "value starting with @ or `): indent with spaces, or put the text in quotes"
        ),
    ),
    (
        "did not find expected key",
        N_(
            "the indentation does not match the lines above: fields of the same level start in "
            "the same column"
        ),
    ),
    (
        "did not find expected '-' indicator",
        N_(
            "the indentation of the list does not match: every `- ` of one list starts in the "
            "same column"
        ),
    ),
    (
        "found unexpected end of stream",
        N_("a quote is opened and never closed: close it at the end of the text"),
    ),
    (
        "expected <block end>",
        N_(
            "the indentation does not match the lines above: fields of the same level start in "
            "the same column"
        ),
    ),
    (
        "tab character",
        N_(
            "a tab (制表符) is used for indentation; YAML indents with spaces only: replace the "
            "tab by spaces"
        ),
    ),
    (
        "expected alphabetic or numeric character",
        N_("a value starting with * or & has a special meaning in YAML: put the text in quotes"),
    ),
    (
        "found unknown escape character",
        N_(
            "a backslash (\\) in double quotes starts an escape: write the text in single quotes "
            "('…'), or double the backslash"
        ),
    ),
)


def parser_message(error: yaml.MarkedYAMLError) -> str:
    """The parser's finding in a clerk's words (its own words after them, for the rare case
    no explanation fits)."""
    problem = " ".join(p for p in (error.context, error.problem) if p)
    for fragment, explanation in _PARSER_PROBLEMS:
        if fragment in problem:
            return _(explanation)
    return _("malformed YAML: {problem}").format(problem=problem)


def _within(location: Location, text: str) -> Location:
    """The parser reports the end of a file without a final line feed on a line after the
    last: an editor (and a pull-request annotation) needs a line the file has."""
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    if location.line <= max(len(lines), 1):
        return location
    last = lines[-1] if lines else ""
    return Location(location.file, max(len(lines), 1), len(last) + 1)


def _position(text: str, index: int, file: str = "") -> Location:
    """Line and column of `text[index]`, counting only line feeds as line breaks."""
    line_start = text.rfind("\n", 0, index) + 1
    return Location(file, text.count("\n", 0, index) + 1, index - line_start + 1)


@dataclass(frozen=True)
class _Span:
    """Where one scalar (a value, or a key) is written, as character indexes of the file."""

    start: int
    end: int
    path: Path_


def _field_at(spans: list[_Span], index: int) -> str:
    """The field whose value (or key) holds character `index`; '' in a comment or between."""
    k = bisect_right([s.start for s in spans], index) - 1
    if k >= 0 and index < spans[k].end:
        return _dotted(spans[k].path)
    return ""


def _refused_characters(
    file: str, text: str, refused: list[tuple[int, str]], spans: list[_Span]
) -> list[Diagnostic]:
    shown = refused[:MAX_CHARACTER_PROBLEMS]
    problems = [
        Diagnostic(_position(text, index, file), characters.message(char), _field_at(spans, index))
        for index, char in shown
    ]
    if len(refused) > len(shown):
        index, char = refused[len(shown)]
        problems.append(
            Diagnostic(
                _position(text, index, file),
                _(
                    "{count} more characters like these are not shown; delete every one (an "
                    "editor's search for the code point finds them)"
                ).format(count=len(refused) - len(shown)),
            )
        )
    return problems


def _expect(parser, event_type) -> yaml.Event:
    event = parser.get_event()
    if not isinstance(event, event_type):  # pragma: no cover - the parser guarantees order
        raise LoadError(f"unexpected {type(event).__name__}", event.start_mark)
    return event


class _Builder:
    """Builds plain values from parser events, recording every value's location.

    Working from events (not PyYAML's node composer) lets us refuse aliases, anchors and
    tags before anything is constructed, and keeps the fast C parser.
    """

    def __init__(
        self, doc: Document, parser, problems: list[Diagnostic], text: str, spans: list[_Span]
    ):
        self.doc = doc
        self.parser = parser
        self.problems = problems
        self.text = text
        self.spans = spans

    def _text(self, event: yaml.ScalarEvent, path: Path_) -> str:
        """A scalar's text under the character rule: an escape in quotes ("\\u202e", "\\t")
        can make a character the file itself does not hold; a tab is refused in text."""
        start, end = event.start_mark.index, event.end_mark.index
        self.spans.append(_Span(start, end, path))
        value = event.value
        for _index, char in characters.find(value, in_value=True)[:1]:
            index = self.text.find(char, start, end)
            where = _position(self.text, index if index >= 0 else start, self.doc.file)
            message = characters.message(char, in_value=True)
            if index < 0:
                message = _("{problem} (written as an escape in quotes)").format(problem=message)
            self.problems.append(Diagnostic(where, message, _dotted(path)))
        if value and unicodedata.category(value[0]) in ("Mn", "Mc", "Me"):
            # a combining mark joins the character printed before it: in a table cell or
            # after a figure ("3" then "\u0336人") it strikes out or rings the figure
            self.problems.append(
                Diagnostic(
                    _position(self.text, start, self.doc.file),
                    _(
                        "the text starts with the combining mark {name}, which is drawn onto "
                        "whatever is printed before it (a figure can look struck out); delete it"
                    ).format(name=characters.name(value[0])),
                    _dotted(path),
                )
            )
        if not unicodedata.is_normalized("NFC", value):
            value = unicodedata.normalize("NFC", value)
        return value

    def _check(self, event) -> None:
        if isinstance(event, yaml.AliasEvent):
            raise LoadError(
                _("alias *{name} is not allowed: write the value out in full").format(
                    name=event.anchor
                ),
                event.start_mark,
            )
        if getattr(event, "anchor", None):
            raise LoadError(
                _("anchor &{name} is not allowed: data files do not use anchors or aliases").format(
                    name=event.anchor
                ),
                event.start_mark,
            )
        tag = getattr(event, "tag", None)
        if tag is not None:
            tag = tag.replace("tag:yaml.org,2002:", "!!")
            raise LoadError(
                _("tag {tag} is not allowed: write plain values (quote text if needed)").format(
                    tag=tag
                ),
                event.start_mark,
            )

    def value(self, path: Path_, depth: int) -> Any:
        event = self.parser.get_event()
        self._check(event)
        if depth > MAX_DEPTH:
            raise LoadError(
                _("nesting deeper than {levels} levels").format(levels=MAX_DEPTH),
                event.start_mark,
            )
        self.doc.values[path] = _at(event.start_mark)
        if isinstance(event, yaml.ScalarEvent):
            if event.style in ("|", ">"):
                self.doc.block_scalars.add(path)
            return parse_scalar(self._text(event, path), event.style)
        if isinstance(event, yaml.SequenceStartEvent):
            items = []
            while not self.parser.check_event(yaml.SequenceEndEvent):
                items.append(self.value(path + (len(items),), depth + 1))
            self.parser.get_event()
            return items
        if isinstance(event, yaml.MappingStartEvent):
            return self._mapping(path, depth)
        raise LoadError(f"unexpected {type(event).__name__}", event.start_mark)  # pragma: no cover

    def _mapping(self, path: Path_, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        while not self.parser.check_event(yaml.MappingEndEvent):
            key_event = self.parser.peek_event()
            self._check(key_event)
            key_at = _at(key_event.start_mark)
            if not isinstance(key_event, yaml.ScalarEvent):
                raise LoadError(
                    _("a key must be a plain name, not a list or mapping"), key_event.start_mark
                )
            self.parser.get_event()
            key = self._text(key_event, path + (key_event.value,))
            if key in first_line:
                self.problems.append(
                    Diagnostic(
                        Location(self.doc.file, *key_at),
                        _(
                            "duplicate key '{key}': first written on line {first}, again on "
                            "line {again}; keep one"
                        ).format(key=key, first=first_line[key], again=key_at[0]),
                        field=_dotted(path + (key,)),
                    )
                )
                self._skip(depth + 1)
                continue
            first_line[key] = key_at[0]
            self.doc.keys[path + (key,)] = key_at
            result[key] = self.value(path + (key,), depth + 1)
        self.parser.get_event()
        return result

    def _skip(self, depth: int) -> None:
        """Consume the value of a duplicate key (still checked for aliases and tags)."""
        scratch = Document(self.doc.file, None)
        _Builder(scratch, self.parser, self.problems, self.text, []).value((), depth)


def load_bytes(file: str, raw: bytes) -> tuple[Document | None, list[Diagnostic]]:
    if len(raw) > MAX_FILE_BYTES:
        return None, [
            Diagnostic(
                Location(file, 1, 1),
                _(
                    "file is too large ({size} bytes, at most {limit}): a data file of a "
                    "disclosure holds a few kilobytes; check that this is the right file"
                ).format(size=f"{len(raw):,}", limit=f"{MAX_FILE_BYTES:,}"),
            )
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        message = _(
            "file is not valid UTF-8 text: save it as UTF-8 (in the editor: 另存为, 编码 UTF-8)"
        )
        return None, [Diagnostic(Location(file, line, 1), message)]
    if text.startswith("\ufeff"):
        text = text[1:]
    doc, problems = load_text(file, text)
    if doc is not None:
        doc.raw = raw  # the bytes as committed: what the PDF embeds as its source
    return doc, problems


def load_bytes_once(file: str, raw: bytes) -> tuple[Document | None, list[Diagnostic]]:
    """`load_bytes`, the same bytes parsed once a process (a year compiled again, a file
    unchanged between two revisions or years, a copy): the documents share their data,
    which the pipeline only reads (as `disclosure serve`'s cache of loaded files also
    requires)."""
    doc, problems = _loaded(raw, language())
    return (
        doc.named(file) if doc is not None else None,
        [replace(p, location=_in(file, p.location)) for p in problems],
    )


@lru_cache(maxsize=512)
def _loaded(raw: bytes, lang: str) -> tuple[Document | None, tuple[Diagnostic, ...]]:
    """The bytes loaded as a file without a name (`lang`: the messages' language)."""
    doc, problems = load_bytes("", raw)
    return doc, tuple(problems)


def leaves(value: Any, path: Path_ = ()):
    """Every scalar of loaded data (or of the model's exported tree) with its field path."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from leaves(item, path + (i,))
    else:
        yield path, value


def _dotted(path: Path_) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


dotted = _dotted
