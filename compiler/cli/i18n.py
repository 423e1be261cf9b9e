"""The command line in the chosen language: help texts are msgids, translated on the way out.

click keeps each command's help as a plain string from the moment the decorators run, which
is before anyone has said which language they read. So every help text is written as
`help=N_("…")` (an English msgid, marked for the catalogue) and `translate` swaps in the
chosen language's words just before click prints anything — again if `--lang` changes it.
"""

from __future__ import annotations

import os
import re
import types
import unicodedata

import click

from ..i18n import N_, _, set_language

_ORIGINAL = "_disclosure_msgids"  # where each object keeps its English msgids


def translate(command: click.Command) -> click.Command:
    """`command`, its options and (for a group) its loaded subcommands, in the chosen language."""
    _swap(command, ("help", "short_help", "epilog"))
    # this tool's own command objects: their help is measured in terminal columns
    command.context_class = Context
    command.get_short_help_str = types.MethodType(_short_help_str, command)
    if getattr(command, "_help_option", None) is not None:
        # click keeps the -h/--help option once made, in the language of that moment
        command._help_option = None
    for param in command.params:
        _swap(param, ("help", "metavar"))
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            translate(sub)
    return command


def _swap(obj: object, attributes: tuple[str, ...]) -> None:
    originals = obj.__dict__.setdefault(
        _ORIGINAL, {name: getattr(obj, name, None) for name in attributes}
    )
    for name, msgid in originals.items():
        if msgid:
            setattr(obj, name, _(msgid))


def display_width(text: str) -> int:
    """Columns a terminal gives `text`: a Chinese character takes two."""
    text = click.unstyle(text)
    return len(text) + sum(unicodedata.east_asian_width(c) in "WF" for c in text)


class HelpFormatter(click.HelpFormatter):
    """click's help formatter, measuring in terminal columns: click lines up the columns of
    its help by counting characters, and 文件夹 takes six columns, not three. The two
    methods that measure are click's own (8.x), with `display_width` where click counts."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            prefix = "{usage} ".format(usage=_("Usage:"))
        usage_prefix = f"{prefix:>{self.current_indent}}{prog} "
        text_width = self.width - self.current_indent
        if not args:
            self.write(usage_prefix.rstrip(" ") + "\n")
            return
        if text_width >= display_width(usage_prefix) + 20:
            indent = " " * display_width(usage_prefix)
            self.write(wrap_text(args, text_width, usage_prefix, indent))
        else:
            self.write(usage_prefix + "\n")
            indent = " " * (max(self.current_indent, display_width(prefix)) + 4)
            self.write(wrap_text(args, text_width, indent, indent))
        self.write("\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        widest = max((display_width(first) for first, _second in rows), default=0)
        first_col = min(widest, col_max) + col_spacing
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if display_width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - display_width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            text_width = max(self.width - first_col - 2, 10)
            lines = _paragraphs(second, text_width, "", "").splitlines()
            self.write(f"{lines[0]}\n" if lines else "\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        self.write(_paragraphs(text, self.width, indent, indent))
        self.write("\n")


def wrap_text(text: str, width: int, initial_indent: str, subsequent_indent: str) -> str:
    """`text` filled to `width` terminal columns: a Chinese character takes two, a line may
    break between two of them (not before a closing mark such as ，or 。, nor after an
    opening one), and a run of Latin letters, digits and marks is kept whole. (click's
    wrapper counts characters, so Chinese lines came out twice as wide as the terminal and
    option help fell out of its column.)"""
    lines: list[str] = []
    line: list[str] = []  # the chunks of the line being filled
    indent = initial_indent

    def width_of(chunks: list[str]) -> int:
        return display_width(indent + "".join(chunks))

    for chunk in _CHUNK.findall(text):
        if chunk.isspace():
            if line and line[-1] != " ":
                line.append(" ")
            continue
        if line and width_of([*line, chunk]) > width:
            carried: list[str] = []
            # a closing mark goes down with the chunk before it; an opening one with the next
            while line and (chunk[0] in _CLOSING or line[-1][-1:] in _OPENING) and len(line) > 1:
                carried.insert(0, line.pop())
                first = carried[0]
                if first != " " and first[-1:] not in _OPENING and first[0] not in _CLOSING:
                    break
            lines.append((indent + "".join(line)).rstrip())
            indent = subsequent_indent
            line = [c for c in carried if c != " "] if carried else []
        line.append(chunk)
    lines.append((indent + "".join(line)).rstrip())
    return "\n".join(lines)


_CHUNK = re.compile(r"\s+|[!-~]+|.")
_CLOSING = set("，。、；：？！）》」』”’,.;:?!)]}>@/")  # never at the start of a line
_OPENING = set("（《「『“‘([{<")  # never at the end of one


def _paragraphs(text: str, width: int, initial_indent: str, subsequent_indent: str) -> str:
    """click's paragraphs (a blank line between two; a paragraph after a line of \\b kept
    as written), each filled by wrap_text; the lines of one paragraph are joined with a
    space, or with nothing between two Chinese characters."""
    out = []
    for block in re.split(r"\n\s*\n", text.expandtabs()):
        lines = block.splitlines()
        if not lines:
            continue
        if lines[0].strip() == "\b":
            out.append("\n".join(initial_indent + line for line in lines[1:]))
            continue
        margin = len(lines[0]) - len(lines[0].lstrip())
        joined = ""
        for line in (line.strip() for line in lines):
            cjk = bool(joined and line) and display_width(joined[-1] + line[0]) == 4
            joined = joined + line if not joined or cjk else f"{joined} {line}"
        pad = " " * margin
        out.append(wrap_text(joined, width, initial_indent + pad, subsequent_indent + pad))
    return "\n\n".join(out)


class Context(click.Context):
    """Every command's context prints its help with the formatter above."""

    formatter_class = HelpFormatter


