"""The fixture harness itself must be able to fail."""

from harness import check_fixture, parse_annotations


def write(tmp_path, text):
    path = tmp_path / "case.py"
    path.write_text(text)
    return path


HEAD = "import time\nimport dapr.ext.workflow as wf\nwfr = wf.WorkflowRuntime()\n@wfr.workflow\ndef w(ctx):\n"


def test_parses_every_annotation_form():
    text = ("x = 1  # expect: WFL101, WFL202@5\n"
            "# expect-next-line: WFL301\n"
            "y = 2\n"
            "z = 3  # ok: fine\n"
            "# wflint-config: select = [\"WFL1\"]\n")
    expectations, ok_lines, config = parse_annotations(text)
    assert [(e.line, e.code, e.col) for e in expectations] == [
        (1, "WFL101", None), (1, "WFL202", 5), (3, "WFL301", None)]
    assert ok_lines == {4}
    assert config == 'select = ["WFL1"]'


def test_missing_expectation_is_reported(tmp_path):
    path = write(tmp_path, HEAD + "    yield ctx.call_activity(a)  # expect: WFL101\n")
    assert check_fixture(path) == ["missing: line 6: WFL101 (x1)"]


def test_unannotated_finding_is_reported(tmp_path):
    path = write(tmp_path, HEAD + "    yield time.time()\n")
    problems = check_fixture(path)
    assert len(problems) == 1 and problems[0].startswith("unexpected: line 6: WFL101")


def test_ok_line_with_finding_is_reported(tmp_path):
    path = write(tmp_path, HEAD + "    yield time.time()  # ok: wrongly claimed\n")
    problems = check_fixture(path)
    assert "ok line 6 produced a finding" in problems


def test_wrong_column_is_reported(tmp_path):
    path = write(tmp_path, HEAD + "    yield time.time()  # expect: WFL101@3\n")
    assert check_fixture(path) == ["wrong column: line 6: WFL101 expected at column 3"]


def test_config_header_applies(tmp_path):
    path = write(tmp_path, '# wflint-config: ignore = ["WFL101"]\n' + HEAD
                 + "    yield time.time()  # ok: ignored by the header\n")
    assert check_fixture(path) == []
