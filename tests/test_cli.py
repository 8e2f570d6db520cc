"""The command line: exit codes, stdin, every detection option, configuration and suppression."""

import json
from pathlib import Path
import os
import subprocess
import sys
import textwrap

import pytest
from click.testing import CliRunner

from wflint import __version__
from wflint.cli import main
from wflint.codes import ALL_CODES

WORKFLOW = textwrap.dedent("""\
    import time
    import uuid
    import dapr.ext.workflow as wf

    wfr = wf.WorkflowRuntime()

    @wfr.workflow
    def order_wf(ctx, order):
        started = time.time()
        key = uuid.uuid4()
        print(key)
        yield ctx.call_activity(save, input=[started, key])

    @wfr.activity
    def save(ctx, data):
        return data
""")
CLEAN = textwrap.dedent("""\
    import dapr.ext.workflow as wf

    wfr = wf.WorkflowRuntime()

    @wfr.workflow
    def order_wf(ctx, order):
        yield ctx.call_activity(save, input=ctx.current_utc_datetime)

    @wfr.activity
    def save(ctx, data):
        return data
""")


def run(*args, input=None, env=None):
    return CliRunner().invoke(main, list(args), input=input, env=env)


def codes_in(output):
    return [line.split(": ", 1)[1].split(" ", 1)[0] for line in output.splitlines() if ": WFL" in line]


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "orders.py").write_text(WORKFLOW)
    (tmp_path / "app" / "clean.py").write_text(CLEAN)
    monkeypatch.chdir(tmp_path)
    return tmp_path


# -- exit codes -------------------------------------------------------------------------------

def test_exit_0_when_clean(project):
    result = run("check", "app/clean.py")
    assert result.exit_code == 0
    assert result.output == "All checks passed!\n"


def test_exit_1_with_findings_and_flake8_lines(project):
    result = run("check", "app")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == ("app/orders.py:9:15: WFL101 [*] time.time() reads the wall clock in workflow "
                        "'order_wf'; use ctx.current_utc_datetime.replace(tzinfo=timezone.utc).timestamp()")
    assert codes_in(result.output) == ["WFL101", "WFL202", "WFL502"]
    assert lines[-2:] == ["Found 2 errors and 1 warning.",  # WFL502 is a warning
                          "[*] 2 fixable with `--fix` (1 unsafe fix available with `--fix --unsafe-fixes`)."]


def test_default_path_is_the_current_directory(project):
    result = run("check")
    assert result.exit_code == 1
    assert "app/orders.py:9:15: WFL101" in result.output


def test_exit_zero_keeps_findings_but_exits_0(project):
    result = run("check", "--exit-zero", "app")
    assert result.exit_code == 0
    assert "WFL101" in result.output


def test_exit_2_for_unknown_option():
    assert run("check", "--no-such-option").exit_code == 2


def test_exit_2_for_missing_path_but_other_files_are_checked(project):
    result = run("check", "missing.py", "app/orders.py")
    assert result.exit_code == 2
    assert "missing.py: no such file or directory" in result.output
    assert "WFL101" in result.output


def test_exit_zero_does_not_hide_errors(project):
    assert run("check", "--exit-zero", "nope.py").exit_code == 2


def test_syntax_error_among_good_files(project):
    (project / "app" / "broken.py").write_text(
        "from temporalio import workflow\n@workflow.defn\nclass W:\n    def f(:\n        pass\n")
    result = run("check", "app")
    assert result.exit_code == 1
    assert "app/broken.py:4:11: WFL001 cannot parse" in result.output
    assert "app/orders.py:9:15: WFL101" in result.output


def test_a_module_that_uses_a_framework_without_declaring_workflows_is_not_parsed(project):
    """The prefilter wants a framework's mention and one of the ways it declares a workflow:
    a module that only uses the client, even a broken one, is not read further (ruff
    reports its syntax error); its code is still followed when a workflow calls into it."""
    (project / "app" / "client.py").write_text("import temporalio.client\ndef f(:\n    pass\n")
    result = run("check", "app")
    assert "client.py" not in result.output
    assert "app/orders.py:9:15: WFL101" in result.output


def test_unreadable_encoding_is_wfl002(project):
    (project / "app" / "bad.py").write_bytes(b"import dapr\nx = '\xff'\n")
    result = run("check", "app/bad.py")
    assert result.exit_code == 1
    assert "app/bad.py:1:1: WFL002 cannot decode file" in result.output


