"""``wflint lsp``: a language server on stdio (pygls 2; ``pip install 'wflint[lsp]'``).

- Diagnostics on open, change and save, with the catalog's severity, the code linked to the
  rule's documentation, and the fix in the message's related data.
- Quick fixes as code actions: one per fixable finding (safe ones preferred, unsafe ones
  labelled "unsafe" with the reason), a ``# noqa`` suppression for every finding, and
  "Fix all safe wflint findings" as a ``source.fixAll.wflint`` action.
- Configuration: the nearest ``pyproject.toml`` (``[tool.wflint]``), ``wflint.toml`` or
  ``.wflint.toml`` above each document — the file ``wflint check`` reads — reloaded when it
  changes. A configuration error is shown to the user and clears the file's diagnostics.

The buffer's text is checked as it is, unsaved edits included; nothing is written to disk.
Checking runs on one worker thread, so the server keeps reading messages while it works: a
request cancelled (``$/cancelRequest``) before its turn never runs and one already running is
answered as cancelled at once, and a check of a version that an edit has since replaced is
skipped. Modules are resolved from the document's package, the workspace folders and the
configuration file's directory, as well as the server's working directory.
"""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path
from pygls.workspace import TextDocument
from pygls.workspace.position_codec import ServerTextPosition, ServerTextRange

from wflint import __version__
from wflint.diagnostics import Diagnostic, column_in_characters

SOURCE = "wflint"
FIX_ALL = "source.fixAll.wflint"
_SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning}


@dataclass
class _Loaded:
    stamp: tuple
    checker: object | None
    error: str | None


@dataclass
class _Snapshot:
    """A document as it was when its check was asked for (the worker never reads the live
    documents, which edits change under it)."""

    document: TextDocument
    buffers: dict[str, str]
    roots: list[str] = field(default_factory=list)


class WflintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("wflint", __version__)
        self._checkers: dict[str, _Loaded] = {}
        #: the findings last published for each document: uri -> (version, findings)
        self.findings: dict[str, tuple[int | None, list[Diagnostic]]] = {}
        #: all checking happens on this one thread, in the order it was asked for
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wflint-check")
        #: the newest version of each document a check was asked for (older ones are skipped)
        self._wanted: dict[str, int | None] = {}
        #: the check under way for each document: uri -> (version, task)
        self._pending: dict[str, tuple[int | None, asyncio.Future]] = {}

    async def in_worker(self, function, *args):
        """Run ``function`` on the worker thread; cancelling the caller cancels it if it has
        not started, and stops waiting for it if it has."""
        return await asyncio.wrap_future(self.worker.submit(function, *args))

    def snapshot(self, uri: str) -> _Snapshot:
        document = self.workspace.get_text_document(uri)
        copy = TextDocument(document.uri, document.source, document.version,
                            position_codec=document.position_codec)
        return _Snapshot(copy, self.buffers(exclude=uri), self.import_roots(document.path))

    def import_roots(self, path: str) -> list[str]:
        """Where a document's absolute imports may start besides its own package: the
        workspace folders holding it and the directory of its configuration file."""
        from wflint.config import nearest_config

        roots = []
        for folder in self.workspace.folders.values():
            root = to_fs_path(folder.uri)
            if root and (path + os.sep).startswith(os.path.join(root, "")):
                roots.append(root)
        found = nearest_config(Path(path))
        if found is not None:
            roots.append(str(found.parent))
        return roots

    # -- configuration --------------------------------------------------------------------

    def checker_for(self, path: str):
        """(checker, error message) for a document path; the checker is rebuilt when its
        configuration file changes."""
        from wflint.config import ConfigError, load_config, nearest_config, resolve_settings
        from wflint.engine import Checker

        found = nearest_config(Path(path))
        key = str(found) if found else ""
        try:
            st = os.stat(found) if found else None
            stamp = (st.st_mtime_ns, st.st_size) if st else ()
        except OSError:
            stamp = ()
        loaded = self._checkers.get(key)
        if loaded is None or loaded.stamp != stamp:
            try:
                settings = resolve_settings(load_config(found) if found else None)
                loaded = _Loaded(stamp, Checker(settings), None)
            except ConfigError as exc:
                loaded = _Loaded(stamp, None, str(exc))
            self._checkers[key] = loaded
        return loaded.checker, loaded.error

    # -- linting --------------------------------------------------------------------------

    async def lint(self, uri: str) -> None:
        """Check a document and publish its findings, unless an edit replaces it meanwhile
        (the check of the newer version publishes instead)."""
        snapshot = self.snapshot(uri)
        version = snapshot.document.version
        self._wanted[uri] = version
        task = asyncio.ensure_future(self.in_worker(self._check, snapshot))
        self._pending[uri] = (version, task)
        try:
            result = await task
        finally:
            if self._pending.get(uri, (None, None))[1] is task:
                del self._pending[uri]
        if result is None or uri not in self.workspace.text_documents or \
                self.workspace.get_text_document(uri).version != version:
            return
        findings, error, internal = result
        if error is not None:
            self.window_show_message(types.ShowMessageParams(
                type=types.MessageType.Error, message=f"wflint: {error}"))
        if internal is not None:
            self.window_log_message(types.LogMessageParams(
                type=types.MessageType.Error,
                message=f"wflint: internal error in {snapshot.document.path}: {internal}"))
        self.findings[uri] = (version, findings)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, version=version,
            diagnostics=[self.to_lsp(snapshot.document, d) for d in findings]))

    def _check(self, snapshot: _Snapshot):
        """(findings, configuration error, internal error) of a snapshot, on the worker; None
        when a newer version of the document is waiting to be checked."""
        document = snapshot.document
        if self._wanted.get(document.uri, document.version) != document.version:
            return None
        checker, error = self.checker_for(document.path)
        if error is not None:
            return [], error, None
        # helper modules are read afresh (they may have changed), open ones from their buffers
        checker.forget_project(snapshot.buffers, snapshot.roots)
        outcome = checker.check_text(document.source, _display_path(document.path))
        return sorted(outcome.diagnostics, key=lambda d: d.sort_key), None, outcome.error

    async def current_findings(self, uri: str) -> list[Diagnostic]:
        """The findings of the document as it is now (checked first if they are older)."""
        version = self.workspace.get_text_document(uri).version
        known, findings = self.findings.get(uri, (None, []))
        if known != version:
            pending = self._pending.get(uri)
            if pending is not None and pending[0] == version:
                await asyncio.shield(pending[1])
            else:
                await self.lint(uri)
            known, findings = self.findings.get(uri, (None, []))
        return findings if known == version else []

    def buffers(self, exclude: str = "") -> dict[str, str]:
        """The text of the open documents (but ``exclude``), by absolute path."""
        found = {}
        for uri, document in self.workspace.text_documents.items():
            if uri != exclude and document.path:
                found[os.path.abspath(document.path)] = document.source
        return found

    async def lint_with_dependents(self, uri: str) -> None:
        """Lint a document, then the other open documents that may call into it: a helper's
        edit changes the findings of the workflows that call it (reported at their calls)."""
        stem = Path(self.workspace.get_text_document(uri).path).stem
        others = [other for other, document in self.workspace.text_documents.items()
                  if other != uri and other in self.findings and stem in document.source]
        await asyncio.gather(self.lint(uri), *(self.lint(other) for other in others))

    def to_lsp(self, document, d: Diagnostic) -> types.Diagnostic:
        return types.Diagnostic(
            range=self.range_of(document, d),
            message=d.message,
            severity=_SEVERITY.get(d.severity, types.DiagnosticSeverity.Error),
            code=d.code,
            code_description=types.CodeDescription(href=d.url),
            source=SOURCE,
            data={"fix": d.fix.applicability.value if d.fix is not None else None},
            related_information=[
                types.DiagnosticRelatedInformation(
                    location=types.Location(
                        uri=Path(path).resolve().as_uri(),
                        range=types.Range(types.Position(max(line - 1, 0), 0),
                                          types.Position(max(line - 1, 0), 0))),
                    message=text)
                for path, line, text in d.related] or None,
        )

    @staticmethod
    def range_of(document, d: Diagnostic) -> types.Range:
        lines = document.lines

        def position(line: int, byte_col: int) -> ServerTextPosition:
            index = min(max(line - 1, 0), max(len(lines) - 1, 0))
            text = lines[index] if lines else ""
            return ServerTextPosition(index, column_in_characters(text, byte_col) - 1)

        start = position(d.line, d.col)
        end = position(d.end_line or d.line, d.end_col or d.col)
        if end < start:
            end = start
        return document.range_to_client_units(ServerTextRange(start, end))

    # -- code actions ---------------------------------------------------------------------

    async def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        findings = await self.current_findings(uri)
        return await self.in_worker(self._actions, self.snapshot(uri), findings, params)

    def _actions(self, snapshot: _Snapshot, findings: list[Diagnostic],
                 params: types.CodeActionParams) -> list[types.CodeAction]:
        document = snapshot.document
        only = params.context.only
        actions: list[types.CodeAction] = []
        if only is None or any(types.CodeActionKind.QuickFix.value.startswith(k) or
                               k.startswith(types.CodeActionKind.QuickFix.value) for k in only):
            for d in findings:
                lsp_diagnostic = self.to_lsp(document, d)
                if not _overlaps(lsp_diagnostic.range, params.range):
                    continue
                action = self._fix_action(document, d, lsp_diagnostic)
                if action is not None:
                    actions.append(action)
                actions.append(self._noqa_action(document, d, lsp_diagnostic))
        if only is not None and any(k in (FIX_ALL, types.CodeActionKind.SourceFixAll.value,
                                          types.CodeActionKind.Source.value) for k in only):
            fix_all = self._fix_all_action(snapshot)
            if fix_all is not None:
                actions.append(fix_all)
        return actions

    def _fix_action(self, document, d: Diagnostic, lsp_diagnostic) -> types.CodeAction | None:
        from wflint.fixes.textedits import line_edits

        fix = d.fix
        if fix is None or not fix.edits:
            return None
        edits = line_edits(document.source, fix)
        if not edits:
            return None
        safe = fix.applicability.value == "safe"
        title = f"wflint: {fix.title} ({d.code})" if safe else \
            f"wflint (unsafe fix): {fix.title} ({d.code})" + (f" — {fix.note}" if fix.note else "")
        return types.CodeAction(
            title=title, kind=types.CodeActionKind.QuickFix, diagnostics=[lsp_diagnostic],
            is_preferred=safe,
            edit=types.WorkspaceEdit(changes={document.uri: [_text_edit(e) for e in edits]}))

    def _noqa_action(self, document, d: Diagnostic, lsp_diagnostic) -> types.CodeAction:
        line = d.line - 1
        text = document.lines[line].rstrip("\r\n") if line < len(document.lines) else ""
        at = document.position_to_client_units(ServerTextPosition(line, len(text)))
        return types.CodeAction(
            title=f"wflint: suppress {d.code} on this line (# noqa: {d.code})",
            kind=types.CodeActionKind.QuickFix, diagnostics=[lsp_diagnostic],
            edit=types.WorkspaceEdit(changes={document.uri: [
                types.TextEdit(range=types.Range(start=at, end=at), new_text=f"  # noqa: {d.code}")]}))

    def _fix_all_action(self, snapshot: _Snapshot) -> types.CodeAction | None:
        from wflint.engine import FixMode

        document = snapshot.document
        checker, error = self.checker_for(document.path)
        if checker is None:
            return None
        checker.forget_project(snapshot.buffers, snapshot.roots)
        outcome = checker.check_text(document.source, _display_path(document.path),
                                     FixMode(unsafe=False, write=False))
        if outcome.error is not None or not outcome.changed:
            return None
        lines = document.lines
        end = document.position_to_client_units(ServerTextPosition(len(lines), 0))
        return types.CodeAction(
            title="wflint: fix all safe findings", kind=FIX_ALL,
            edit=types.WorkspaceEdit(changes={document.uri: [types.TextEdit(
                range=types.Range(start=types.Position(line=0, character=0), end=end),
                new_text=outcome.fixed_source)]}))


