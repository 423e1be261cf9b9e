"""A 三公 reason the layout's form does not print: given under a key the text has no place
for (the Hebei text gives reasons for 因公出国（境）费, 公务用车购置及运维费 and 公务接待费
only), it would be dropped without a word. An error at the reason's line, naming where the
form does print reasons (the layout's `prints: {reason: […]}`)."""

from __future__ import annotations

from ..diagnostics import Diagnostic
from ..i18n import _
from ..model.disclosure import THREE_PUBLIC_NAMES, Disclosure


def reasons_the_form_prints(m: Disclosure) -> list[Diagnostic]:
    tp = m.three_public
    printed = m.layout.reasons_printed("three-public")
    if tp is None or tp.src is None or printed is None:
        return []
    return [
        Diagnostic(
            tp.src.at("reasons", key),
            _(
                "{what}: this form's text prints no reason for it, so this one would not be "
                "printed; the form prints the reasons of {printed}: write it under one of "
                "those, or delete it"
            ).format(
                what=THREE_PUBLIC_NAMES[key],
                printed="、".join(f"{THREE_PUBLIC_NAMES[k]}（{k}）" for k in printed),
            ),
            field=f"reasons.{key}",
        )
        for key, reason in tp.reasons.items()
        if reason and key not in printed
    ]


RULES = (reasons_the_form_prints,)