def test_an_ascii_file_is_decoded_by_its_coding_cookie_even_without_workflows(project):
    """A file the prefilter passes over is not decoded when it is plain ASCII, unless a
    coding cookie names how: then decoding can still fail."""
    (project / "app" / "unknown.py").write_bytes(b"# -*- coding: nosuch -*-\nx = 1\n")
    (project / "app" / "wide.py").write_bytes(b"# coding: utf-16\nx = 1\n")
    (project / "app" / "plain.py").write_bytes(b"x = 1\n")
    result = run("check", "--no-cache", "app/unknown.py", "app/wide.py", "app/plain.py")
    assert "app/unknown.py:1:1: WFL002 cannot decode file: unknown encoding: nosuch" in result.output
    assert "app/wide.py:1:1: WFL002 cannot decode file" in result.output
    assert "plain.py" not in result.output


def test_directory_named_like_a_file_is_walked(project):
    (project / "pkg.py").mkdir()
    (project / "pkg.py" / "inner.py").write_text(WORKFLOW)
    result = run("check", "pkg.py")
    assert result.exit_code == 1
    assert "pkg.py/inner.py:9:15: WFL101" in result.output


# -- stdin ------------------------------------------------------------------------------------

def test_stdin_is_reported_as_stdin():
    result = run("check", "-", input=WORKFLOW)
    assert result.exit_code == 1
    assert result.output.startswith("stdin:9:15: WFL101")


def test_stdin_filename_names_the_file(project):
    result = run("check", "--stdin-filename", "app/orders.py", "-", input=WORKFLOW)
    assert "app/orders.py:9:15: WFL101" in result.output


def test_stdin_display_name_alias():
    result = run("check", "--stdin-display-name", "x.py", "-", input=WORKFLOW)
    assert result.output.startswith("x.py:9:15: WFL101")


def test_stdin_cannot_mix_with_paths(project):
    assert run("check", "-", "app").exit_code == 2


# -- selection --------------------------------------------------------------------------------

def test_select_prefix(project):
    result = run("check", "--select", "WFL1", "app")
    assert codes_in(result.output) == ["WFL101"]


def test_select_comma_separated_and_repeated(project):
    result = run("check", "--select", "WFL101,WFL202", "--select", "WFL5", "app")
    assert codes_in(result.output) == ["WFL101", "WFL202", "WFL502"]


def test_ignore_prefix(project):
    result = run("check", "--ignore", "WFL2", "--ignore", "WFL50", "app")
    assert codes_in(result.output) == ["WFL101"]


def test_extend_select_adds_to_config(project):
    (project / "pyproject.toml").write_text('[tool.wflint]\nselect = ["WFL1"]\n')
    result = run("check", "--extend-select", "WFL202", "app")
    assert codes_in(result.output) == ["WFL101", "WFL202"]


def test_unknown_code_in_select_is_exit_2(project):
    result = run("check", "--select", "WFL999", "app")
    assert result.exit_code == 2
    assert "unknown rule code or prefix 'WFL999'" in result.output


def test_all_selects_everything(project):
    assert codes_in(run("check", "--select", "ALL", "app").output) == ["WFL101", "WFL202", "WFL502"]


# -- output ------------------------------------------------------------------------------------

def test_json_output_has_no_summary(project):
    result = run("check", "--output-format", "json", "app")
    data = json.loads(result.output)
    assert [d["code"] for d in data] == ["WFL101", "WFL202", "WFL502"]
    first = data[0]
    assert first["filename"] == "app/orders.py"
    assert first["location"] == {"row": 9, "column": 15}
    assert first["end_location"] == {"row": 9, "column": 26}
    assert first["name"] == "wall-clock" and first["severity"] == "error"
    assert data[2]["severity"] == "warning"


def test_output_format_from_environment(project):
    result = run("check", "app", env={"WFLINT_OUTPUT_FORMAT": "json"})
    assert json.loads(result.output)[0]["code"] == "WFL101"


def test_output_file(project):
    result = run("check", "-o", "out.txt", "app")
    assert result.exit_code == 1
    assert result.output == ""
    written = (project / "out.txt").read_text()
    assert "WFL101" in written and written.endswith(
        "Found 2 errors and 1 warning.\n[*] 2 fixable with `--fix` (1 unsafe fix available with `--fix --unsafe-fixes`).\n")


def test_statistics(project):
    result = run("check", "--statistics", "app")
    assert result.output.splitlines() == [
        "1\tWFL101\t[*] wall-clock", "1\tWFL202\t[ ] random-uuid", "1\tWFL502\t[*] unguarded-print",
        "Found 2 errors and 1 warning.", "[*] 2 fixable with `--fix` (1 unsafe fix available with `--fix --unsafe-fixes`)."]


