"""The Chinese message catalogue: extract, compile, check, merge (Babel).

    python scripts/messages.py update   # the code's msgids (and click's) into the .po
    python scripts/messages.py compile  # the .po into the .mo the tool reads
    python scripts/messages.py check    # all translated, no unknown placeholder, .mo current
    python scripts/messages.py fill FILE.yaml   # translations from a mapping msgid: 中文
    python scripts/messages.py merge BASE OURS THEIRS   # a git merge driver: union of two .po

`make messages` runs update then compile. The .po is sorted by msgid and names no line
numbers, so two branches that add messages rarely touch the same lines, and `merge` (set up
as the merge driver of *.po by scripts/setup.sh) joins them when they do.
"""

from __future__ import annotations

import io
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "compiler"
PO = PACKAGE / "locale" / "zh_CN" / "LC_MESSAGES" / "disclosure.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "gettext": None}
# Fixed dates: the files change only when a message does.
STAMP = datetime(2026, 1, 1, tzinfo=UTC)
PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)(?:[!:][^}]*)?\}(?!\})")


def _extract(folder: Path, origin: str) -> dict[str | tuple, set[str]]:
    """msgid (a (singular, plural) pair for ngettext) → the files that use it."""
    found: dict[str | tuple, set[str]] = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        folder, keywords=KEYWORDS, comment_tags=()
    ):
        if message and all(message if isinstance(message, tuple) else (message,)):
            found.setdefault(message, set()).add(f"{origin}/{filename}")
    return found


def _translated(entry) -> bool:
    if entry is None:
        return False
    strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
    return all(strings)


def _placeholders(text: str | tuple) -> set[str]:
    texts = text if isinstance(text, tuple) else (text,)
    return {name for t in texts for name in PLACEHOLDER.findall(t)}


def code_messages() -> dict[str, set[str]]:
    return _extract(PACKAGE, "compiler")


def click_messages() -> dict[str, set[str]]:
    return _extract(Path(click.__file__).parent, "click")


def _new_catalog() -> Catalog:
    return Catalog(
        locale="zh_CN",
        domain="disclosure",
        project="disclosure-compiler",
        charset="utf-8",
        creation_date=STAMP,
        revision_date=STAMP,
        fuzzy=False,
    )


def read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale="zh_CN", domain="disclosure")


def write(catalog: Catalog, path: Path) -> None:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, sort_output=True, include_lineno=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def update() -> None:
    """The .po holds exactly the msgids of the code and of click, keeping translations."""
    old = read(PO) if PO.exists() else _new_catalog()
    new = _new_catalog()
    wanted = {**click_messages(), **code_messages()}
    for msgid, files in sorted(wanted.items(), key=lambda item: str(item[0])):
        previous = old.get(msgid)
        string = (
            previous.string if previous is not None else ("",) if isinstance(msgid, tuple) else ""
        )
        new.add(msgid, string, locations=[(f, None) for f in sorted(files)])
    write(new, PO)
    untranslated = [m for m in code_messages() if not _translated(new.get(m))]
    print(f"{PO.relative_to(ROOT)}: {len(new)} messages, {len(untranslated)} to translate")


def compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def compile_catalog() -> None:
    MO.write_bytes(compiled(read(PO)))
    print(f"{MO.relative_to(ROOT)} written")


def problems() -> list[str]:
    """What is wrong with the catalogue, one line each (nothing: all is well)."""
    if not PO.exists():
        return [f"{PO.relative_to(ROOT)} is missing: run `make messages`"]
    catalog = read(PO)
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"\b(?:_|N_)\(\s*f[\"']", text):
            line = text.count("\n", 0, m.start()) + 1
            out.append(
                f"{path.relative_to(ROOT)}:{line}: an f-string inside _(): the catalogue "
                "cannot hold it; write _('… {name} …').format(name=…)"
            )
    out += _shadowed_underscores()
    for msgid, files in sorted(code_messages().items(), key=lambda item: str(item[0])):
        entry = catalog.get(msgid)
        where = ", ".join(sorted(files))
        if entry is None:
            out.append(f"not in the catalogue (run `make messages`): {msgid!r} ({where})")
        elif not _translated(entry):
            out.append(f"no Chinese yet: {msgid!r} ({where})")
        elif not _placeholders(entry.string) <= _placeholders(msgid):
            # fewer is fine (the Chinese names the field before the message, so it may
            # leave out the {title} the English repeats); another name would fail to format
            out.append(
                f"the Chinese of {msgid!r} names placeholders the code does not give: "
                f"{entry.string!r} ({where})"
            )
    if not MO.exists() or _messages(_read_mo(MO)) != _messages(catalog):
        out.append(f"{MO.relative_to(ROOT)} is older than the .po: run `make messages`")
    return out