def _display_path(path: str) -> str:
    """Findings are reported (and per-file-ignores matched) relative to the working directory
    when the file is below it, as ``wflint check`` would name them."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return path
    return path if relative.startswith("..") else relative


def _text_edit(edit) -> types.TextEdit:
    # whole lines: character 0 is the same in every position encoding
    return types.TextEdit(
        range=types.Range(start=types.Position(line=edit.start, character=0),
                          end=types.Position(line=edit.end, character=0)),
        new_text=edit.text)


def _overlaps(a: types.Range, b: types.Range) -> bool:
    def key(p: types.Position) -> tuple[int, int]:
        return (p.line, p.character)

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def create_server() -> WflintServer:
    server = WflintServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: WflintServer, params: types.DidOpenTextDocumentParams) -> None:
        await ls.lint_with_dependents(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: WflintServer, params: types.DidChangeTextDocumentParams) -> None:
        await ls.lint_with_dependents(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: WflintServer, params: types.DidSaveTextDocumentParams) -> None:
        await ls.lint_with_dependents(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: WflintServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.findings.pop(params.text_document.uri, None)
        ls._wanted.pop(params.text_document.uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=params.text_document.uri, diagnostics=[]))

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL], resolve_provider=False))
    async def code_action(ls: WflintServer, params: types.CodeActionParams):
        return await ls.code_actions(params)

    return server


def main() -> None:
    create_server().start_io()