def test_statistics_as_json(project):
    result = run("check", "--statistics", "--output-format", "json", "app")
    assert json.loads(result.output) == [
        {"code": "WFL101", "name": "wall-clock", "count": 1, "fixable": True},
        {"code": "WFL202", "name": "random-uuid", "count": 1, "fixable": False},
        {"code": "WFL502", "name": "unguarded-print", "count": 1, "fixable": True}]


def test_a_missing_path_never_reads_as_a_green_run(project):
    result = run("check", "app/clean.py", "app/typo.py")
    assert result.exit_code == 2
    assert "All checks passed!" not in result.output
    assert "app/typo.py: no such file or directory" in result.output


def test_an_empty_directory_warns_that_nothing_was_checked(project):
    (project / "empty").mkdir()
    result = run("check", "empty")
    assert result.exit_code == 0
    assert "No Python files found under the given path(s)" in result.output


def test_rule_by_name(project):
    assert run("rule", "wall-clock").output == run("rule", "WFL101").output
    assert run("rule", "no-such-rule").exit_code == 2


def test_quiet_prints_findings_only(project):
    result = run("check", "-q", "app")
    assert result.exit_code == 1
    assert "Found" not in result.output and "WFL101" in result.output
    assert run("check", "-q", "app/clean.py").output == ""


def test_silent_prints_nothing(project):
    result = run("check", "-s", "app")
    assert result.exit_code == 1 and result.output == ""


def test_color_only_when_asked(project):
    plain = run("check", "app").output
    assert "\x1b[" not in plain
    assert "\x1b[" in run("check", "app", env={"FORCE_COLOR": "1"}).output
    assert "\x1b[" not in run("check", "app", env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).output
    assert "\x1b[" in run("check", "--color", "always", "app").output


# -- frameworks and excludes ---------------------------------------------------------------------

def test_framework_option_limits_detection(project):
    assert run("check", "--framework", "temporal", "app").exit_code == 0
    assert run("check", "--framework", "dapr", "app").exit_code == 1


def test_unknown_framework_is_exit_2(project):
    result = run("check", "--framework", "airflow", "app")
    assert result.exit_code == 2 and "unknown framework 'airflow'" in result.output


def test_default_excludes_skip_virtualenvs(project):
    (project / ".venv").mkdir()
    (project / ".venv" / "lib.py").write_text(WORKFLOW)
    assert ".venv" not in run("check", ".").output


def test_exclude_and_extend_exclude(project):
    (project / "gen").mkdir()
    (project / "gen" / "wf.py").write_text(WORKFLOW)
    assert "gen/wf.py" in run("check", ".").output
    assert "gen/wf.py" not in run("check", "--exclude", "gen", ".").output
    assert "gen/wf.py" not in run("check", "--extend-exclude", "gen/*.py", ".").output


def test_explicit_files_are_checked_unless_force_exclude(project):
    (project / "pyproject.toml").write_text('[tool.wflint]\nexclude = ["app/orders.py"]\n')
    assert "WFL101" not in run("check", ".").output
    assert "WFL101" in run("check", "app/orders.py").output
    result = run("check", "--force-exclude", "app/orders.py")
    assert result.exit_code == 0 and "WFL101" not in result.output


def test_force_exclude_applies_to_stdin_filename(project):
    (project / "pyproject.toml").write_text('[tool.wflint]\nexclude = ["app"]\n')
    result = run("check", "--force-exclude", "--stdin-filename", "app/x.py", "-", input=WORKFLOW)
    assert result.exit_code == 0


# -- configuration ---------------------------------------------------------------------------------

def test_pyproject_configuration(project):
    (project / "pyproject.toml").write_text(
        '[tool.wflint]\nignore = ["WFL502"]\nper-file-ignores = { "app/orders.py" = ["WFL2"] }\n')
    assert codes_in(run("check", "app").output) == ["WFL101"]


def test_wflint_toml_beats_pyproject_in_the_same_directory(project):
    (project / "pyproject.toml").write_text('[tool.wflint]\nselect = ["WFL5"]\n')
    (project / "wflint.toml").write_text('select = ["WFL2"]\n')
    assert codes_in(run("check", "app").output) == ["WFL202"]


def test_nearest_config_above_the_first_path(project):
    (project / "pyproject.toml").write_text('[tool.wflint]\nselect = ["WFL5"]\n')
    (project / "app" / ".wflint.toml").write_text('select = ["WFL1"]\n')
    assert codes_in(run("check", "app").output) == ["WFL101"]


def test_explicit_config_file(project):
    (project / "custom.toml").write_text('select = ["WFL202"]\n')
    assert codes_in(run("check", "--config", "custom.toml", "app").output) == ["WFL202"]


