"""Rendering a project's layouts safely: Jinja's sandbox, plain files only, located errors.

A project's layouts (layouts/<name>/ beside data/) come from the unit's repository, where a
pull request can change them, so their templates must not be able to run code or read
files. A layout whose chain holds a project's layout therefore renders (all of it: the
project's templates, and the tool's templates they extend or include) in an
ImmutableSandboxedEnvironment with the filters and settings of the tool's own environment:

- attributes starting with "_" and Python's internals are refused (the sandbox), as are
  the methods that change a list or dict (immutable), and str.format is sandboxed too;
- an attribute is read only from the values the templates are given — the model's parts
  (its budget lines and their rows too), the layout, the planned sections, the tables,
  numbers, text, dates and containers, and Jinja's own helpers — so a template cannot
  reach, say, a pathlib.Path the layout holds and call its read_text (see `_readable`);
- the project's template files are read only as plain files inside the layouts folder (no
  symbolic link anywhere on the way); template names cannot climb out of a layout's
  folder (Jinja refuses `..`; `/etc/passwd` is looked up as etc/passwd inside each folder).

`templatecheck.check_templates` compiles each template of a project's layout when a year names it,
so that `validate` reports a syntax error, an include of a template that does not exist and
an underscore attribute at its file and line, before anything is built; whatever the
sandbox refuses while rendering is reported the same way (`template_problem`).
"""

from __future__ import annotations

import os
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import (
    BaseLoader,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    runtime,
    utils,
)
from jinja2.environment import TemplateModule
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from ..diagnostics import Diagnostic, Location
from ..errors import template_position
from ..i18n import _
from ..input.projectlayouts import ProjectLayouts, UnsafeFile

if TYPE_CHECKING:
    from ..layout.specs import Layout

# The values whose attributes a sandboxed template may read: plain values, containers,
# Jinja's helpers (loop, macros, namespace, cycler) and the compiler's own model, layout,
# section plan and tables. Anything else (a pathlib.Path, a module, a function's globals)
# is refused even where the sandbox's own rules would allow it.
_PLAIN = (str, int, float, bool, Decimal, date, datetime, tuple, list, dict, frozenset, set)
_JINJA = (
    runtime.LoopContext,  # loop.index, loop.cycle
    runtime.Macro,
    runtime.TemplateReference,  # self.block()
    runtime.BlockReference,  # super()
    TemplateModule,  # an imported template's macros
    utils.Namespace,
    utils.Cycler,
    utils.Joiner,
)
_MODEL = frozenset(
    {
        "compiler.model.disclosure",
        "compiler.model.base",
        # the budget lines and their queries (function_rows, economic_rows, totals): read
        # only, as every list and dict is in the immutable sandbox; their catalogue is an
        # input object and stays out of reach
        "compiler.model.lines",
        "compiler.model.parts",
        "compiler.model.performance",
        "compiler.layout.specs",
        "compiler.layout.sections",
        "compiler.layout.tables",
    }
)


def _readable(obj) -> bool:
    if obj is None or isinstance(obj, _PLAIN) or isinstance(obj, _JINJA):
        return True
    return type(obj).__module__ in _MODEL


class LayoutSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, reading attributes only of the values templates are given."""

    def is_safe_attribute(self, obj, attr: str, value) -> bool:
        return _readable(obj) and super().is_safe_attribute(obj, attr, value)

    def is_safe_callable(self, obj) -> bool:
        owner = getattr(obj, "__self__", None)  # a bound method: of a value we may read
        if owner is not None and not _readable(owner):
            return False
        return super().is_safe_callable(obj)


class ProjectLoader(BaseLoader):
    """Templates of one folder of a project's layouts, read as plain files only."""

    def __init__(self, folder: Path, project: ProjectLayouts) -> None:
        self.folder = Path(os.path.abspath(folder))
        self.project = project

    def get_source(self, environment, template: str):
        pieces = split_template_path(template)  # TemplateNotFound for "..": nothing above
        path = self.folder.joinpath(*pieces)
        try:
            data = self.project.read(path)
        except FileNotFoundError:
            raise TemplateNotFound(template) from None
        except UnsafeFile as e:
            raise UnsafeTemplate(str(e), e) from None
        except OSError:
            raise TemplateNotFound(template) from None
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError as e:
            reason = _("not UTF-8 text: save it as UTF-8")
            raise UnsafeTemplate(f"{self.project.shown(path)}: {reason}", reason) from e
        mtime = _mtime(path)
        return source, str(path), lambda: _mtime(path) == mtime

    def list_templates(self) -> list[str]:
        found = []
        for here, dirs, names in os.walk(self.folder, followlinks=False):
            links = [d for d in dirs if os.path.islink(os.path.join(here, d))]
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in links)
            for name in names + links:  # a linked folder is listed, so that it is refused
                if name.endswith(".j2") or name in links:
                    rel = os.path.relpath(os.path.join(here, name), self.folder)
                    found.append(rel.replace(os.sep, "/"))
        return sorted(found)


