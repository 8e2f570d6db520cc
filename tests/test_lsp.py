"""``wflint lsp`` end to end: a real LSP client (pytest-lsp) talks to the server over stdio."""

import asyncio
import sys
import textwrap
import time

import pytest

pytest_lsp = pytest.importorskip("pytest_lsp", reason="pytest-lsp is in the test extra")  # never skipped under .ci/run
from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient  # noqa: E402

SOURCE = textwrap.dedent("""\
    import logging
    import random
    import time
    import dapr.ext.workflow as wf

    wfr = wf.WorkflowRuntime()
    logger = logging.getLogger(__name__)

    @wfr.workflow
    def order_workflow(ctx, order):
        label = "héllo😀"; started = time.time()
        logger.info("order %s", order)
        yield ctx.call_activity(save, input=[label, started, random.random()])

    @wfr.activity
    def save(ctx, data):
        return data
""")
CLEAN = "import dapr.ext.workflow as wf\n"


@pytest.fixture
def workspace(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.wflint]\nignore = []\n")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "orders.py").write_text(SOURCE, encoding="utf-8")
    return tmp_path


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "wflint", "lsp"]))
async def client(lsp_client: LanguageClient, workspace):
    started = time.perf_counter()
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(),
        workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="ws")]))
    lsp_client.started = started
    yield
    await lsp_client.shutdown_session()


def document(workspace):
    return (workspace / "app" / "orders.py").as_uri()


async def open_document(client, workspace, text=SOURCE, version=1):
    uri = document(workspace)
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="python", version=version, text=text)))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return uri


async def test_diagnostics_on_open(client: LanguageClient, workspace):
    uri = await open_document(client, workspace)
    round_trip = time.perf_counter() - client.started
    found = client.diagnostics[uri]
    assert [(d.code, d.range.start.line, d.range.start.character) for d in found] == [
        ("WFL101", 10, 33),  # UTF-16: 'é' is one unit, '😀' two; the byte column would be 36
        ("WFL501", 11, 4),
        ("WFL201", 12, 57),
    ]
    clock = found[0]
    assert clock.range.end == types.Position(line=10, character=44)
    assert clock.severity == types.DiagnosticSeverity.Error
    assert found[1].severity == types.DiagnosticSeverity.Warning  # WFL501 is a warning rule
    assert clock.source == "wflint"
    assert clock.code_description.href.endswith("docs/rules/WFL101.md")
    assert "reads the wall clock in workflow 'order_workflow'" in clock.message
    print(f"\nLSP: initialize + didOpen + diagnostics: {round_trip:.2f} s")


async def test_diagnostics_on_change_and_save(client: LanguageClient, workspace):
    uri = await open_document(client, workspace)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=CLEAN)]))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert list(client.diagnostics[uri]) == []
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=3),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=SOURCE)]))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert len(client.diagnostics[uri]) == 3
    # saving re-reads the configuration: a new ignore takes effect
    (workspace / "pyproject.toml").write_text('[tool.wflint]\nignore = ["WFL5"]\n')
    client.text_document_did_save(types.DidSaveTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=uri)))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert [d.code for d in client.diagnostics[uri]] == ["WFL101", "WFL201"]


async def code_actions(client, uri, diagnostic, only=None):
    return await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=diagnostic.range,
        context=types.CodeActionContext(diagnostics=[diagnostic], only=only)))


def apply(text, edits):
    lines = text.splitlines(keepends=True)
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        start, end = edit.range.start, edit.range.end
        assert start.character == 0 and end.character == 0  # whole-line edits
        lines[start.line:end.line] = edit.new_text.splitlines(keepends=True)
    return "".join(lines)


async def test_quick_fixes_safe_and_unsafe(client: LanguageClient, workspace):
    uri = await open_document(client, workspace)
    clock, log, rand = client.diagnostics[uri]

    actions = await code_actions(client, uri, clock)
    fix = actions[0]
    assert fix.kind == types.CodeActionKind.QuickFix and fix.is_preferred
    assert fix.title.startswith("wflint: Replace with `ctx.current_utc_datetime")
    assert fix.diagnostics[0].code == "WFL101"
    fixed = apply(SOURCE, fix.edit.changes[uri])
    assert 'started = ctx.current_utc_datetime.replace(tzinfo=timezone.utc).timestamp()' in fixed
    assert "from datetime import timezone" in fixed

    guard = (await code_actions(client, uri, log))[0]
    assert "if not ctx.is_replaying:\n        logger.info(" in apply(SOURCE, guard.edit.changes[uri])

    unsafe = (await code_actions(client, uri, rand))[0]
    assert unsafe.title.startswith("wflint (unsafe fix): ") and not unsafe.is_preferred
    extracted = apply(SOURCE, unsafe.edit.changes[uri])
    assert "random.random()" in extracted.split("@wfr.workflow")[0]  # now in an activity above
    assert "yield ctx.call_activity(" in extracted.split("def order_workflow")[1]
    compile(extracted, "orders.py", "exec")


