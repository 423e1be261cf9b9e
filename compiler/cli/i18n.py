"""The command line in the chosen language: help texts are msgids, translated on the way out.

click keeps each command's help as a plain string from the moment the decorators run, which
is before anyone has said which language they read. So every help text is written as
`help=N_("…")` (an English msgid, marked for the catalogue) and `translate` swaps in the
chosen language's words just before click prints anything — again if `--lang` changes it.
"""

from __future__ import annotations

import os
import unicodedata

import click
import click.core
import click.formatting

from ..i18n import N_, _, set_language

_ORIGINAL = "_disclosure_msgids"  # where each object keeps its English msgids


def translate(command: click.Command) -> click.Command:
    """`command`, its options and (for a group) its loaded subcommands, in the chosen language."""
    _swap(command, ("help", "short_help", "epilog"))
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


# click lines up the columns of its help by counting characters; 文件夹 takes six columns,
# not three, so the option column is measured in columns instead.
click.formatting.term_len = display_width


_click_short_help = click.core._make_default_short_help


def short_help(help: str, max_length: int = 45) -> str:
    """A command's line in the list of commands. click cuts a help text at its first '.' or
    at the last space that fits; Chinese has neither, so 检查 YEARS 所列年度并生成... lost
    most of the sentence. A Chinese text ends its sentence at '。' and, if still too wide, is
    cut between characters, measured in terminal columns."""
    first = " ".join(help.partition("\n\n")[0].split())
    if display_width(first) == len(first):  # no wide characters: click's own rule
        return _click_short_help(help, max_length)
    sentence = first.split("。")[0].rstrip("：；，")
    if display_width(sentence) <= max_length:
        return sentence
    while sentence and display_width(sentence) + 1 > max_length:
        sentence = sentence[:-1]
    return sentence + "…"


click.core._make_default_short_help = short_help


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
