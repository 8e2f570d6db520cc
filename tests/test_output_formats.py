"""Every --output-format: shape, columns, escaping, and SARIF validated against the OASIS schema."""

import json
from pathlib import Path
import textwrap

import jsonschema
import pytest
from click.testing import CliRunner

from wflint.cli import main
from wflint.codes import CATALOG
from wflint.output import FORMATS, TEXT_FORMATS
from wflint.output.github import escape_data, escape_property

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())

# a non-ASCII string before the hazard: byte, code point and UTF-16 columns all differ
WORKFLOW = textwrap.dedent("""\
    import logging
    import random
    import time
    import dapr.ext.workflow as wf

    wfr = wf.WorkflowRuntime()
    log = logging.getLogger(__name__)

    @wfr.workflow
    def order_wf(ctx, order):
        label = "héllo😀"; started = time.time()
        log.info("order, 100%% done: %s", order)
        yield ctx.call_activity(save, input=[started, label, random.random()])

    @wfr.activity
    def save(ctx, data):
        return data
""")


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input)


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "wf.py").write_text(WORKFLOW, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def flake8_columns(output):
    return [tuple(line.split(":")[1:3]) for line in output.splitlines() if ": WFL" in line]


def test_every_format_is_accepted_and_exits_1(project):
    for fmt in FORMATS:
        result = run("check", "--output-format", fmt, "wf.py")
        assert result.exit_code == 1, (fmt, result.output)
        assert "WFL101" in result.output, fmt


def test_summary_only_in_text_formats(project):
    for fmt in FORMATS:
        output = run("check", "--output-format", fmt, "wf.py").output
        assert ("Found 2 errors and 1 warning." in output) == (fmt in TEXT_FORMATS), fmt


def test_concise_is_the_flake8_format(project):
    assert run("check", "--output-format", "concise", "wf.py").output == \
        run("check", "--output-format", "flake8", "wf.py").output


def test_flake8_columns_count_utf8_bytes(project):
    # time.time() starts at code point 33 but byte 37: 'é' is 2 bytes and '😀' is 4
    assert ("11", "37") in flake8_columns(run("check", "wf.py").output)


def test_full_shows_the_line_a_caret_and_the_fix(project):
    output = run("check", "--output-format", "full", "wf.py").output
    block = output.split("WFL101", 1)[1].split("\n\n", 1)[0]
    lines = block.splitlines()
    assert lines[1] == "  --> wf.py:11:33"  # code points
    assert lines[3] == '11 |     label = "héllo😀"; started = time.time()'
    caret = lines[4]
    assert caret.index("^") - len("11 | ") == 32 and caret.count("^") == len("time.time()")
    assert lines[-1].startswith("help: ")
    assert output.rstrip().endswith("[*] 2 fixable with `--fix` (1 unsafe fix available with `--fix --unsafe-fixes`).")


def test_full_marks_fixes_like_flake8(project):
    output = run("check", "--output-format", "full", "wf.py").output
    assert "WFL101 [*] " in output  # safe: Dapr's clock is naive UTC, like time.time()'s base
    assert "WFL501 [*] " in output  # safe: the log call is put under a replay guard
    assert "WFL201 [!] " in output  # unsafe (a new activity): needs --unsafe-fixes


def test_json_lines_one_object_per_line(project):
    output = run("check", "--output-format", "json-lines", "wf.py").output
    objects = [json.loads(line) for line in output.splitlines()]
    assert [o["code"] for o in objects] == ["WFL101", "WFL501", "WFL201"]
    assert objects == json.loads(run("check", "--output-format", "json", "wf.py").output)


def test_pylint_format(project):
    output = run("check", "--output-format", "pylint", "wf.py").output
    assert output.splitlines()[0].startswith("wf.py:11: [WFL101] time.time() reads the wall clock")


def test_github_annotations(project):
    lines = run("check", "--output-format", "github", "wf.py").output.splitlines()
    assert len(lines) == 3
    first = lines[0]
    assert first.startswith("::error title=wflint (WFL101),file=wf.py,line=11,col=33,endLine=11,endColumn=44::")
    assert "::wf.py:11:33: WFL101 time.time()" in first
    assert "%0Ahelp: " in first and "\n" not in first
    assert lines[1].startswith("::warning ")  # WFL501 is a warning-level rule


def test_github_escaping():
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"
    # a file name with a comma and colon stays one property
    assert escape_property("src/wf,1:x.py") == "src/wf%2C1%3Ax.py"


def test_github_escapes_file_names(tmp_path, monkeypatch):
    (tmp_path / "wf,1.py").write_text(WORKFLOW, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    first = run("check", "--output-format", "github", "wf,1.py").output.splitlines()[0]
    assert "file=wf%2C1.py," in first and "::wf,1.py:11:33: " in first


def sarif(project, *args):
    result = run("check", "--output-format", "sarif", *args)
    assert result.exit_code == 1, result.output
    return json.loads(result.output)


def test_sarif_validates_against_the_oasis_schema(project):
    document = sarif(project, "wf.py")
    jsonschema.Draft4Validator(SCHEMA).validate(document)
    assert document["version"] == "2.1.0"


def test_sarif_schema_validator_is_not_vacuous(project):
    document = sarif(project, "wf.py")
    document["runs"][0]["results"][0]["level"] = "fatal"
    del document["runs"][0]["results"][1]["message"]
    errors = list(jsonschema.Draft4Validator(SCHEMA).iter_errors(document))
    assert len(errors) == 2


def test_sarif_rule_metadata(project):
    rules = sarif(project, "wf.py")["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [e.code for e in CATALOG]
    wall = rules[[e.code for e in CATALOG].index("WFL101")]
    assert wall["name"] == "wall-clock"
    assert wall["shortDescription"]["text"] == "Reads the wall clock in workflow code."
    assert wall["fullDescription"]["text"].startswith("Flags")
    assert "## Per framework" in wall["help"]["markdown"] and wall["help"]["text"]
    assert wall["helpUri"].endswith("/docs/rules/WFL101.md")
    assert wall["defaultConfiguration"]["level"] == "error"
    levels = {r["id"]: r["defaultConfiguration"]["level"] for r in rules}
    assert levels["WFL501"] == "warning"


def test_sarif_results_locations_and_fixes(project):
    run_ = sarif(project, "wf.py")["runs"][0]
    assert run_["columnKind"] == "unicodeCodePoints"
    rules = run_["tool"]["driver"]["rules"]
    results = run_["results"]
    assert [r["ruleId"] for r in results] == ["WFL101", "WFL501", "WFL201"]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    clock = results[0]
    location = clock["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "wf.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 11, "startColumn": 33, "endLine": 11, "endColumn": 44}
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == project.as_uri() + "/"
    assert clock["partialFingerprints"]["wflintLineHash/v1"]
    # the fix, replayed as text replacements, gives what --fix --unsafe-fixes writes
    source = (project / "wf.py").read_text(encoding="utf-8")
    replacements = clock["fixes"][0]["artifactChanges"][0]["replacements"]
    assert clock["fixes"][0]["description"]["text"].endswith("[safe fix]")
    patched = source
    for r in sorted(replacements, key=lambda r: -r["deletedRegion"]["charOffset"]):
        start = r["deletedRegion"]["charOffset"]
        patched = patched[:start] + r["insertedContent"]["text"] + patched[start + r["deletedRegion"]["charLength"]:]
    assert "started = ctx.current_utc_datetime" in patched
    assert "time.time()" not in patched
    assert results[2]["fixes"][0]["description"]["text"].endswith("[unsafe fix]")
    assert "fixes" not in results[1] or results[1]["fixes"][0]["artifactChanges"]


def test_sarif_absolute_paths_are_file_uris(project):
    document = sarif(project, str(project / "wf.py"))
    location = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": (project / "wf.py").as_uri()}
    assert "originalUriBaseIds" not in document["runs"][0]
    jsonschema.Draft4Validator(SCHEMA).validate(document)


def test_sarif_of_a_clean_run_is_valid(tmp_path, monkeypatch):
    (tmp_path / "ok.py").write_text("x = 1\n")
    monkeypatch.chdir(tmp_path)
    result = run("check", "--output-format", "sarif", "ok.py")
    assert result.exit_code == 0
    document = json.loads(result.output)
    assert document["runs"][0]["results"] == []
    jsonschema.Draft4Validator(SCHEMA).validate(document)


def test_sarif_of_the_examples_is_valid(monkeypatch):
    monkeypatch.chdir(Path(__file__).parent.parent / "examples")
    result = run("check", "--output-format", "sarif", ".")
    document = json.loads(result.output)
    jsonschema.Draft4Validator(SCHEMA).validate(document)
    assert len(document["runs"][0]["results"]) > 20


def test_sarif_related_locations_point_at_the_hazard_inside_the_helper(tmp_path, monkeypatch):
    (tmp_path / "helpers.py").write_text("import time\n\n\ndef pause():\n    time.sleep(1)\n")
    (tmp_path / "flows.py").write_text(
        "from temporalio import workflow\n\nfrom helpers import pause\n\n\n@workflow.defn\n"
        "class Flow:\n    @workflow.run\n    async def run(self) -> None:\n        pause()\n")
    monkeypatch.chdir(tmp_path)
    document = json.loads(run("check", "--output-format", "sarif", "flows.py").output)
    jsonschema.Draft4Validator(SCHEMA).validate(document)
    (result,) = document["runs"][0]["results"]
    assert result["ruleId"] == "WFL102"
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 10
    (related,) = result["relatedLocations"]
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "helpers.py"
    assert related["physicalLocation"]["region"] == {"startLine": 5}
    assert related["message"]["text"] == "time.sleep() in pause()"


# GitLab's Code Quality report format (docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format):
# an array of issues, each with these fields; severity one of GitLab's five levels.
GITLAB_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "pattern": "^[^/]"},  # relative to the repository
                    "lines": {"type": "object", "required": ["begin"],
                              "properties": {"begin": {"type": "integer", "minimum": 1}}},
                },
            },
        },
    },
}