def test_cli_select_overrides_config_select(project):
    (project / "wflint.toml").write_text('select = ["WFL5"]\n')
    assert codes_in(run("check", "--select", "WFL1", "app").output) == ["WFL101"]


@pytest.mark.parametrize("content, expected", [
    ('selct = ["WFL1"]\n', "wflint.toml:1: unknown key 'selct' in the top level; allowed keys: select"),
    ('select = ["WFL1", "WFL999"]\n', "wflint.toml:1: unknown rule code or prefix 'WFL999' in 'select'"),
    ('ignore = "WFL1"\n', "wflint.toml:1: 'ignore' must be a list of strings, got a string"),
    ('frameworks = ["airflow"]\n', "unknown framework 'airflow' in 'frameworks'; allowed: dapr, durabletask"),
    ('select = [\n', "wflint.toml: invalid TOML"),
    ('nondeterministic = { "myco.now" = "WFL001" }\n', "'myco.now' maps to 'WFL001'; allowed codes: WFL101"),
    ('per-file-ignores = ["x"]\n', "'per-file-ignores' must be a table"),
    ('x = 1\n\nworkflow-decorators = ["not a name"]\n', "unknown key 'x'"),
    ('workflow-decorators = ["not a name"]\n', "wflint.toml:1: 'not a name' in 'workflow-decorators' is not a dotted name"),
])
def test_bad_configuration_is_exit_2_with_file_and_key(project, content, expected):
    (project / "wflint.toml").write_text(content)
    result = run("check", "app")
    assert result.exit_code == 2
    assert expected in result.output
    assert "Traceback" not in result.output


def test_bad_pyproject_section_names_tool_wflint(project):
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.wflint]\nbogus = 1\n')
    result = run("check", "app")
    assert result.exit_code == 2
    assert "pyproject.toml:5: unknown key 'bogus' in [tool.wflint]" in result.output


def test_invalid_toml_line_is_reported(project):
    (project / "pyproject.toml").write_text('[tool.wflint]\nselect = = ["WFL1"]\n')
    result = run("check", "app")
    assert result.exit_code == 2 and "line 2" in result.output


def test_nondeterministic_and_deterministic_names(project):
    (project / "app" / "custom.py").write_text(textwrap.dedent("""\
        import dapr.ext.workflow as wf
        from myco.clock import now
        from myco.ids import stable_id
        from app.orders import helper

        wfr = wf.WorkflowRuntime()

        @wfr.workflow
        def w(ctx):
            a = now()
            b = stable_id()
            yield ctx.call_activity(x, input=[a, b])
        """))
    (project / "wflint.toml").write_text(
        'nondeterministic = { "myco.clock.now" = "WFL101", "myco.ids.stable_id" = "WFL202" }\n'
        'deterministic = ["myco.ids"]\n')
    result = run("check", "app/custom.py")
    assert codes_in(result.output) == ["WFL101"]
    assert "app/custom.py:10:9: WFL101 now() reads the wall clock" in result.output


# -- suppression ---------------------------------------------------------------------------------

@pytest.mark.parametrize("comment, remaining", [
    ("  # noqa", []),
    ("  # noqa: WFL101", []),
    ("  # noqa: WFL1", []),
    ("  # NOQA:WFL202", ["WFL101"]),
    ("  # noqa : WFL202", []),
    ("  # wflint: ignore[WFL101] the timestamp only reaches a log line", []),
    ("  # wflint: ignore[WFL202, WFL502]", ["WFL101"]),
])
def test_inline_suppression(comment, remaining):
    source = WORKFLOW.replace("started = time.time()", "started = time.time()" + comment)
    result = run("check", "--select", "WFL1,WFL2", "-", input=source)
    assert codes_in(result.output) == remaining + ["WFL202"]


def test_ignore_comment_on_the_line_above():
    source = WORKFLOW.replace("    started = time.time()",
                              "    # wflint: ignore[WFL101] measured on purpose\n    started = time.time()")
    assert codes_in(run("check", "-", input=source).output) == ["WFL202", "WFL502"]


def test_skip_file():
    result = run("check", "-", input="# wflint: skip-file\n" + WORKFLOW)
    assert result.exit_code == 0


# -- other commands -------------------------------------------------------------------------------

def test_version():
    result = run("--version")
    assert result.exit_code == 0 and result.output == f"wflint {__version__}\n"