async def test_noqa_action_for_every_finding(client: LanguageClient, workspace):
    uri = await open_document(client, workspace)
    for diagnostic in client.diagnostics[uri]:
        actions = await code_actions(client, uri, diagnostic)
        (noqa,) = [a for a in actions if "# noqa" in a.title]
        (edit,) = noqa.edit.changes[uri]
        assert edit.new_text == f"  # noqa: {diagnostic.code}"
        line = SOURCE.splitlines()[diagnostic.range.start.line]
        # the end of the line, in UTF-16 units
        assert edit.range.start.character == len(line.encode("utf-16-le")) // 2


async def test_fix_all_safe(client: LanguageClient, workspace):
    uri = await open_document(client, workspace)
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
        context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll])))
    (fix_all,) = actions
    assert fix_all.kind == "source.fixAll.wflint"
    (edit,) = fix_all.edit.changes[uri]
    assert "time.time()" not in edit.new_text and "if not ctx.is_replaying:" in edit.new_text
    assert "random.random()" in edit.new_text  # the unsafe fix is not applied


async def test_configuration_error_is_shown(client: LanguageClient, workspace):
    (workspace / "pyproject.toml").write_text("[tool.wflint]\nselekt = 1\n")
    uri = await open_document(client, workspace)
    assert list(client.diagnostics[uri]) == []
    assert any("unknown key 'selekt'" in m.message and m.type == types.MessageType.Error
               for m in client.messages)


def test_lsp_without_pygls_is_a_clear_error(tmp_path):
    import subprocess

    blocker = tmp_path / "pygls"
    blocker.mkdir()
    (blocker / "__init__.py").write_text("raise ImportError('No module named pygls (blocked)')\n")
    result = subprocess.run([sys.executable, "-m", "wflint", "lsp"], capture_output=True, text=True,
                            env={"PYTHONPATH": str(tmp_path), "PATH": ""}, input="")
    assert result.returncode == 2
    assert "pip install 'wflint[lsp]'" in result.stderr and "Traceback" not in result.stderr


async def test_a_helper_finding_carries_the_helpers_place(client: LanguageClient, workspace):
    (workspace / "app" / "util.py").write_text("import time\n\n\ndef pause():\n    time.sleep(1)\n")
    text = ("import dapr.ext.workflow as wf\n\nfrom util import pause\n\nwfr = wf.WorkflowRuntime()\n\n\n"
            "@wfr.workflow\ndef order_workflow(ctx, order):\n    pause()\n"
            "    yield ctx.call_activity(save, input=order)\n\n\n"
            "@wfr.activity\ndef save(ctx, data):\n    return data\n")
    uri = await open_document(client, workspace, text)
    (found,) = client.diagnostics[uri]
    assert found.code == "WFL102" and found.range.start.line == 9
    (related,) = found.related_information
    assert related.location.uri == (workspace / "app" / "util.py").as_uri()
    assert related.location.range.start.line == 4
    assert related.message == "time.sleep() in pause()"