class UnsafeTemplate(TemplateError):
    """A project's template file that is not a plain file (a link, a device) or not text;
    `reason` says which, without the file's name."""

    def __init__(self, message: str, reason: str | UnsafeFile) -> None:
        super().__init__(message)
        self.reason = reason.reason if isinstance(reason, UnsafeFile) else reason


def _mtime(path: Path) -> float | None:
    try:
        return os.lstat(path).st_mtime
    except OSError:
        return None


# --- checks when a project's layout is loaded ------------------------------------------------


def _syntax(error: TemplateSyntaxError) -> str:
    return _("template error: {error}").format(error=error.message or str(error))


def _not_found(name) -> str:
    return _(
        "template {name} not found: a layout's templates can use the templates of their "
        "layout, of the layouts it extends and the tool's shared ones, by their path "
        "inside those folders (such as html/sections/duties.html.j2)"
    ).format(name=repr(name))


# --- errors while rendering ----------------------------------------------------------------


def template_problem(error: Exception, layouts: list[Layout]) -> Diagnostic | None:
    """An error while rendering with a project's layout, at its template's line (Jinja puts
    template lines into the traceback), else at its manifest: a project's layout may be
    wrong in ways only rendering shows, and that is never a traceback. None for trouble
    outside the layout (no CJK font, an unwritable disk, a bad setting), which the caller
    raises again."""
    from ..errors import BuildSettingError, FontError, MissingValue, OutsideResource
    from ..layout.specs import ConditionError

    if isinstance(error, (FontError, BuildSettingError)) or (
        isinstance(error, OSError) and not isinstance(error, (UnsafeFile, TemplateError))
    ):  # (Jinja's TemplateNotFound is an OSError too)
        return None
    if isinstance(error, ConditionError) and error.location is not None:
        return Diagnostic(error.location, str(error), field="empty_if")
    projects = [layout.project for layout in layouts if layout.project is not None]
    if isinstance(error, OutsideResource):  # raised by WeasyPrint: found in the templates
        file, line = _written_at(error.url, layouts)
    else:
        file, line = template_position(error)
    shown = _shown(file, projects) if file else (layouts[0].manifest or layouts[0].name)
    if isinstance(error, OutsideResource):
        message = _(
            "the layout asks for {url}, and a build reads nothing from outside the data "
            "and the layout's own text: remove it from the template"
        ).format(url=error.url)
    elif isinstance(error, SecurityError):
        message = _("not allowed in a layout's template: {error}").format(error=error)
    elif isinstance(error, TemplateNotFound):
        message = _not_found(error.name)
    elif isinstance(error, TemplateSyntaxError):
        message = _syntax(error)
    elif isinstance(error, (TemplateError, MissingValue)):
        message = _("cannot render the layout: {error}").format(error=error)
    else:
        message = _("cannot render the layout: {error}").format(
            error=f"{type(error).__name__}: {error}"
        )
    return Diagnostic(Location(shown, line, 1 if line else 0), message)


def _written_at(url: str, layouts: list[Layout]) -> tuple[str | None, int]:
    """The project template file and line that hold `url`, if one does."""
    for layout in layouts:
        if layout.project is None:
            continue
        for folder in layout.template_dirs:
            if not layout.project.holds(str(folder)):
                continue
            for template in sorted(Path(folder).rglob("*.j2")):
                lines = template.read_text(encoding="utf-8", errors="replace").splitlines()
                for number, text in enumerate(lines, 1):
                    if url in text:
                        return str(template), number
    return None, 0


def _shown(file: str, projects) -> str:
    for project in projects:
        if project.holds(file):
            return project.shown(file)
    relative = os.path.relpath(os.path.abspath(file))
    return file if relative.startswith("..") else relative
