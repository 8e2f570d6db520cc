"""Rule documentation, rendered from the catalog, the rule's docstring and the framework tables."""

from __future__ import annotations

import inspect
import re

from wflint.codes import BY_CODE, COMPAT_CODES, FILE_CODES, rule_class
from wflint.frameworks import FRAMEWORKS, SELECTABLE

_CODE_BLOCK = re.compile(r"```python\n(.*?)```", re.S)
_AVAILABILITY = {
    "none": "Fix: none.",
    "display-only": "Fix: a suggestion, never applied automatically.",
    "sometimes": "Fix: sometimes available (see Fix safety).",
    "always": "Fix: always available (see Fix safety).",
}


def rule_docstring(code: str) -> str:
    if code in COMPAT_CODES:
        from wflint.compat_docs import EXPLANATIONS

        return EXPLANATIONS[code]
    return inspect.cleandoc(rule_class(code).__doc__ or "")


def doc_examples(code: str) -> tuple[str, str]:
    """The ``## Example`` and ``## Use instead`` code blocks of a rule's documentation."""
    doc = rule_docstring(code)
    example = doc.split("## Example", 1)[1].split("## Use instead", 1)[0]
    instead = doc.split("## Use instead", 1)[1].split("\n## ", 1)[0]
    return _CODE_BLOCK.search(example).group(1), _CODE_BLOCK.search(instead).group(1)


def per_framework(code: str) -> list[tuple[str, str]]:
    """(framework title, what to do instead) for every framework the rule applies to."""
    rule = rule_class(code)
    rows = []
    for fw in FRAMEWORKS.values():
        if fw.name not in SELECTABLE or not rule().applies_to_framework(fw):
            continue
        ctx = fw.default_context_name
        rows.append((fw.title, fw.alternative(code, None, ctx)))
        for (alt_code, name), _ in fw.call_alternatives.items():
            if alt_code == code:
                rows.append((f"{fw.title}: {name}()", fw.alternative(code, name, ctx)))
    return rows


def rule_markdown(code: str) -> str:
    if code in COMPAT_CODES:
        entry = COMPAT_CODES[code]
        return "\n".join([f"# {entry.name} ({code})", "", f"Severity: {entry.severity}. {entry.summary}", "",
                          "Reported by `wflint compat` (see [compat.md](../compat.md)), never by `wflint check`.",
                          "", rule_docstring(code)]) + "\n"
    entry = BY_CODE[code]
    availability = _AVAILABILITY[rule_class(code).fix_availability]
    parts = [f"# {entry.name} ({code})", "", f"Severity: {entry.severity}. {entry.summary}", "",
             availability, "", rule_docstring(code)]
    if code not in FILE_CODES:
        parts += ["", "## Per framework", "", "| Framework | Instead |", "|---|---|"]
        parts += [f"| {title} | {text} |" for title, text in per_framework(code)]
    return "\n".join(parts) + "\n"


def rule_doc_files() -> dict[str, str]:
    """``docs/rules/``: one page per rule (what ``wflint rule CODE`` prints) and an index."""
    from wflint.codes import CATALOG, COMPAT_CATALOG, markdown_table

    files = {f"{entry.code}.md": rule_markdown(entry.code) for entry in (*CATALOG, *COMPAT_CATALOG)}
    files["README.md"] = ("# wflint rules\n\nEach page is generated from the rule itself "
                          "(`python -m wflint.docs docs/rules`); `wflint rule CODE` prints the same text.\n\n"
                          + markdown_table() + "\n")
    return files


if __name__ == "__main__":
    import sys
    from pathlib import Path

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/rules")
    target.mkdir(parents=True, exist_ok=True)
    for name, text in rule_doc_files().items():
        (target / name).write_text(text, encoding="utf-8")
    from wflint.compat_docs import compat_page

    (target.parent / "compat.md").write_text(compat_page(), encoding="utf-8")