async def eventually(condition, timeout: float = 30.0) -> None:
    """Wait until the client's state satisfies ``condition`` (notifications that arrive close
    together can be missed by waiting for them one by one)."""
    deadline = time.perf_counter() + timeout
    while not condition():
        assert time.perf_counter() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_editing_a_helper_refreshes_the_workflow_that_calls_it(client: LanguageClient, workspace):
    """The helper's unsaved buffer is what the workflow's check reads, and the workflow's
    diagnostics are published again when the helper changes."""
    util = workspace / "app" / "util.py"
    util.write_text("def pause():\n    return 1\n")
    text = ("import dapr.ext.workflow as wf\n\nfrom util import pause\n\nwfr = wf.WorkflowRuntime()\n\n\n"
            "@wfr.workflow\ndef order_workflow(ctx, order):\n    pause()\n"
            "    yield ctx.call_activity(save, input=order)\n\n\n"
            "@wfr.activity\ndef save(ctx, data):\n    return data\n")
    uri = await open_document(client, workspace, text)
    assert list(client.diagnostics[uri]) == []
    helper_uri = util.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=helper_uri, language_id="python", version=1, text=util.read_text())))
    await eventually(lambda: helper_uri in client.diagnostics)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=helper_uri, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(
            text="import time\n\n\ndef pause():\n    time.sleep(1)\n")]))
    await eventually(lambda: len(client.diagnostics[uri]) == 1)
    assert list(client.diagnostics[helper_uri]) == []
    (found,) = client.diagnostics[uri]
    assert found.code == "WFL102" and "via pause()" in found.message
    assert util.read_text() == "def pause():\n    return 1\n"  # never saved: the buffer was read


def _slow_source(lines: int = 2500) -> str:
    """A long workflow module whose check takes a noticeable while."""
    body = "".join(f"    started_{i} = time.time()\n" for i in range(lines))
    return ("import time\nimport dapr.ext.workflow as wf\n\nwfr = wf.WorkflowRuntime()\n\n\n"
            "@wfr.workflow\ndef order_workflow(ctx, order):\n" + body +
            "    yield ctx.call_activity(save, input=order)\n\n\n"
            "@wfr.activity\ndef save(ctx, data):\n    return data\n")


def _record_publishes(client) -> list[tuple[str, int | None]]:
    published: list[tuple[str, int | None]] = []
    features = client.protocol.fm.features
    handler = features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS]

    def recording(params):
        published.append((params.uri, params.version))
        return handler(params)

    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = recording
    return published


async def test_a_cancelled_request_is_answered_at_once(client: LanguageClient, workspace):
    """While a long check runs, a code-action request cancelled by the client gets its
    cancellation answer without waiting for the check, and the server goes on working."""
    published = _record_publishes(client)
    uri = document(workspace)
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="python", version=1, text=_slow_source())))
    params = types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=types.Range(types.Position(8, 0), types.Position(8, 40)),
        context=types.CodeActionContext(diagnostics=[]))
    request = asyncio.ensure_future(client.protocol.send_request_async(
        types.TEXT_DOCUMENT_CODE_ACTION, params, msg_id="slow-1"))
    await asyncio.sleep(0.1)  # the request is under way (it waits for the document's check)
    client.protocol.notify("$/cancelRequest", types.CancelParams(id="slow-1"))
    with pytest.raises(Exception, match="(?i)cancel"):
        await request
    assert published == []  # answered before the check it waited for was done
    await eventually(lambda: (uri, 1) in published)
    actions = await client.text_document_code_action_async(params)
    assert any("wall clock" in a.title or "WFL101" in a.title for a in actions), [a.title for a in actions]


async def test_checks_of_replaced_versions_are_skipped(client: LanguageClient, workspace):
    """Edits that arrive while a check runs replace each other: only the newest version is
    checked and published."""
    published = _record_publishes(client)
    uri = document(workspace)
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="python", version=1, text=_slow_source())))
    for version in range(2, 7):
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=_slow_source(2500 + version))]))
    await eventually(lambda: (uri, 6) in published)
    await asyncio.sleep(0.5)
    assert [version for _, version in published] == [6], published
    assert len(client.diagnostics[uri]) == 2500 + 6


async def test_imports_resolve_from_the_workspace_folder(client: LanguageClient, workspace):
    """``from app.clock import stamp`` in a namespace package (no __init__.py) resolves from
    the workspace folder, wherever the editor started the server."""
    (workspace / "app" / "clock.py").write_text("import time\n\n\ndef stamp():\n    return time.time()\n")
    text = ("import dapr.ext.workflow as wf\n\nfrom app.clock import stamp\n\nwfr = wf.WorkflowRuntime()\n\n\n"
            "@wfr.workflow\ndef order_workflow(ctx, order):\n    started = stamp()\n"
            "    yield ctx.call_activity(save, input=[order, started])\n\n\n"
            "@wfr.activity\ndef save(ctx, data):\n    return data\n")
    uri = await open_document(client, workspace, text)
    (found,) = client.diagnostics[uri]
    assert found.code == "WFL101" and found.range.start.line == 9
