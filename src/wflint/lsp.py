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
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
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


class WflintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("wflint", __version__)
        self._checkers: dict[str, _Loaded] = {}
        #: the findings last published for each document: uri -> (version, findings)
        self.findings: dict[str, tuple[int | None, list[Diagnostic]]] = {}

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

    def lint(self, uri: str) -> None:
        document = self.workspace.get_text_document(uri)
        path = document.path
        checker, error = self.checker_for(path)
        findings: list[Diagnostic] = []
        if error is not None:
            self.window_show_message(types.ShowMessageParams(
                type=types.MessageType.Error, message=f"wflint: {error}"))
        else:
            # helper modules are read afresh (they may have changed), open ones from their buffers
            checker.forget_project(self.buffers(exclude=uri))
            outcome = checker.check_text(document.source, _display_path(path))
            if outcome.error is not None:
                self.window_log_message(types.LogMessageParams(
                    type=types.MessageType.Error,
                    message=f"wflint: internal error in {path}: {outcome.error}"))
            findings = sorted(outcome.diagnostics, key=lambda d: d.sort_key)
        self.findings[uri] = (document.version, findings)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, version=document.version,
            diagnostics=[self.to_lsp(document, d) for d in findings]))

    def buffers(self, exclude: str = "") -> dict[str, str]:
        """The text of the open documents (but ``exclude``), by absolute path."""
        found = {}
        for uri, document in self.workspace.text_documents.items():
            if uri != exclude and document.path:
                found[os.path.abspath(document.path)] = document.source
        return found

    def lint_with_dependents(self, uri: str) -> None:
        """Lint a document, then the other open documents that may call into it: a helper's
        edit changes the findings of the workflows that call it (reported at their calls)."""
        self.lint(uri)
        stem = Path(self.workspace.get_text_document(uri).path).stem
        for other, document in list(self.workspace.text_documents.items()):
            if other != uri and other in self.findings and stem in document.source:
                self.lint(other)

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

    def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        document = self.workspace.get_text_document(uri)
        version, findings = self.findings.get(uri, (None, []))
        if version != document.version:
            self.lint(uri)
            version, findings = self.findings.get(uri, (None, []))
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
            fix_all = self._fix_all_action(document)
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

    def _fix_all_action(self, document) -> types.CodeAction | None:
        from wflint.engine import FixMode

        checker, error = self.checker_for(document.path)
        if checker is None:
            return None
        checker.forget_project(self.buffers(exclude=document.uri))
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
    def did_open(ls: WflintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.lint_with_dependents(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: WflintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.lint_with_dependents(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: WflintServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.lint_with_dependents(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: WflintServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.findings.pop(params.text_document.uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=params.text_document.uri, diagnostics=[]))

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL], resolve_provider=False))
    def code_action(ls: WflintServer, params: types.CodeActionParams):
        return ls.code_actions(params)

    return server


def main() -> None:
    create_server().start_io()