def test_rules_lists_the_catalog():
    from wflint.codes import COMPAT_CATALOG

    compat = [entry.code for entry in COMPAT_CATALOG]
    result = run("rules")
    assert [line.split()[0] for line in result.output.splitlines() if line.startswith("WFL")] == \
        [*ALL_CODES, *compat]
    assert "Reported by wflint compat:" in result.output
    data = json.loads(run("rules", "--format", "json").output)
    assert [d["code"] for d in data] == [*ALL_CODES, *compat]
    assert {d["command"] for d in data if d["code"] in compat} == {"compat"}


def test_rule_explains_compat_codes():
    result = run("rule", "WFL1005")
    assert result.exit_code == 0 and "# app-version-orphans (WFL1005)" in result.output
    assert "PENDING" in result.output and "wflint compat" in result.output
    data = json.loads(run("rule", "version-not-bumped", "--format", "json").output)
    assert data["code"] == "WFL1004" and data["severity"] == "warning" and "defaultVersion" in data["explanation"]


def test_rule_explains_one_rule():
    result = run("rule", "wfl101")
    assert result.exit_code == 0
    assert result.output.startswith("# wall-clock (WFL101)")
    assert "| Temporal | use workflow.now()" in result.output
    data = json.loads(run("rule", "WFL102", "--format", "json").output)
    assert data["name"] == "blocking-sleep" and data["frameworks"]


def test_rule_unknown_code_is_exit_2():
    result = run("rule", "WFL999")
    assert result.exit_code == 2 and "unknown rule code 'WFL999'" in result.output


def test_python_dash_m_and_console_script(tmp_path):
    path = tmp_path / "wf.py"
    path.write_text(WORKFLOW)
    for command in ([sys.executable, "-m", "wflint"], ["wflint"]):
        proc = subprocess.run([*command, "check", str(path)], capture_output=True, text=True,
                              env={**os.environ, "NO_COLOR": "1"})
        assert proc.returncode == 1, proc.stderr
        assert f"{path}:9:15: WFL101" in proc.stdout


def test_fix_markers_in_flake8_output(project):
    lines = run("check", "app").output.splitlines()
    assert " WFL101 [*] " in lines[0]  # safe: --fix applies it
    assert " WFL202 [!] " in lines[1]  # unsafe: needs --unsafe-fixes
    unsafe = run("check", "--unsafe-fixes", "app").output.splitlines()
    assert " WFL202 [*] " in unsafe[1]
    assert unsafe[-1] == "[*] 3 fixable with `--fix`."


def test_json_output_carries_the_fix(project):
    data = json.loads(run("check", "--output-format", "json", "app").output)
    fix = data[0]["fix"]
    assert fix["applicability"] == "safe"
    assert fix["edits"] == [{"kind": "replace",
                             "content": "ctx.current_utc_datetime.replace(tzinfo=timezone.utc).timestamp()",
                             "location": {"row": 9, "column": 15}, "end_location": {"row": 9, "column": 26}}]
    assert fix["imports"] == [{"module": "datetime", "name": "timezone", "alias": None}]
    assert data[1]["fix"]["applicability"] == "unsafe"


def test_show_fixes_lists_suggestions_and_what_was_fixed(project):
    shown = run("check", "--show-fixes", "app").output
    assert "    = fix (safe): Replace with `ctx.current_utc_datetime.replace(tzinfo=timezone.utc).timestamp()`" in shown
    fixed = run("check", "--fix", "--show-fixes", "app").output
    assert "Fixed 2 errors:\n- app/orders.py:\n    1 × WFL101 (wall-clock)\n    1 × WFL502 (unguarded-print)\n" in fixed
    assert "Found 3 errors (2 fixed, 1 remaining)." in fixed
    assert fixed.rstrip().endswith("1 unsafe fix available with `--fix --unsafe-fixes`.")


def test_diff_prints_a_unified_diff_and_writes_nothing(project):
    before = (project / "app" / "orders.py").read_text()
    result = run("check", "--diff", "app")
    assert result.exit_code == 1
    assert result.output.startswith("--- app/orders.py\n+++ app/orders.py\n")
    assert result.output.rstrip().endswith(
        "Would fix 2 errors (1 additional fix available with `--unsafe-fixes`).")
    assert (project / "app" / "orders.py").read_text() == before
    assert run("check", "--diff", "app/clean.py").exit_code == 0


def test_jobs_do_not_change_the_output():
    fixtures = str(Path(__file__).parent / "fixtures")
    one = run("check", "--jobs", "1", "--output-format", "json", fixtures)
    two = run("check", "--jobs", "2", "--output-format", "json", fixtures)
    assert one.exit_code == two.exit_code == 1
    assert one.output == two.output
    assert len(json.loads(one.output)) > 100


