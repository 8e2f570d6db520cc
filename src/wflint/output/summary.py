"""The run's summary in ruff's wording, the ``--statistics`` table and the ``--diff`` output."""

from __future__ import annotations

from collections import Counter

from wflint.codes import BY_CODE
from wflint.output import TEXT_FORMATS, render


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


class Report:
    """The findings of a run, and ruff's summary wording for them."""

    def __init__(self, diagnostics, fixed, fixing: bool, unsafe_fixes: bool, show_fixes: bool,
                 sources=None, failed: bool = False) -> None:
        self.diagnostics = diagnostics
        #: a path or file could not be checked (reported on stderr): never "All checks passed!"
        self.failed = failed
        self.sources = sources
        self.fixed = fixed
        self.fixing = fixing
        self.unsafe_fixes = unsafe_fixes
        self.show_fixes = show_fixes

    def _counts(self) -> tuple[int, int]:
        """(fixable with the current flags, unsafe fixes hidden without --unsafe-fixes)."""
        fixable = hidden = 0
        for d in self.diagnostics:
            if d.fix is None or not d.fix.edits:
                continue
            if d.fix.applicability.allowed(self.unsafe_fixes):
                fixable += 1
            elif d.fix.applicability.value == "unsafe":
                hidden += 1
        return fixable, hidden

    def summary(self) -> list[str]:
        lines: list[str] = []
        remaining = len(self.diagnostics)
        fixed = len(self.fixed)
        fixable, hidden = self._counts()
        if self.fixing and self.show_fixes and self.fixed:
            lines += ["", f"Fixed {_plural(fixed, 'error')}:"]
            by_path: dict[str, Counter] = {}
            for d in self.fixed:
                by_path.setdefault(d.path, Counter())[d.code] += 1
            for path in sorted(by_path):
                lines.append(f"- {path}:")
                for code, count in sorted(by_path[path].items()):
                    lines.append(f"    {count} × {code} ({BY_CODE[code].name})")
            lines.append("")
        if remaining == 0 and fixed == 0:
            if self.failed:
                return lines + ["No findings in what could be checked; the errors above need attention."]
            return lines + ["All checks passed!"]
        warnings = sum(1 for d in self.diagnostics if d.severity == "warning")
        errors = remaining - warnings
        if self.fixing:
            total = remaining + fixed
            if warnings:
                lines.append(f"Found {_plural(total, 'finding')} ({fixed} fixed, {remaining} remaining: "
                             f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}).")
            else:
                lines.append(f"Found {_plural(total, 'error')} ({fixed} fixed, {remaining} remaining).")
        elif warnings:
            found = f"{_plural(errors, 'error')} and " if errors else ""
            lines.append(f"Found {found}{_plural(warnings, 'warning')}.")
        else:
            lines.append(f"Found {_plural(remaining, 'error')}.")
        hint = _plural(hidden, "unsafe fix", "unsafe fixes") + " available with `--fix --unsafe-fixes`"
        if fixable and not self.fixing:
            lines.append(f"[*] {fixable} fixable with `--fix`" + (f" ({hint})." if hidden else "."))
        elif hidden:
            lines.append(f"{hint}.")
        return lines

    def emit(self, output_format: str, output_file: str | None, statistics: bool, quiet: bool,
             use_color: bool, stream) -> None:
        out = open(output_file, "w", encoding="utf-8") if output_file else stream
        try:
            if statistics:
                counts = Counter(d.code for d in self.diagnostics)
                fixable_codes = {d.code for d in self.diagnostics if d.fix is not None and d.fix.edits
                                 and d.fix.applicability.allowed(self.unsafe_fixes)}
                ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
                if output_format in ("json", "json-lines"):  # ruff's shape for --statistics
                    import json

                    out.write(json.dumps([{"code": code, "name": BY_CODE[code].name, "count": count,
                                           "fixable": code in fixable_codes}
                                          for code, count in ordered], indent=2) + "\n")
                    out.flush()
                    return
                for code, count in ordered:
                    mark = "[*]" if code in fixable_codes else "[ ]"
                    out.write(f"{count}\t{code}\t{mark} {BY_CODE[code].name}\n")
            else:
                out.write(render(self.diagnostics, output_format, use_color, self.unsafe_fixes,
                                 self.show_fixes, self.sources))
            if output_format in TEXT_FORMATS and not quiet:
                out.write("".join(line + "\n" for line in self.summary()))
            out.flush()
        finally:
            if output_file:
                out.close()


def emit_diff(changed, fixed, diagnostics, unsafe_fixes: bool, stream) -> None:
    """``--diff``: a unified diff per changed file, then ruff's "Would fix" line."""
    import difflib

    for outcome in sorted(changed, key=lambda o: o.path):
        before = (outcome.original or "").splitlines(keepends=True)
        after = (outcome.fixed_source or "").splitlines(keepends=True)
        stream.writelines(difflib.unified_diff(before, after, outcome.path, outcome.path))
    hidden = 0 if unsafe_fixes else sum(
        1 for d in diagnostics if d.fix is not None and d.fix.edits and d.fix.applicability.value == "unsafe")
    extra = f" ({_plural(hidden, 'additional fix', 'additional fixes')} available with `--unsafe-fixes`)" \
        if hidden else ""
    if fixed:
        stream.write(f"\nWould fix {_plural(len(fixed), 'error')}{extra}.\n")
    else:
        stream.write(f"No errors would be fixed{extra}.\n")
