"""The catalog, the rule modules, the fixture folders, the docs and the README agree."""

import re
from collections import Counter
from pathlib import Path

import pytest

from harness import FIXTURES, checker_for, fixture_files, parse_annotations
from wflint.codes import ALL_CODES, BY_CODE, CATALOG, markdown_table, rule_class
from wflint.docs import doc_examples, rule_markdown
from wflint.engine import Checker
from wflint.config import Settings
from wflint.frameworks import FRAMEWORKS, SELECTABLE
from wflint.rules import FILE_CODES

RULES_DIR = Path(__file__).parents[1] / "src" / "wflint" / "rules"
README = Path(__file__).parents[1] / "README.md"
WALKING = [code for code in ALL_CODES if code not in FILE_CODES]


def test_codes_are_unique_and_well_formed():
    assert len(set(ALL_CODES)) == len(ALL_CODES)
    assert all(re.fullmatch(r"WFL\d{3}", code) for code in ALL_CODES)
    assert len({entry.name for entry in CATALOG}) == len(CATALOG)


@pytest.mark.parametrize("code", ALL_CODES)
def test_rule_class_carries_its_code(code):
    assert rule_class(code).code == code


def test_every_rule_module_is_in_the_catalog():
    modules = {f"{p.parent.name}.{p.stem}" for p in RULES_DIR.glob("*/*.py") if p.stem != "__init__"}
    referenced = {entry.rule.split(":")[0] for entry in CATALOG}
    assert modules == referenced


def test_fixture_folders_match_the_catalog():
    folders = {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    assert folders == set(ALL_CODES)


@pytest.mark.parametrize("code", WALKING)
def test_every_framework_has_fixtures(code):
    rule = rule_class(code)
    folder = FIXTURES / code
    for framework in SELECTABLE:
        files = sorted(folder.glob(f"{framework}*.py"))
        assert files, f"{code} has no fixture for {framework}"
        if rule().applies_to_framework(FRAMEWORKS[framework]):
            expected = [e for f in files for e in parse_annotations(f.read_text())[0] if e.code == code]
            # WFL903 applies only where async workflows are an error
            assert expected, f"{code} fixtures for {framework} expect no {code}"


@pytest.mark.parametrize("code", ALL_CODES)
def test_rule_docs_render(code):
    text = rule_markdown(code)
    assert text.startswith(f"# {BY_CODE[code].name} ({code})")
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
        assert section in text


@pytest.mark.parametrize("code", ALL_CODES)
def test_doc_examples_are_true(code, tmp_path):
    example, instead = doc_examples(code)
    checker = Checker(Settings())
    bad = checker.check_bytes(example.encode(), "example.py").diagnostics
    good = checker.check_bytes(instead.encode(), "instead.py").diagnostics
    assert code in {d.code for d in bad}, f"the example of {code} does not produce it: {bad}"
    assert good == [], f"the 'use instead' of {code} is not clean: {good}"


def test_readme_rule_table_is_generated_from_the_catalog():
    text = README.read_text()
    start = text.index("<!-- rules:start -->") + len("<!-- rules:start -->")
    end = text.index("<!-- rules:end -->")
    assert text[start:end].strip() == markdown_table()


def _fixture_fix_kinds() -> dict[str, Counter]:
    """Per code, how the findings on every fixture are fixed: ``applicable`` (safe or unsafe),
    ``display-only`` or ``none``."""
    kinds: dict[str, Counter] = {}
    for path in fixture_files():
        data = path.read_bytes()
        config = parse_annotations(data.decode("utf-8", errors="replace"))[2]
        for finding in checker_for(config, path).check_bytes(data, str(path)).diagnostics:
            fix = finding.fix
            kind = "none" if fix is None else "applicable" if fix.edits else "display-only"
            kinds.setdefault(finding.code, Counter())[kind] += 1
    return kinds


@pytest.fixture(scope="module")
def fix_kinds():
    return _fixture_fix_kinds()


@pytest.mark.parametrize("code", ALL_CODES)
def test_fix_availability_is_declared_truthfully(code, fix_kinds):
    """A rule's declared fix availability matches what its findings on the fixtures carry, and
    every rule with any fix documents when its fixes are safe, unsafe or display-only."""
    declared = rule_class(code).fix_availability
    seen = fix_kinds.get(code, Counter())
    assert seen, f"{code} has no finding on the fixtures"
    if declared == "none":
        assert set(seen) == {"none"}, f"{code} declares no fix but its findings carry {dict(seen)}"
    elif declared == "display-only":
        assert seen["display-only"] and not seen["applicable"], f"{code}: {dict(seen)}"
    elif declared == "sometimes":
        assert seen["applicable"], f"{code} declares fixes but none applies on the fixtures"
    else:
        assert declared == "always" and set(seen) == {"applicable"}, f"{code}: {declared} {dict(seen)}"
    if declared != "none":
        assert "## Fix safety" in rule_markdown(code), f"{code} has fixes but no Fix safety section"