def test_a_named_helper_brings_the_workflows_that_call_it(tmp_path, monkeypatch):
    """Only the helper is named (a pre-commit run on staged files): its hazard is reported at
    the call site of the workflow module that imports it, naming both; a workflow module that
    does not reach it stays out, and the workflow module is never fixed."""
    app = tmp_path / "app"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "util.py").write_text("import time\n\n\ndef format_money(amount):\n"
                                 "    time.sleep(1)\n    return f'${amount}'\n")
    (app / "workflows.py").write_text(textwrap.dedent("""\
        import dapr.ext.workflow as wf

        from app.util import format_money

        wfr = wf.WorkflowRuntime()


        @wfr.workflow
        def order_workflow(ctx, order):
            label = format_money(order["amount"])
            yield ctx.call_activity(charge, input=label)


        @wfr.activity
        def charge(ctx, label):
            return label
    """))
    (app / "other.py").write_text(WORKFLOW.replace("import uuid\n", "import uuid\nimport app.clean\n"))
    (app / "clean.py").write_text(CLEAN)
    monkeypatch.chdir(tmp_path)
    before = (app / "workflows.py").read_text()
    result = run("check", "--no-cache", "--fix", "--unsafe-fixes", "app/util.py")
    assert result.exit_code == 1
    assert codes_in(result.output) == ["WFL102"]
    assert "app/workflows.py:10:13: WFL102" in result.output and "via format_money() at app/util.py:5" in result.output
    assert (app / "workflows.py").read_text() == before
    assert run("check", "--no-cache", "app/clean.py").exit_code == 0  # other.py's own hazards are not its


def test_what_git_ignores_is_not_walked(tmp_path, monkeypatch):
    (tmp_path / "app").mkdir()
    (tmp_path / "generated").mkdir()
    for path in ("app/wf.py", "generated/wf.py", "app/orders_pb2.py"):
        (tmp_path / path).write_text(WORKFLOW)
    (tmp_path / ".gitignore").write_text("generated/\n*_pb2.py\n")
    monkeypatch.chdir(tmp_path)
    everything = {"app/orders_pb2.py", "app/wf.py", "generated/wf.py"}

    def checked(*args):
        return {line.split(":", 1)[0] for line in run("check", "--no-cache", *args).output.splitlines()
                if ": WFL" in line}

    assert checked(".") == everything  # not a git repository: .gitignore means nothing
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    assert checked(".") == {"app/wf.py"}
    assert checked("--no-respect-gitignore", ".") == everything
    assert checked("generated/wf.py") == {"generated/wf.py"}  # named files are always checked
    assert checked("generated") == {"generated/wf.py"}  # and so are named directories
    (tmp_path / "pyproject.toml").write_text("[tool.wflint]\nrespect-gitignore = false\n")
    assert checked(".") == everything
    monkeypatch.chdir(tmp_path / "app")  # the repository's .gitignore applies below it too
    (tmp_path / "pyproject.toml").unlink()
    assert {p for p in checked(".")} == {"wf.py"}



HELPER = textwrap.dedent("""\
    import time


    def pause(seconds):
        time.sleep(seconds)  # wflint: ignore[WFL102] the tests drive it with 0


    def pause_loudly(seconds):
        time.sleep(seconds)
    """)
CALLER = textwrap.dedent("""\
    from temporalio import workflow

    from app.helpers import pause, pause_loudly


    @workflow.defn
    class Waits:
        @workflow.run
        async def run(self) -> None:
            pause(0)
            pause_loudly(0)
            pause(1)  # wflint: ignore[WFL102]
    """)


def test_a_suppression_at_a_helpers_hazard_silences_it_at_every_call_site(project):
    (project / "app" / "__init__.py").write_text("")
    (project / "app" / "helpers.py").write_text(HELPER)
    (project / "app" / "waits.py").write_text(CALLER)
    result = run("check", "--no-cache", "app/waits.py")
    found = [line for line in result.output.splitlines() if "app/waits.py:" in line]
    assert len(found) == 2, result.output
    assert found[0].startswith("app/waits.py:11:9: WFL102") and "pause_loudly()" in found[0]
    # the call site's own suppression silences nothing now: it is unused
    assert found[1].startswith("app/waits.py:12:19: WFL003 unused suppression of WFL102"), found


