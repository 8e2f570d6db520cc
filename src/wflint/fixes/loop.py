"""The fix loop: apply the fixes that apply, check the result again, until nothing more does.

Every round is verified before it is kept (see :mod:`wflint.fixes.verify`): text that does not
compile, or that is worse than before, is never handed back; when a round's fixes together
break the code, they are tried one at a time. The loop knows nothing about files or rules: it
is given a function that finds the findings of a source text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from wflint.diagnostics import Diagnostic
from wflint.fixes.apply import apply_fixes
from wflint.fixes.model import REMOVE, REPLACE, STATEMENT, WRAP, Fix
from wflint.fixes.verify import problem

#: the fix loop stops after this many rounds even if fixes keep applying
MAX_FIX_ROUNDS = 100

#: ``diagnose(source, path)``: the findings of a source text, or None when it does not parse
Diagnose = Callable[[str, str], "list[Diagnostic] | None"]


@dataclass
class FixResult:
    """What the loop ended with: the fixed text, the findings left in it, and those fixed."""

    source: str
    remaining: list[Diagnostic]
    fixed: list[Diagnostic]


class FixLoop:
    def __init__(self, diagnose: Diagnose, unsafe: bool) -> None:
        self.diagnose = diagnose
        self.unsafe = unsafe

    def run(self, source: str, path: str, findings: list[Diagnostic]) -> FixResult:
        current = findings
        fixed: list[Diagnostic] = []
        for _ in range(MAX_FIX_ROUNDS):
            fixes = self._applicable(current)
            if not fixes:
                break
            new_source, applied = apply_fixes(source, fixes)
            rechecked = None
            if applied and new_source != source:
                accepted = self._accepted(source, new_source, path, current, applied)
                if accepted is None:
                    # some fix breaks the code: keep, one by one, those that do not
                    new_source, applied, rechecked = self._one_by_one(source, fixes, path, current)
                else:
                    new_source, rechecked = accepted
            if not applied or rechecked is None or new_source == source:
                break
            fixed.extend(fixed_by(current, applied))
            source, current = new_source, rechecked
        return FixResult(source, current, fixed)

    def _applicable(self, findings: list[Diagnostic]) -> list[Fix]:
        return [d.fix for d in findings
                if d.fix is not None and d.fix.edits and d.fix.applicability.allowed(self.unsafe)]

    def _one_by_one(self, source: str, fixes: list[Fix], path: str, current: list[Diagnostic]):
        for fix in sorted(fixes, key=lambda f: (f.anchor, f.span(), f.title)):
            candidate, applied = apply_fixes(source, [fix])
            if not applied or candidate == source:
                continue
            accepted = self._accepted(source, candidate, path, current, applied)
            if accepted is None:
                continue  # never hand back code that does not compile, or that is worse
            # positions of the remaining fixes moved: re-derive them on the next round
            return accepted[0], applied, accepted[1]
        return source, [], None

    def _accepted(self, before: str, after: str, path: str, current: list[Diagnostic],
                  applied: list[Fix]) -> tuple[str, list[Diagnostic]] | None:
        """The fixed text and its findings, or None when it cannot be handed back.

        A fix can turn code that was fine into a finding: output that ran only in the final
        episode repeats once a durable timer follows it. Such a finding is taken along when
        its own fix applies in this mode and the text fixed both ways passes every check."""
        rechecked = self.diagnose(after, path)
        if rechecked is None:
            return None
        if not _rejects(before, after, path, current, rechecked, applied):
            return after, rechecked
        had = Counter(d.code for d in current)
        grown = {code for code, count in Counter(d.code for d in rechecked).items() if count > had[code]}
        follow = [d.fix for d in rechecked if d.code in grown and d.fix is not None and d.fix.edits
                  and d.fix.applicability.allowed(self.unsafe)]
        if not follow:
            return None
        settled, taken = apply_fixes(after, follow)
        if not taken or settled == after:
            return None
        result = self.diagnose(settled, path)
        if result is None or _rejects(before, settled, path, current, result, applied):
            return None
        return settled, result


def _rejects(before: str, after: str, path: str, current: list[Diagnostic],
             rechecked: list[Diagnostic], applied: list[Fix]) -> str:
    """Why the fixed text cannot be handed back ("" when it can): see fixes.verify."""
    return problem(before, after, path, [d.code for d in current], [d.code for d in rechecked],
                   [d.code for d in fixed_by(current, applied)])


def fixed_by(findings: list[Diagnostic], applied: list[Fix]) -> list[Diagnostic]:
    """The findings the applied fixes remove: their own (or the same fix, made for another
    call of one helper), and those inside the code a fix moved or rewrote whole
    (``sys.argv[1] if len(sys.argv) > 1 else d`` becomes one activity)."""
    applied_ids = {id(f) for f in applied}
    spans = [(e.start, e.end) for f in applied if f.removes_inner for e in f.edits
             if e.kind in (REPLACE, WRAP, STATEMENT, REMOVE)]
    result = []
    for d in findings:
        if d.fix is not None and (id(d.fix) in applied_ids or d.fix.edits and d.fix in applied):
            result.append(d)
        elif any(start <= (d.line, d.col - 1) and (d.end_line, d.end_col - 1) <= end
                 for start, end in spans):
            result.append(d)
    return result