def _read_mo(path: Path) -> Catalog:
    from babel.messages.mofile import read_mo

    with path.open("rb") as file:
        return read_mo(file)


def _messages(catalog: Catalog) -> dict:
    """What the tool reads from a catalogue: msgid → msgstr (singular and plural forms alike)
    and the plural rule. Not the .mo's bytes: a new Babel writes another header
    (Generated-By) without changing a message."""

    def plain(value):  # read_mo gives plural forms as lists, read_po as tuples
        return tuple(value) if isinstance(value, list | tuple) else value

    found = {
        plain(message.id): plain(message.string)
        for message in catalog
        if message.id and not message.fuzzy and _translated(message)
    }
    return {"messages": found, "plural-forms": catalog.plural_forms}


def fill(mapping_file: Path) -> int:
    """Set translations from a YAML mapping of msgid (the singular, for a plural) → Chinese."""
    import yaml

    mapping = yaml.safe_load(mapping_file.read_text(encoding="utf-8")) or {}
    catalog = read(PO)
    by_singular = {m.id[0] if isinstance(m.id, tuple) else m.id: m for m in catalog if m.id}
    unknown = []
    for msgid, chinese in mapping.items():
        entry = by_singular.get(msgid)
        if entry is None:
            unknown.append(msgid)
            continue
        entry.string = (chinese,) if isinstance(entry.id, tuple) else chinese
    write(catalog, PO)
    MO.write_bytes(compiled(catalog))
    for msgid in unknown:
        print(f"not a msgid of the catalogue (run update first?): {msgid!r}")
    print(f"{len(mapping) - len(unknown)} translations set")
    return 1 if unknown else 0


def _shadowed_underscores() -> list[str]:
    """`for _ in …` or `_, x = …` in a module that translates with `_()` makes `_` a local
    name there: the next message fails (TypeError) only when it is shown."""
    import ast

    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports_underscore = any(
            isinstance(node, ast.ImportFrom) and any(a.name == "_" for a in node.names)
            for node in ast.walk(tree)
        )
        if not imports_underscore:
            continue
        in_comprehension = {
            id(target)
            for node in ast.walk(tree)
            if isinstance(node, ast.comprehension)
            for target in ast.walk(node.target)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Name)
                and node.id == "_"
                and isinstance(node.ctx, ast.Store)
                and id(node) not in in_comprehension
            ):
                out.append(
                    f"{path.relative_to(ROOT)}:{node.lineno}: `_` is assigned here, but it is "
                    "the translation function of this module: name the value `_unused`"
                )
    return out


def merge(base: Path, ours: Path, theirs: Path) -> int:
    """A git merge driver: every message of either side, each translation merged three
    ways (a side that left a message as the base had it takes the other side's change).
    Where both changed one differently, ours is kept, the message is named and the exit
    status is 1, so git reports the file as conflicted."""
    before = {m.id: m.string for m in read(base) if m.id} if base.exists() else {}
    mine, other = read(ours), read(theirs)
    merged = _new_catalog()
    conflicts = 0
    for catalog in (mine, other):
        for message in catalog:
            if not message.id:
                continue
            existing = merged.get(message.id)
            if existing is None:
                merged.add(message.id, message.string, locations=message.locations)
            elif message.string == existing.string or not message.string:
                continue
            elif not existing.string or existing.string == before.get(message.id):
                existing.string = message.string  # only theirs changed it
            elif message.string != before.get(message.id):
                print(f"both sides translated {message.id!r}; kept {existing.string!r}")
                conflicts += 1
    write(merged, ours)
    return 1 if conflicts else 0


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "update":
        update()
    elif command == "compile":
        compile_catalog()
    elif command == "fill":
        return fill(Path(argv[2]))
    elif command == "merge":
        return merge(*(Path(a) for a in argv[2:5]))
    elif command == "check":
        found = problems()
        for line in found:
            print(line)
        return 1 if found else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
