"""The generated rule pages in docs/rules/ match the rules (regenerate: python -m wflint.docs docs/rules)."""

from pathlib import Path

from wflint.codes import CATALOG, rule_url
from wflint.docs import rule_doc_files

DOCS = Path(__file__).parent.parent / "docs"


def test_rule_pages_are_up_to_date():
    expected = rule_doc_files()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in (DOCS / "rules").glob("*.md")}
    assert sorted(on_disk) == sorted(expected)
    stale = [name for name, text in expected.items() if on_disk[name] != text]
    assert not stale, f"regenerate with: python -m wflint.docs docs/rules ({stale})"


def test_rule_urls_point_at_the_pages():
    for entry in CATALOG:
        assert rule_url(entry.code).endswith(f"docs/rules/{entry.code}.md")
        assert (DOCS / "rules" / f"{entry.code}.md").is_file()