def test_gitlab_code_quality_report(project):
    issues = json.loads(run("check", "--output-format", "gitlab", "wf.py").output)
    jsonschema.Draft4Validator(GITLAB_SCHEMA).validate(issues)
    assert [(i["check_name"], i["severity"], i["location"]["lines"]["begin"]) for i in issues] == [
        ("WFL101", "major", 11), ("WFL501", "minor", 12), ("WFL201", "major", 13)]
    assert len({i["fingerprint"] for i in issues}) == 3
    # the same finding twice on identical lines still gets two fingerprints; a rerun the same ones
    (project / "wf.py").write_text(WORKFLOW.replace(
        '    log.info("order, 100%% done: %s", order)\n',
        '    log.info("order, 100%% done: %s", order)\n    log.info("order, 100%% done: %s", order)\n'))
    again = json.loads(run("check", "--output-format", "gitlab", "wf.py").output)
    assert len({i["fingerprint"] for i in again}) == 4
    assert again[0]["fingerprint"] == issues[0]["fingerprint"]
    assert list(jsonschema.Draft4Validator(GITLAB_SCHEMA).iter_errors([{"severity": "fatal"}]))


def test_junit_report_reads_with_a_junit_parser(project):
    from junitparser import Failure, JUnitXml

    (project / "report.xml").write_text(run("check", "--output-format", "junit", "wf.py").output)
    report = JUnitXml.fromfile(str(project / "report.xml"))
    suites = list(report)
    assert [suite.name for suite in suites] == ["wf.py"]
    cases = list(suites[0])
    assert [case.name for case in cases] == ["org.wflint.WFL101", "org.wflint.WFL501", "org.wflint.WFL201"]
    first = cases[0]
    assert first.classname == "wf.py" and isinstance(first.result[0], Failure)
    assert first.result[0].message.startswith("time.time() reads the wall clock")
    assert suites[0].failures == 3 and report.failures == 3


