"""The pages `disclosure serve` shows besides the web edition itself.

The web edition gets a small bar (a link to the PDF, the time of the last build) and a
script that waits for the next build and reloads the page; a year with data errors gets
an error page listing each problem with its file, line and the text of that line, which
carries the same script, so the disclosure comes back by itself once the data is fixed.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

from ..diagnostics import Diagnostic
from ..i18n import _, document_name, page_language

# Waits for the next build (long poll), then reloads; the browser keeps the scroll position.
# A failed poll (the server restarting) is retried every second.
_SCRIPT = """<script>
(function () {
  var token = %s;
  function poll() {
    fetch("/_live?after=" + encodeURIComponent(token), {cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (d) { if (d.token !== token) { location.reload(); } else { poll(); } })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
</script>"""

_BAR_STYLE = (
    "position:fixed;right:0.5rem;bottom:0.5rem;z-index:10;padding:0.2rem 0.6rem;"
    "font:13px/1.6 sans-serif;background:#fff;border:1px solid #999;border-radius:4px;"
    "box-shadow:0 1px 3px rgba(0,0,0,.2)"
)


def live_script(token: str) -> str:
    return _SCRIPT % json.dumps(token)


def with_live_bar(
    page: str,
    token: str,
    label: str,
    built_at: str,
    warnings: int,
    path: str = "/",
    documents: list[tuple[str, str]] = (),
) -> str:
    """The web edition with the preview bar and the reload script before </body>: the
    time of the build, a link to this document's PDF (at `path`), and links to the other
    documents of a department's year (name, path)."""
    note = (
        " · " + _("{count} warning(s), see `disclosure validate`").format(count=warnings)
        if warnings
        else ""
    )
    others = "".join(
        f' · <a href="{html.escape(href)}">{html.escape(name)}</a>'
        for name, href in documents
        if href != path
    )
    bar = (
        f'<div id="disclosure-live" style="{_BAR_STYLE}">'
        + html.escape(
            _("preview of {year} · built {time}").format(year=document_name(label), time=built_at)
        )
        + f"{html.escape(note)} · "
        f'<a href="{html.escape(path)}disclosure.pdf" target="_blank" rel="noopener">PDF</a>'
        f"{others}</div>\n"
    )
    head, sep, tail = page.rpartition("</body>")
    if not sep:
        return page + bar + live_script(token)
    return head + bar + live_script(token) + "\n" + sep + tail


def error_page(title: str, diagnostics: list[Diagnostic], token: str | None) -> str:
    """Every problem with its place and the text of its line (read from the file shown)."""
    items = []
    for d in diagnostics:
        where = f"{d.shown_field}: " if d.field else ""
        line = source_line(d.location.file, d.location.line)
        shown = "" if line is None else f"<pre>{_marked(line, d.location)}</pre>"
        items.append(
            f'<li class="{d.severity}"><code class="where">{html.escape(str(d.location))}</code> '
            f"<strong>{html.escape(d.severity_word)}:</strong> "
            f"{html.escape(where + d.message)}{shown}</li>"
        )
    script = live_script(token) if token is not None else ""
    comes_back = _("The page comes back by itself once the file is saved without errors.")
    return f"""<!DOCTYPE html>
<html lang="{page_language()}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>
body {{ font: 15px/1.6 sans-serif; max-width: 60rem; margin: 1rem auto; padding: 0 1rem; }}
h1 {{ font-size: 1.3rem; color: #8b1a1a; }}
li {{ margin: 0 0 1rem; }}
li.warning strong {{ color: #8a5a00; }}
li.error strong {{ color: #b00020; }}
pre {{ background: #f3f1ec; padding: 0.4rem 0.6rem; overflow-x: auto; margin: 0.3rem 0 0; }}
</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
<p>{html.escape(comes_back)}</p>
<ol id="problems">
{chr(10).join(items)}
</ol>
{script}
</body>
</html>
"""


def _marked(line: str, where) -> str:
    """`  12 | text` with the character at the column marked (a caret line would not
    line up under Chinese text, whose characters are wider than the spaces before it)."""
    number = f"{where.line:>5} | "
    at = where.column - 1
    if not 0 <= at < len(line):
        return html.escape(number + line)
    return (
        html.escape(number + line[:at])
        + f"<mark>{html.escape(line[at])}</mark>"
        + html.escape(line[at + 1 :])
    )


def source_line(file: str, line: int) -> str | None:
    """Line `line` (1-based) of `file` as the user sees it, or None if it cannot be read."""
    if line < 1:
        return None
    try:
        with open(os.path.abspath(Path(file)), encoding="utf-8", errors="replace") as handle:
            for number, text in enumerate(handle, 1):
                if number == line:
                    return text.rstrip("\r\n")[:400]
    except OSError:
        return None
    return None