def short_help(help: str, max_length: int = 45) -> str:
    """A command's line in the list of commands. click cuts a help text at its first '.' or
    at the last space that fits; Chinese has neither, so 检查 YEARS 所列年度并生成... lost
    most of the sentence. A Chinese text ends its sentence at '。' and, if still too wide, is
    cut between characters, measured in terminal columns; any other text is cut as click
    cuts it (its first sentence, else the words that fit)."""
    words = help.partition("\n\n")[0].split()
    if words and words[0] == "\b":  # click's "no rewrap" marker
        words = words[1:]
    first = " ".join(words)
    if display_width(first) == len(first):  # no wide characters: click's own rule
        for i, word in enumerate(words):  # a period ends the sentence unless lowercase follows
            if word.endswith(".") and (i == len(words) - 1 or not words[i + 1][0].islower()):
                first = " ".join(words[: i + 1])
                break
        if len(first) <= max_length:
            return first
        import textwrap

        return textwrap.shorten(first, max_length, placeholder="...", break_on_hyphens=False)
    sentence = first.split("。")[0].rstrip("：；，")
    if display_width(sentence) <= max_length:
        return sentence
    while sentence and display_width(sentence) + 1 > max_length:
        sentence = sentence[:-1]
    return sentence + "…"


def _short_help_str(command: click.Command, limit: int = 45) -> str:
    """`Command.get_short_help_str` for this tool's commands (see `short_help`)."""
    if command.short_help:
        return command.short_help.strip()
    return short_help(command.help, limit).strip() if command.help else ""


def _choose_language(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is None:
        return
    # The years built by other processes (build --jobs) read the same choice.
    os.environ["DISCLOSURE_LANG"] = value
    set_language(value)
    translate(ctx.find_root().command)


lang_option = click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    is_eager=True,
    expose_value=False,
    callback=_choose_language,
    help=N_("Language of messages and help: zh (the default) or en. Also DISCLOSURE_LANG."),
)