def test_junit_report_of_a_clean_run_is_one_passing_case(tmp_path, monkeypatch):
    from junitparser import JUnitXml

    (tmp_path / "ok.py").write_text("x = 1\n")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "report.xml").write_text(run("check", "--output-format", "junit", "ok.py").output)
    report = JUnitXml.fromfile(str(tmp_path / "report.xml"))
    (suite,) = list(report)
    (case,) = list(suite)
    assert case.is_passed and report.failures == 0


# reviewdog's Diagnostic Format (github.com/reviewdog/reviewdog, proto/rdf): the fields wflint
# writes, with 1-based lines and UTF-8 byte columns
RDJSON_POSITION = {"type": "object", "required": ["line", "column"],
                   "properties": {"line": {"type": "integer", "minimum": 1},
                                  "column": {"type": "integer", "minimum": 1}}}
RDJSON_RANGE = {"type": "object", "required": ["start"],
                "properties": {"start": RDJSON_POSITION, "end": RDJSON_POSITION}}
RDJSON_SCHEMA = {
    "type": "object",
    "required": ["source", "diagnostics"],
    "properties": {
        "source": {"type": "object", "required": ["name"]},
        "severity": {"enum": ["UNKNOWN_SEVERITY", "ERROR", "WARNING", "INFO"]},
        "diagnostics": {"type": "array", "items": {
            "type": "object",
            "required": ["message", "location", "severity", "code"],
            "properties": {
                "message": {"type": "string"},
                "severity": {"enum": ["UNKNOWN_SEVERITY", "ERROR", "WARNING", "INFO"]},
                "location": {"type": "object", "required": ["path", "range"],
                             "properties": {"path": {"type": "string"}, "range": RDJSON_RANGE}},
                "code": {"type": "object", "required": ["value"]},
                "suggestions": {"type": "array", "items": {
                    "type": "object", "required": ["range", "text"],
                    "properties": {"range": RDJSON_RANGE, "text": {"type": "string"}}}},
            },
        }},
    },
}


def test_rdjson_report(project):
    document = json.loads(run("check", "--output-format", "rdjson", "wf.py").output)
    jsonschema.Draft4Validator(RDJSON_SCHEMA).validate(document)
    clock, log, rand = document["diagnostics"]
    assert clock["code"]["value"] == "WFL101" and clock["severity"] == "ERROR"
    assert log["severity"] == "WARNING"
    # columns count UTF-8 bytes: 'é' takes two, '😀' four
    assert clock["location"]["range"]["start"] == {"line": 11, "column": 37}
    assert clock["location"]["range"]["end"] == {"line": 11, "column": 48}
    # the fix as whole-line suggestions: `import time` goes, the timezone import comes, the line
    removed, added, line = clock["suggestions"]
    assert removed == {"range": {"start": {"line": 3, "column": 1}, "end": {"line": 4, "column": 1}},
                       "text": ""}
    assert added["text"] == "from datetime import timezone\n"
    assert line["range"] == {"start": {"line": 11, "column": 1}, "end": {"line": 12, "column": 1}}
    assert "ctx.current_utc_datetime" in line["text"] and line["text"].endswith("\n")