def test_unused_suppressions_are_judged_only_for_codes_the_run_checks(project):
    (project / "app" / "orders.py").write_text(WORKFLOW.replace(
        "time.time()", "time.time()  # wflint: ignore[WFL201]"))
    assert "WFL003" in run("check", "--no-cache", "app/orders.py").output
    selected = run("check", "--no-cache", "--select", "WFL1,WFL003", "app/orders.py").output
    assert "WFL003" not in selected and "WFL101" in selected  # WFL201 is not checked: not judged
    ignored = run("check", "--no-cache", "--ignore", "WFL003", "app/orders.py").output
    assert "WFL003" not in ignored


def test_warnings_are_counted_apart_and_can_leave_the_exit_code_zero(project):
    (project / "app" / "orders.py").write_text(WORKFLOW.replace("started = time.time()", "started = 1"))
    result = run("check", "app/orders.py")
    assert codes_in(result.output) == ["WFL202", "WFL502"]
    assert "Found 1 error and 1 warning." in result.output and result.exit_code == 1
    assert run("check", "--exit-zero-on-warnings", "app/orders.py").exit_code == 1  # WFL202 is an error
    (project / "app" / "orders.py").write_text(
        WORKFLOW.replace("started = time.time()", "started = 1").replace("key = uuid.uuid4()", "key = 1"))
    only_warnings = run("check", "--exit-zero-on-warnings", "app/orders.py")
    assert codes_in(only_warnings.output) == ["WFL502"]
    assert "\nFound 1 warning.\n" in only_warnings.output and only_warnings.exit_code == 0
    assert run("check", "app/orders.py").exit_code == 1


# -- ruff's options --------------------------------------------------------------------------

def test_show_files_lists_what_would_be_checked(project):
    (project / "pyproject.toml").write_text('[tool.wflint]\nexclude = ["clean.py"]\n')
    result = run("check", "--show-files", "app")
    assert result.exit_code == 0
    assert result.output.splitlines() == ["app/orders.py"]


def test_show_settings_prints_the_resolved_settings(project):
    (project / "pyproject.toml").write_text('[tool.wflint]\nselect = ["WFL1"]\n')
    result = run("check", "--show-settings", "app")
    assert result.exit_code == 0
    assert "select: WFL101, WFL102\n" in result.output
    assert f"configuration: {project / 'pyproject.toml'}" in result.output


def test_config_key_value_overrides_the_file_and_isolated_ignores_it(project):
    (project / "pyproject.toml").write_text('[tool.wflint]\nselect = ["WFL2"]\n')
    assert codes_in(run("check", "app").output) == ["WFL202"]
    assert codes_in(run("check", "--config", "select = ['WFL1']", "app").output) == ["WFL101"]
    assert codes_in(run("check", "--isolated", "app").output) == ["WFL101", "WFL202", "WFL502"]
    bad = run("check", "--config", "select = [", "app")
    assert bad.exit_code == 2 and "--config 'select = [': expected a TOML 'key = value'" in bad.output
    unknown = run("check", "--config", "selct = ['WFL1']", "app")
    assert unknown.exit_code == 2 and "unknown key 'selct'" in unknown.output
    (project / "other.toml").write_text("")
    (project / "more.toml").write_text("")
    two = run("check", "--config", "other.toml", "--config", "more.toml", "app")
    assert two.exit_code == 2 and "only one configuration file" in two.output


def test_cache_dir_puts_the_cache_where_asked(project):
    assert run("check", "--cache-dir", "elsewhere", "app", env={"WFLINT_NO_CACHE": ""}).exit_code == 1
    assert (project / "elsewhere").is_dir() and not (project / ".wflint_cache").exists()


def test_ignore_noqa_reports_suppressed_findings(project):
    (project / "app" / "orders.py").write_text(WORKFLOW.replace(
        "started = time.time()", "started = time.time()  # noqa: WFL101"))
    assert "WFL101" not in codes_in(run("check", "app/orders.py").output)
    assert "WFL101" in codes_in(run("check", "--ignore-noqa", "app/orders.py").output)


def test_fix_only_fixes_without_reporting_and_exit_non_zero_on_fix(project):
    source = project / "app" / "orders.py"
    result = run("check", "--fix-only", "app/orders.py")
    assert result.exit_code == 0, result.output
    assert result.output == "Fixed 2 errors.\n"
    assert "ctx.current_utc_datetime" in source.read_text()
    source.write_text(WORKFLOW)
    assert run("check", "--fix-only", "--exit-non-zero-on-fix", "app/orders.py").exit_code == 1
    assert run("check", "--fix-only", "--exit-non-zero-on-fix", "app/orders.py").exit_code == 0  # nothing left to fix
    source.write_text(WORKFLOW.replace("        print(key)\n", ""))
    fixed_all = run("check", "--fix", "--unsafe-fixes", "--exit-non-zero-on-fix", "app/orders.py")
    assert "All checks passed" in fixed_all.output or "0 remaining" in fixed_all.output
    assert fixed_all.exit_code == 1


