"""What a build was made from, so an unchanged rebuild does nothing.

Beside a year's outputs, `.build-record.json` holds the fingerprint of everything that
shaped them — the year's data files and the previous year's (its figures are this year's
baseline), the project's own layouts (layouts/ beside the data folder), the tool itself
(its code, templates, layouts, schemas and catalogue), the fonts the PDF embedded, the
formats asked for and SOURCE_DATE_EPOCH — and the sha256 of each output. A build whose
fingerprint matches and whose outputs are all there, unedited, is skipped. The tool's own
files are read only when their sizes or times differ from the record's (`tool_stamp`). This
module imports nothing heavy: the check must take a blink.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from functools import cache
from pathlib import Path

from ..cache import _tool_paths, _tool_roots, tool_fingerprint  # noqa: F401 (tests)
from ..input.projectlayouts import FOLDER as LAYOUTS_FOLDER
from ..input.projectlayouts import fingerprint_files
from ..input.sources import WorkingTreeYear
from ..paths import CATALOGUE_DIR, SCHEMAS_DIR, TEMPLATES_DIR  # noqa: F401 (tests)

RECORD = ".build-record.json"
VERSION = 1


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# A file changed this recently may change again within the resolution of its times (a
# second on some filesystems): the stamp is not trusted then (git's "racily clean").
RACY_NS = 2_000_000_000
_trusted: dict[str, str] = {}  # stamp → the tool's fingerprint, from a record that had both


@cache
def tool_stamp() -> str | None:
    """The tool's files by place, inode, size and times of modification and of change (the
    latter no copy or unpacking can set). While it is the one recorded, so is the tool's
    fingerprint, and no file need be read: the judgement make and git's index make, in a
    quarter of the time. None while a file was changed in the last two seconds."""
    digest = hashlib.sha256()
    newest = 0
    for path in _tool_paths():
        stat = os.stat(path)
        times = f"{stat.st_mtime_ns}\0{stat.st_ctime_ns}"
        digest.update(f"{path}\0{stat.st_ino}\0{stat.st_size}\0{times}\0".encode())
        newest = max(newest, stat.st_mtime_ns, stat.st_ctime_ns)
    if time.time_ns() - newest < RACY_NS:
        return None
    return digest.hexdigest()


def tool_now() -> tuple[str | None, str]:
    """The tool's stamp and fingerprint as they are now, the stamp taken first: a file
    changed while the others are read shows as a changed stamp next time. A build takes
    them before it starts, so what it records is what it was built with."""
    stamp = tool_stamp()
    if stamp is not None and stamp in _trusted:
        return stamp, _trusted[stamp]
    return stamp, tool_fingerprint()


def forget_tool() -> None:
    """Forget what this process learnt of the tool's files (as a new process would)."""
    _tool_paths.cache_clear()
    tool_fingerprint.cache_clear()
    tool_stamp.cache_clear()
    _trusted.clear()


def _year_files(source: WorkingTreeYear) -> dict[str, str]:
    if not source.exists():
        return {}
    out = {}
    for rel in source.files():
        try:
            out[f"{source.year}/{rel}"] = _sha256(source.read(rel))
        except OSError:
            out[f"{source.year}/{rel}"] = "unreadable"
    return out


def _font_stamps(fonts: list[str]) -> dict[str, str]:
    """The embedded font files by size and modification time (a font package upgrade
    changes the PDF); `fonts` are the build's 'family style: path' lines."""
    stamps = {}
    for line in fonts:
        path = line.rpartition(": ")[2]
        try:
            stat = os.stat(path)
            stamps[path] = f"{stat.st_size}:{stat.st_mtime_ns}"
        except OSError:
            stamps[path] = "missing"
    return stamps


def _project_layouts(source: WorkingTreeYear) -> dict[str, str]:
    """The project's own layouts (layouts/ beside the data folder), every file by content:
    a saved layout, template or stylesheet there changes the fingerprint as a tool's
    template does."""
    folder = Path(os.path.abspath(source.data_dir)).parent / LAYOUTS_FOLDER
    return fingerprint_files(folder)


def fingerprint(
    source: WorkingTreeYear, formats: tuple[str, ...], naming: str, tool: str | None = None
) -> dict:
    """What shaped a build; `tool` is the tool's fingerprint when already known."""
    return {
        "version": VERSION,
        "tool": tool or tool_fingerprint(),
        "data": {**_year_files(source), **_year_files(source.previous())},
        "layouts": _project_layouts(source),
        "formats": sorted(formats),
        "naming": naming,
        "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH", ""),
    }


def record_path(out_dir: Path, source: WorkingTreeYear) -> Path:
    return out_dir / str(source.year) / RECORD


def up_to_date(
    source: WorkingTreeYear,
    out_dir: Path,
    formats: tuple[str, ...],
    naming: str,
    strict: bool = False,
) -> list[Path] | None:
    """The outputs, if the recorded build is still what building now would give; else None
    (no record, an input changed, an output is missing or was edited, or `strict` and the
    recorded build had warnings)."""
    try:
        record = json.loads(record_path(out_dir, source).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or not isinstance(record.get("fingerprint"), dict):
        return None
    stamp, recorded_tool = tool_stamp(), record["fingerprint"].get("tool")
    if stamp is not None and record.get("tool_stamp") == stamp and isinstance(recorded_tool, str):
        _trusted[stamp] = recorded_tool
    if record["fingerprint"] != fingerprint(source, formats, naming, tool_now()[1]):
        return None
    if record.get("fonts") != _font_stamps(record.get("font_lines", [])):
        return None
    if strict and record.get("warnings", 1):
        return None
    outputs = []
    for name, digest in record.get("outputs", {}).items():
        path = out_dir / name
        try:
            if _sha256(path.read_bytes()) != digest:
                return None
        except OSError:
            return None
        outputs.append(path)
    if outputs and stamp is not None and record.get("tool_stamp") != stamp:
        _restamp(record, stamp, record_path(out_dir, source))
    return outputs or None


def _restamp(record: dict, stamp: str, path: Path) -> None:
    """The tool's files were read and are as recorded, only their times changed (a
    checkout and back, a reinstall): record the new stamp, so the next check need not
    read them again."""
    from .output import write_atomic

    text = json.dumps({**record, "tool_stamp": stamp}, ensure_ascii=False, indent=1, sort_keys=True)
    try:
        write_atomic(path, (text + "\n").encode("utf-8"))
    except OSError:
        pass  # a read-only output folder: the outputs are still up to date


def write_record(
    source: WorkingTreeYear,
    out_dir: Path,
    formats: tuple[str, ...],
    naming: str,
    outputs: list[Path],
    font_lines: list[str],
    warnings: int,
    tool: tuple[str | None, str],
) -> None:
    """Record a finished build (after its outputs were written); `tool` is `tool_now()`
    taken before the build started."""
    from .output import write_atomic

    stamp, tool_fingerprint_then = tool
    record = {
        "fingerprint": fingerprint(source, formats, naming, tool_fingerprint_then),
        "tool_stamp": stamp,
        "font_lines": font_lines,
        "warnings": warnings,
        "fonts": _font_stamps(font_lines),
        "outputs": {
            path.relative_to(out_dir).as_posix(): _sha256(path.read_bytes()) for path in outputs
        },
    }
    text = json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    write_atomic(record_path(out_dir, source), text.encode("utf-8"))
