"""`disclosure serve`: the live preview picks up saved edits, shows data errors at their
lines and recovers, reads only the saved file again, builds the PDF on request, and
listens on 127.0.0.1 only."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, edit, line_of

from compiler.serve.preview import render_problem
from compiler.serve.server import preview_server

QUANTITY = "        quantity: 10\n        unit_price: 0.70\n"  # 台式计算机: 10 × 0.70 = 7.00


def get(url: str, timeout: float = 30) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers["Content-Type"], e.read()


def token_of(page: bytes) -> str:
    found = re.search(rb'var token = "([^"]+)"', page)
    assert found, "the served page carries the reload script"
    return found.group(1).decode()


@pytest.fixture
def server(data_copy: Path):
    running = preview_server(data_copy, 2022, 0)
    running.start()
    yield running
    running.stop()


def next_build(server, after: str) -> tuple[str, bytes]:
    """Wait (as the page's script does) for the build after `after`: its token and its page
    (how soon it comes is the benchmark's business)."""
    status, _, body = get(f"{server.url}_live?after={after}")
    assert status == 200
    token = json.loads(body)["token"]
    assert token != after, "no rebuild within the long-poll time after a saved change"
    _, _, page = get(server.url)
    return token, page


def test_serves_the_web_edition_with_a_pdf_link_and_the_reload_script(server):
    status, kind, page = get(server.url)
    assert status == 200 and kind.startswith("text/html")
    text = page.decode()
    assert "<h2>六、政府采购预算情况</h2>" in text
    assert 'href="/disclosure.pdf"' in text
    assert text.count("</body>") == 1 and text.index('id="disclosure-live"') < text.index("</body>")
    assert get(server.url + "no-such-page")[0] == 404
    port = server.url.rsplit(":", 1)[1].strip("/")
    assert get(f"http://localhost:{port}/")[0] == 200


def test_a_request_for_another_host_name_is_refused(server):
    """A page elsewhere that points its own name at 127.0.0.1 cannot read the preview."""
    request = urllib.request.Request(server.url, headers={"Host": "attacker.example:80"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 421


def test_a_saved_change_is_rebuilt_and_served(server, data_copy):
    _, _, page = get(server.url)
    assert ">7.00<" in page.decode() and ">7.70<" not in page.decode()
    edit(data_copy / "2022" / "procurement.yaml", QUANTITY, QUANTITY.replace("10", "11"))
    _, page = next_build(server, token_of(page))
    assert ">7.70<" in page.decode(), "11 × 0.70 appears in the procurement table"


def test_a_data_error_shows_file_line_and_text_then_the_page_comes_back(server, data_copy):
    procurement = data_copy / "2022" / "procurement.yaml"
    _, _, page = get(server.url)
    edit(procurement, QUANTITY, QUANTITY.replace("10", "ten"))
    token, page = next_build(server, token_of(page))
    text = page.decode()
    line = line_of(procurement, "quantity: ten")
    assert "disclosure-live" not in text, "the disclosure is replaced by the error page"
    assert f"data/2022/procurement.yaml:{line}:19" in text
    assert "projects[0].items[0].quantity: expected a whole number (数量)" in text
    assert f"{line:>5} | " in text and "quantity: <mark>t</mark>en" in text
    assert token_of(page) == token, "the error page reloads itself too"

    edit(procurement, "quantity: ten", "quantity: 10")
    _, page = next_build(server, token)
    assert "disclosure-live" in page.decode() and ">7.00<" in page.decode()


def test_a_broken_yaml_file_is_shown_at_its_line(server, data_copy):
    budget = data_copy / "2022" / "budget.yaml"
    _, _, page = get(server.url)
    edit(budget, "  carried_over: 297.37\n", "  carried_over: [297.37\n")
    _, page = next_build(server, token_of(page))
    text = page.decode()
    assert re.search(r"data/2022/budget\.yaml:\d+:\d+</code> <strong>error:", text), text[-2000:]


def test_only_the_saved_file_is_read_again(server, data_copy):
    files = [p for p in (data_copy / "2022").rglob("*.yaml")]
    assert server.preview.cache.loads == len(files), "the first build reads every file once"
    _, _, page = get(server.url)
    edit(data_copy / "2022" / "procurement.yaml", QUANTITY, QUANTITY.replace("10", "12"))
    next_build(server, token_of(page))
    assert server.preview.cache.loads == len(files) + 1


def test_a_removed_year_is_reported_and_serving_goes_on(server, data_copy):
    _, _, page = get(server.url)
    (data_copy / "2022").rename(data_copy / "moved")
    _, page = next_build(server, token_of(page))
    assert "no data for 2022" in page.decode()
    (data_copy / "moved").rename(data_copy / "2022")
    _, page = next_build(server, token_of(page))
    assert "disclosure-live" in page.decode()


def test_a_department_is_served_with_each_unit_at_its_own_address():
    # Served in place (read only): its files name their schemas by a path relative to it.
    data = ROOT / "tests" / "data" / "department"
    slugs = sorted(p.name for p in (data / "2025" / "units").iterdir() if p.is_dir())
    assert len(slugs) == 2
    running = preview_server(data, 2025, 0)
    running.start()
    try:
        status, _, package = get(running.url)
        assert status == 200 and b'id="disclosure-live"' in package
        for slug in slugs:
            status, _, page = get(f"{running.url}units/{slug}/")
            assert status == 200, slug
            assert f'href="/units/{slug}/disclosure.pdf"'.encode() in page
            assert f'href="/units/{slug}/"'.encode() in package, "the bar links each unit"
        assert get(f"{running.url}units/nobody/")[0] == 404
    finally:
        running.stop()


def test_a_saved_stylesheet_is_read_again(data_copy, tmp_path, monkeypatch, request):
    """Stylesheets are read once per process; a saved one is read again on the next build."""
    from compiler.input.sources import WorkingTreeYear
    from compiler.render import environment
    from compiler.serve.preview import Preview

    assets = tmp_path / "assets"
    shutil.copytree(environment.ASSETS_DIR, assets)
    monkeypatch.setattr(environment, "ASSETS_DIR", assets)
    environment.forget_templates()
    request.addfinalizer(environment.forget_templates)  # later tests read the real one
    preview = Preview(WorkingTreeYear(data_copy, 2022))
    preview.rebuild()
    css = assets / "disclosure.css"
    css.write_text(css.read_text(encoding="utf-8") + "/* saved-marker */\n", encoding="utf-8")
    assert b"saved-marker" not in preview.rebuild().page(""), "read once, kept"
    assert b"saved-marker" in preview.rebuild([css]).page(""), "read again once saved"


def test_a_template_error_is_located_in_its_template(tmp_path):
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    (tmp_path / "page.j2").write_text("one\n{{ m.missing.deeper }}\n", encoding="utf-8")
    (tmp_path / "broken.j2").write_text("one\ntwo\n{% if %}\n", encoding="utf-8")
    env = Environment(loader=FileSystemLoader(str(tmp_path)), undefined=StrictUndefined)
    with pytest.raises(Exception) as raised:
        env.get_template("page.j2").render(m={})
    problem = render_problem(raised.value)
    assert problem.location.file.endswith("page.j2") and problem.location.line == 2
    with pytest.raises(Exception) as raised:
        env.get_template("broken.j2")
    problem = render_problem(raised.value)
    assert problem.location.file.endswith("broken.j2") and problem.location.line == 3
    assert "TemplateSyntaxError" in problem.message


@pytest.mark.slow
def test_the_pdf_is_built_on_request_and_refused_while_the_data_has_errors(
    server, data_copy, shared_pdf_layouts
):
    status, kind, body = get(server.url + "disclosure.pdf", timeout=120)
    assert status == 200 and kind == "application/pdf" and body.startswith(b"%PDF-")
    _, _, page = get(server.url)
    edit(data_copy / "2022" / "procurement.yaml", QUANTITY, QUANTITY.replace("10", "ten"))
    next_build(server, token_of(page))
    status, kind, body = get(server.url + "disclosure.pdf")
    assert status == 409 and kind.startswith("text/html")
    assert "procurement.yaml:" in body.decode()


# --- the command ----------------------------------------------------------------------------


# `python -m compiler …` started as from a terminal, Ctrl+C as it is there: a test run
# started in the background by a shell (`(make test &)`) ignores SIGINT, every process it
# starts inherits that, and Python then leaves it ignored: the server would never stop.
AS_FROM_A_TERMINAL = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "os.execv(sys.executable, [sys.executable, '-m', 'compiler', *sys.argv[1:]])"
)


def _start(data: Path, *args: str) -> tuple[subprocess.Popen, str]:
    # PYTHONFAULTHANDLER: a server that does not stop is ended with SIGABRT, and says where
    # each of its threads was
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONFAULTHANDLER": "1"}
    process = subprocess.Popen(
        [sys.executable, "-c", AS_FROM_A_TERMINAL, "serve", *args, "--data", str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    return process, process.stdout.readline()


def test_the_command_serves_on_127_0_0_1_and_stops_on_ctrl_c(data_copy):
    process, first = _start(data_copy, "--port", "0")
    try:
        found = re.fullmatch(r"serving 2022 at (http://127\.0\.0\.1:(\d+)/) \(valid; .*\)\n", first)
        assert found, first + process.stderr.read()
        assert get(found.group(1))[0] == 200
        assert _listening(int(found.group(2))) == ["127.0.0.1"], "bound to 127.0.0.1 only"
    finally:
        process.send_signal(signal.SIGINT)
        try:
            out, err = process.communicate(timeout=15)
        except subprocess.TimeoutExpired:  # not left serving after the run
            process.send_signal(signal.SIGABRT)  # its threads' stacks to stderr
            out, err = process.communicate()
            pytest.fail(f"serve was still running 15 s after Ctrl+C:\n{out}\n{err}")
    assert process.returncode == 0, err
    assert out.strip().endswith("stopped")


@pytest.mark.parametrize("moment", ["first build", "first line", "second line"])
def test_ctrl_c_while_starting_stops_cleanly(data_copy, cli, monkeypatch, moment):
    """Ctrl+C pressed while the server starts (a race the command above can only hit by
    chance): the server stops, says so and exits 0; nothing is left listening."""
    from compiler.cli import serve as command
    from compiler.serve import server as served

    started = []
    real_start, real_echo = served.PreviewServer.start, command.click.echo

    def start(self):
        started.append(self)
        real_start(self)
        if moment == "first build":
            raise KeyboardInterrupt

    def echo(message=None, **kwargs):
        said = str(message)
        if (moment == "first line" and said.startswith("serving")) or (
            moment == "second line" and "Ctrl+C" in said
        ):
            raise KeyboardInterrupt
        real_echo(message, **kwargs)

    monkeypatch.setattr(served.PreviewServer, "start", start)
    monkeypatch.setattr(command.click, "echo", echo)
    result = cli("serve", "2022", "--data", str(data_copy), "--port", "0")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("stopped")
    assert _listening(started[0].httpd.server_address[1]) == []


def _listening(port: int) -> list[str]:
    """The addresses a socket listens on at `port`, read from the kernel's tables (no
    connection is made to any address but 127.0.0.1)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.append(
                    socket.inet_ntop(socket.AF_INET, bytes.fromhex(address)[::-1])
                    if len(address) == 8
                    else f"ipv6:{address}"
                )
    return found


def test_a_port_in_use_is_trouble(data_copy, cli):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("serve", "2022", "--data", str(data_copy), "--port", str(port))
    assert result.exit_code == 2
    assert f"port {port} on 127.0.0.1 is in use: choose another with --port" in result.stderr


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("2022@main", "'2022@main' is not a year: serve shows a year of the working tree"),
        ("2031", "no data for 2031"),
    ],
)
def test_a_revision_or_a_missing_year_is_trouble(data_copy, cli, year, message):
    result = cli("serve", year, "--data", str(data_copy), "--port", "0")
    assert result.exit_code == 2 and message in result.stderr


def test_validate_imports_neither_the_watcher_nor_the_server(data_copy):
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from compiler.cli import main\n"
        f"result = CliRunner().invoke(main, ['validate', '--data', {str(data_copy)!r}])\n"
        "assert result.exit_code == 0, result.output\n"
        "print(sorted(m for m in ('watchfiles', 'http.server', 'compiler.serve') "
        "if m in sys.modules))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == "[]"