def test_add_noqa_silences_every_finding_in_place(project):
    source = project / "app" / "orders.py"
    source.write_text(WORKFLOW.replace("key = uuid.uuid4()", "key = uuid.uuid4()  # noqa: E501"))
    result = run("check", "--add-noqa", "app/orders.py")
    assert result.exit_code == 0 and "Added 3 noqa directives." in result.output
    text = source.read_text()
    assert "started = time.time()  # noqa: WFL101\n" in text
    assert "key = uuid.uuid4()  # noqa: E501, WFL202\n" in text
    assert "All checks passed!" in run("check", "app/orders.py").output


def test_add_noqa_leaves_lines_that_cannot_hold_a_comment():
    from wflint.noqa import with_noqa

    text = 'x = """a\nb""" + f()\ny = g() \\\n    + 1\nz = h()\n'
    new, count = with_noqa(text, {1: {"WFL101"}, 3: {"WFL101"}, 5: {"WFL302"}})
    assert count == 1 and new.endswith("z = h()  # noqa: WFL302\n")
    assert new.startswith('x = """a\nb""" + f()\ny = g() \\\n')


def test_verbose_says_which_configuration_and_how_long(project):
    err = run("check", "-v", "app").output  # stderr is mixed into the output here
    assert "wflint: configuration: none (defaults)" in err
    assert "wflint: checked 2 files in " in err


def test_watch_checks_again_when_a_file_changes(project):
    command = [sys.executable, "-m", "wflint", "check", "--no-cache", "--watch", "app"]
    process = subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    lines: list[str] = []
    try:
        def read_until(text: str) -> None:
            while not any(text in line for line in lines):
                line = process.stdout.readline()
                assert line, "".join(lines)
                lines.append(line)

        read_until("Watching for file changes.")
        assert any("WFL101" in line for line in lines)
        (project / "app" / "clean.py").write_text(
            (project / "app" / "clean.py").read_text() + "\n# touched\n")
        (project / "app" / "orders.py").write_text(WORKFLOW.replace("time.time()", "1"))
        del lines[:]
        read_until("Watching for file changes.")
        assert not any("WFL101" in line for line in lines) and any("WFL202" in line for line in lines)
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_fix_removes_the_function_local_import_it_leaves_unused(project):
    (project / "app" / "local.py").write_text(textwrap.dedent("""\
        from temporalio import workflow


        @workflow.defn
        class Local:
            @workflow.run
            async def run(self) -> float:
                import time
                return time.time()
        """))
    assert run("check", "--fix", "app/local.py").exit_code == 0
    text = (project / "app" / "local.py").read_text()
    assert "import time" not in text and "return workflow.time()" in text


def test_the_command_exits_at_once_with_its_status_and_all_of_its_output(tmp_path):
    """``python -m wflint`` (like the ``wflint`` script) exits without Python's shutdown, once
    its output is flushed: the status and every line are still there, in a pipe or a file."""
    flows = tmp_path / "flows.py"
    flows.write_text("".join(WORKFLOW.replace("order_wf", f"order_wf_{n}") for n in range(400)))
    command = [sys.executable, "-m", "wflint", "check", "--no-cache", str(flows)]
    found = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path)
    assert found.returncode == 1 and found.stderr == ""
    lines = found.stdout.splitlines()
    assert len([line for line in lines if ": WFL" in line]) == 1200 and lines[-1].startswith("[*]")
    written = tmp_path / "out.txt"
    to_file = subprocess.run([*command, "-o", str(written)], capture_output=True, text=True, cwd=tmp_path)
    assert to_file.returncode == 1 and written.read_text() == found.stdout
    clean = tmp_path / "clean.py"
    clean.write_text(CLEAN)
    passed = subprocess.run([*command[:-1], str(clean)], capture_output=True, text=True, cwd=tmp_path)
    assert (passed.returncode, passed.stdout) == (0, "All checks passed!\n")
    missing = subprocess.run([*command[:-1], str(tmp_path / "nope.py")], capture_output=True, text=True)
    assert missing.returncode == 2 and "nope.py" in missing.stderr
    usage = subprocess.run([*command[:-1], "--bogus"], capture_output=True, text=True)
    assert usage.returncode == 2 and "No such option" in usage.stderr
    # a reader that stops after one line: no traceback, the status of the run
    reader = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.readline()
    reader.stdout.close()
    assert "Traceback" not in reader.stderr.read().decode() and reader.wait(timeout=60) in (0, 1)
