"""A project layout's templates checked before anything is built.

`check_templates` compiles each template of a project's layout in the environment it
will render in, so that `validate` reports a syntax error, an include of a template that
does not exist and an underscore attribute at its file and line; and reads its
stylesheets as plain files. `checked_templates` does it once per layout read (the
layout's reader, layout/manifest.py, knows nothing of Jinja; the pipeline asks here).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError, nodes

from ..diagnostics import Diagnostic, Location
from ..i18n import _
from ..input.projectlayouts import UnsafeFile
from .environment import environment
from .sandbox import ProjectLoader, UnsafeTemplate, _not_found, _syntax

if TYPE_CHECKING:
    from jinja2 import Environment

    from ..layout.specs import Layout

# Each layout read is checked once: a layout is read again (a new object) only after
# layout.manifest.forget_layouts, when its files may have changed.
_checked: dict[int, tuple[Layout, list[Diagnostic]]] = {}


def checked_templates(layout: Layout) -> list[Diagnostic]:
    """`check_templates(layout)`, once per layout object."""
    entry = _checked.get(id(layout))
    if entry is None or entry[0] is not layout:
        if len(_checked) >= 64:
            _checked.clear()
        entry = _checked[id(layout)] = (layout, check_templates(layout))
    return entry[1]


def check_templates(layout: Layout) -> list[Diagnostic]:
    """Every template of the layout's project folders, compiled in the environment it will
    render in: syntax errors, unknown filters, includes of templates that do not exist and
    underscore attributes, at their lines; and its stylesheets read as plain files."""
    problems: list[Diagnostic] = []
    project = layout.project
    envs = {kind: environment(kind, layout) for kind in ("html", "md")}
    for section, where in layout.section_origins.items():
        for kind, env in envs.items():
            name = f"{kind}/sections/{section.template}.{kind}.j2"
            try:
                env.loader.get_source(env, name)
            except TemplateNotFound:
                message = _(
                    "section {section} has no template {name} in this layout or the layouts "
                    "it extends: add one to the layout's folder"
                ).format(section=section.id, name=name)
                problems.append(Diagnostic(where, message))
            except TemplateError:
                pass  # a link or special file: reported below, at the file
    for folder in layout.project_dirs:
        loader = ProjectLoader(folder, project)
        for name in loader.list_templates():
            path = folder / name
            shown = project.shown(path)
            try:
                source, _filename, _uptodate = loader.get_source(envs["html"], name)
            except UnsafeTemplate as e:  # a link or special file, or not UTF-8
                problems.append(Diagnostic(Location(shown), e.reason))
                continue
            kinds = [name.split("/")[0]] if name.split("/")[0] in envs else ["html", "md"]
            problems += _check_one(envs, kinds, name, source, path, shown)
        for css in ("layout.css", "layout-print.css"):
            try:
                project.read(folder / css).decode("utf-8")
            except FileNotFoundError:
                pass
            except UnsafeFile as e:
                problems.append(Diagnostic(Location(e.file), e.reason))
            except UnicodeDecodeError:
                reason = _("not UTF-8 text: save it as UTF-8")
                problems.append(Diagnostic(Location(project.shown(folder / css)), reason))
    return problems


def _check_one(envs, kinds, name, source, path, shown) -> list[Diagnostic]:
    failures = []
    for kind in kinds:
        env = envs[kind]
        try:
            env.compile(source, name, str(path))
        except TemplateSyntaxError as e:  # also an unknown filter or test
            where = Location(shown, e.lineno or 0, 1 if e.lineno else 0)
            failures.append(Diagnostic(where, _syntax(e)))
            continue
        tree = env.parse(source, name, str(path))
        return _references(env, tree, shown)
    return failures[:1]  # fails in every environment it may render in


def _references(env: Environment, tree: nodes.Template, shown: str) -> list[Diagnostic]:
    problems = []
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        attr = node.attr if isinstance(node, nodes.Getattr) else None
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            attr = node.arg.value if isinstance(node.arg.value, str) else None
        if attr is not None and attr.startswith("_"):
            problems.append(
                Diagnostic(
                    Location(shown, node.lineno, 1),
                    _(
                        "{name} is not allowed in a layout's template: names that start "
                        "with _ are Python's internals"
                    ).format(name=attr),
                )
            )
    for node in tree.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
        target = node.template
        names = []
        if isinstance(target, nodes.Const) and isinstance(target.value, str):
            names = [target.value]
        elif isinstance(target, (nodes.Tuple, nodes.List)):
            names = [i.value for i in target.items if isinstance(i, nodes.Const)]
            if getattr(node, "ignore_missing", False) or len(names) > 1:
                names = []  # one of several, or optional: only rendering can tell
        if getattr(node, "ignore_missing", False):
            continue
        for wanted in names:
            try:
                env.loader.get_source(env, wanted)
            except TemplateNotFound:
                problems.append(Diagnostic(Location(shown, node.lineno, 1), _not_found(wanted)))
            except TemplateError as e:
                problems.append(Diagnostic(Location(shown, node.lineno, 1), str(e)))
    return problems
