"""Every fixture's inline expectations hold (see tests/harness.py for the annotations)."""

import pytest

from harness import FIXTURES, check_fixture, fixture_files


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture(path):
    problems = check_fixture(path)
    assert not problems, f"{path}:\n" + "\n".join(problems)
