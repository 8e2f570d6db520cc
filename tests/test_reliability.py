"""Reliability (SPEC §9): bad input never crashes a run, the analysed code never runs, the
answer never depends on jobs, hash seed, file order or the cache, and configuration errors are
messages with exit code 2, never tracebacks. Everything runs the real ``wflint`` process."""

import json
import os
import random
import shutil
import site
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent

GOOD = textwrap.dedent("""\
    import time
    from temporalio import workflow

    @workflow.defn
    class Good:
        @workflow.run
        async def run(self) -> float:
            return time.time()
""")
#: a module that declares a workflow (so the prefilter lets it through), before the bad part
HEADER = "from temporalio import workflow\n\n\n@workflow.defn\nclass Declared:\n    pass\n\n\n"


def wflint(*args, cwd, env=None, input=None):
    environment = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "wflint", *args], cwd=cwd, env=environment,
                          capture_output=True, input=input)


def no_traceback(result):
    err = result.stderr.decode("utf-8", "replace")
    out = result.stdout.decode("utf-8", "replace")
    assert "Traceback" not in err and "Traceback" not in out, err
    return out, err


# -- 1. the bad-input matrix -----------------------------------------------------------------

def _bad_inputs(tmp: Path) -> dict[str, str | None]:
    """Files that must each give the code named (None: nothing to report), written into tmp."""
    expected: dict[str, str | None] = {}

    def write(name: str, data, code):
        path = tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        expected[name] = code

    write("syntax_colon.py", HEADER + "def f(x)\n    pass\n", "WFL001")
    write("syntax_unclosed.py", HEADER + "x = (1,\n", "WFL001")
    write("syntax_indent.py", HEADER + "def f():\nreturn 1\n", "WFL001")
    write("syntax_token.py", HEADER + "x = 1 $ 2\n", "WFL001")
    write("syntax_tabs.py", HEADER + "if True:\n\tx = 1\n        y = 2\n", "WFL001")
    write("syntax_fstring.py", HEADER + 'x = f"{1 +}"\n', "WFL001")
    write("syntax_walrus.py", HEADER + "(a.b := 1)\n", "WFL001")
    # Python 3.12 syntax (PEP 695 type aliases, PEP 701 f-strings): WFL001 only before 3.12
    newer = "WFL001" if sys.version_info < (3, 12) else None
    write("py312_type_alias.py", HEADER + "type Alias = list[int]\n", newer)
    write("py312_fstring.py", HEADER + "x = f\"{'a' + f\"{1}\"}\"\n", newer)
    write("undecodable.py", HEADER.encode() + b"x = '\xff\xfe'\n", "WFL002")
    write("wrong_cookie.py", b"# -*- coding: ascii -*-\n" + HEADER.encode() + "x = 'é'\n".encode(), "WFL002")
    write("unknown_cookie.py", b"# coding: klingon\n" + HEADER.encode(), "WFL002")
    write("nul_byte.py", HEADER.encode() + b"x = 1\x00\n", "WFL002")
    rng = random.Random(7)
    write("binary.py", b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(4096)), "WFL002")
    write("binary_temporalio.py", b"temporalio\x00" + bytes(rng.randrange(256) for _ in range(4096)), "WFL002")
    write("deep.py", HEADER + "x = " + "(" * 5000 + "1" + ")" * 5000 + "\n", "WFL001")
    write("deep_lists.py", HEADER + "x = " + "[" * 5000 + "]" * 5000 + "\n", "WFL001")
    write("empty.py", b"", None)
    write("bom_only.py", b"\xef\xbb\xbf", None)
    write("bom_workflow.py", b"\xef\xbb\xbf" + GOOD.encode(), "WFL101")
    # 20 MB: ordinary code (skipped by the prefilter) and workflow code with a large literal
    write("big_plain.py", "DATA = [\n" + "    'x' * 10,\n" * 1_500_000 + "]\n", None)
    write("big_workflow.py", GOOD + 'BLOB = """' + "0123456789abcdef" * 1_250_000 + '"""\n', "WFL101")
    return expected


def test_bad_input_matrix(tmp_path):
    expected = _bad_inputs(tmp_path)
    (tmp_path / "good.py").write_text(GOOD)
    # a directory named like a module, a symlink loop, a dangling link
    (tmp_path / "pkg.py").mkdir()
    (tmp_path / "pkg.py" / "inner.py").write_text(GOOD)
    os.symlink("loop_b.py", tmp_path / "loop_a.py")
    os.symlink("loop_a.py", tmp_path / "loop_b.py")
    (tmp_path / "dirloop").mkdir()
    os.symlink("..", tmp_path / "dirloop" / "up")
    os.symlink("missing_target.py", tmp_path / "dangling.py")
    assert (tmp_path / "big_plain.py").stat().st_size > 20_000_000
    assert (tmp_path / "big_workflow.py").stat().st_size > 20_000_000

    result = wflint("check", "--no-cache", "--output-format", "json", ".", cwd=tmp_path)
    out, err = no_traceback(result)
    assert result.returncode == 1, err
    found: dict[str, set[str]] = {}
    for d in json.loads(out):
        found.setdefault(d["filename"], set()).add(d["code"])
    for name, code in expected.items():
        assert found.get(name, set()) == ({code} if code else set()), name
    # the good files are still checked
    assert found["good.py"] == {"WFL101"} and found["pkg.py/inner.py"] == {"WFL101"}


def test_links_named_on_the_command_line(tmp_path):
    os.symlink("loop_b.py", tmp_path / "loop_a.py")
    os.symlink("loop_a.py", tmp_path / "loop_b.py")
    os.symlink("missing_target.py", tmp_path / "dangling.py")
    (tmp_path / "good.py").write_text(GOOD)
    result = wflint("check", "--no-cache", "loop_a.py", "dangling.py", "good.py", cwd=tmp_path)
    out, _ = no_traceback(result)
    assert result.returncode == 1
    assert "loop_a.py:1:1: WFL002 cannot read file: Too many levels of symbolic links" in out
    assert "dangling.py:1:1: WFL002 cannot read file: No such file or directory" in out
    assert "good.py:8:16: WFL101" in out


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path):
    (tmp_path / "secret.py").write_text(GOOD)
    (tmp_path / "secret.py").chmod(0)
    (tmp_path / "good.py").write_text(GOOD)
    try:
        result = wflint("check", "--no-cache", ".", cwd=tmp_path)
    finally:
        (tmp_path / "secret.py").chmod(0o644)
    out, _ = no_traceback(result)
    assert "secret.py:1:1: WFL002 cannot read file: Permission denied" in out
    assert "good.py:8:16: WFL101" in out


def test_unreadable_file_even_as_root(tmp_path, monkeypatch):
    """The same path as test_unreadable_file, for runs as root: open() fails with EACCES."""
    import builtins

    from click.testing import CliRunner

    from wflint.cli import main

    (tmp_path / "secret.py").write_text(GOOD)
    (tmp_path / "good.py").write_text(GOOD)
    real_open = builtins.open

    def guarded_open(file, *args, **kwargs):
        if str(file).endswith("secret.py"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--no-cache", "."])
    assert result.exit_code == 1, result.output
    assert "secret.py:1:1: WFL002 cannot read file: Permission denied" in result.output
    assert "good.py:8:16: WFL101" in result.output


def test_missing_path_is_exit_2_and_the_rest_is_checked(tmp_path):
    (tmp_path / "good.py").write_text(GOOD)
    result = wflint("check", "--no-cache", "nope.py", "good.py", cwd=tmp_path)
    out, err = no_traceback(result)
    assert result.returncode == 2
    assert "wflint: error: nope.py: no such file or directory" in err
    assert "good.py:8:16: WFL101" in out


def test_bad_input_on_stdin(tmp_path):
    for data in (b"\xff\xfe\x00garbage", b"", b"\xef\xbb\xbf", HEADER.encode() + b"def f(:\n"):
        result = wflint("check", "--no-cache", "-", cwd=tmp_path, input=data)
        no_traceback(result)
        assert result.returncode in (0, 1)


def test_bad_input_with_fix_writes_nothing(tmp_path):
    expected = _bad_inputs(tmp_path)
    del expected["big_plain.py"], expected["big_workflow.py"]
    (tmp_path / "big_plain.py").unlink()
    (tmp_path / "big_workflow.py").unlink()
    before = {name: (tmp_path / name).read_bytes() for name in expected}
    result = wflint("check", "--no-cache", "--fix", "--unsafe-fixes", ".", cwd=tmp_path)
    no_traceback(result)
    for name, data in before.items():
        if expected[name] in ("WFL001", "WFL002", None):
            assert (tmp_path / name).read_bytes() == data, name


# -- 3. real code: installed packages and the SDKs --------------------------------------

SDKS = ("temporalio", "dapr", "durabletask", "azure/durable_functions", "dbos",
        "aws_durable_execution_sdk_python", "aws_durable_execution_sdk_python_testing")
LIBRARIES = ("libcst", "arrow", "click", "_pytest", "hypothesis", "pygls", "flake8", "jsonschema")


def _installed(name):
    for directory in site.getsitepackages():
        if (Path(directory) / name).is_dir():
            return Path(directory) / name
    pytest.fail(f"{name} is not installed: the test extra installs it")


def test_libraries_in_site_packages_have_no_findings(tmp_path):
    paths = [str(_installed(name)) for name in LIBRARIES]
    result = wflint("check", "--no-cache", "--output-format", "json", *paths, cwd=tmp_path)
    out, err = no_traceback(result)
    assert result.returncode == 0, err
    assert json.loads(out) == []


def test_workflow_sdks_report_only_inside_workflow_code(tmp_path):
    """The SDKs ship a few workflows of their own (DBOS's internal workflows, Azure's agent
    orchestrator): every finding must lie inside the workflow function its message names."""
    import ast
    import re

    paths = [str(_installed(name)) for name in SDKS]
    result = wflint("check", "--no-cache", "--output-format", "json", *paths, cwd=tmp_path)
    out, err = no_traceback(result)
    assert result.returncode in (0, 1), err
    for d in json.loads(out):
        assert d["code"] not in ("WFL001", "WFL002"), d
        name = re.search(r"(?:helper|workflow) '([^']+)'", d["message"]).group(1).rsplit(".", 1)[-1]
        tree = ast.parse(Path(d["filename"]).read_bytes())
        spans = [(f.lineno, f.end_lineno) for f in ast.walk(tree)
                 if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) and f.name == name]
        assert any(start <= d["location"]["row"] <= end for start, end in spans), d


# -- 4. the analysed code is never run ---------------------------------------------------------

def test_analysed_code_is_never_imported_or_run(tmp_path):
    marker = tmp_path / "MARKER"
    payload = (f"import os, sys\nopen({str(marker)!r}, 'w').write(__name__)\nos._exit(3)\n"
               "sys.exit(4)\n")
    app = tmp_path / "app"
    app.mkdir()
    (app / "__init__.py").write_text(payload)
    (app / "helpers.py").write_text(payload + "import time\n\ndef now():\n    return time.time()\n")
    (app / "conftest.py").write_text(payload)
    (app / "workflows.py").write_text(payload + textwrap.dedent("""\
        from temporalio import workflow
        from app.helpers import now
        from . import helpers

        @workflow.defn
        class W:
            @workflow.run
            async def run(self) -> float:
                return now() + helpers.now()
    """))
    (tmp_path / "pyproject.toml").write_text('[tool.wflint]\nworkflow-decorators = ["app.helpers.durable"]\n')
    runs = [
        wflint("check", "--no-cache", ".", cwd=tmp_path),
        wflint("check", ".", cwd=tmp_path, env={"WFLINT_NO_CACHE": ""}),  # the cache, twice
        wflint("check", ".", cwd=tmp_path, env={"WFLINT_NO_CACHE": ""}),
        wflint("check", "--no-cache", "--jobs", "2", "--fix", "--unsafe-fixes", "--diff", ".", cwd=tmp_path),
        wflint("check", "--no-cache", "--output-format", "sarif", ".", cwd=tmp_path),
        subprocess.run([sys.executable, "-c", "import wflint, sys; "
                        "print(len(wflint.check_paths(['app'])))"], cwd=tmp_path, capture_output=True),
        subprocess.run([sys.executable, "-m", "flake8", "--isolated", "--select", "WFL", "app"],
                       cwd=tmp_path, capture_output=True),
    ]
    for result in runs:
        no_traceback(result)
        assert result.returncode in (0, 1), result.stderr
    assert b"via now() -> " in runs[0].stdout or b"WFL101" in runs[0].stdout
    assert not marker.exists()


# -- 5. the same answer every time ---------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The fixtures, the examples and the multi-module projects in one tree (over 100 files)."""
    root = tmp_path_factory.mktemp("corpus")
    for name in ("tests/fixtures", "tests/projects", "examples"):
        shutil.copytree(ROOT / name, root / name)
    return root


def _output(corpus, *args, env=None):
    result = wflint("check", "--output-format", "json", *args, cwd=corpus,
                    env={"WFLINT_NO_CACHE": "1", **(env or {})})
    no_traceback(result)
    assert result.returncode == 1
    return result.stdout


def test_output_does_not_depend_on_jobs_or_hash_seed(corpus):
    reference = _output(corpus, "--jobs", "1", ".", env={"PYTHONHASHSEED": "0"})
    assert len(json.loads(reference)) > 400
    assert _output(corpus, "--jobs", "4", ".", env={"PYTHONHASHSEED": "0"}) == reference
    assert _output(corpus, "--jobs", "1", ".", env={"PYTHONHASHSEED": "1"}) == reference
    assert _output(corpus, "--jobs", "4", ".", env={"PYTHONHASHSEED": "12345"}) == reference


def test_output_does_not_depend_on_path_order(corpus):
    files = sorted(str(p.relative_to(corpus)) for p in corpus.rglob("*.py"))
    reference = _output(corpus, *files)
    for seed in (1, 2):
        shuffled = files[:]
        random.Random(seed).shuffle(shuffled)
        assert _output(corpus, *shuffled) == reference


def test_output_does_not_depend_on_the_cache(corpus, tmp_path):
    tree = tmp_path / "tree"
    shutil.copytree(corpus, tree)
    cold = _output(tree, ".")
    first = wflint("check", "--output-format", "json", ".", cwd=tree, env={"WFLINT_NO_CACHE": ""})
    assert (tree / ".wflint_cache").is_dir()
    warm = wflint("check", "--output-format", "json", ".", cwd=tree, env={"WFLINT_NO_CACHE": ""})
    assert first.stdout == cold and warm.stdout == cold
    # a corrupt cache is ignored and rebuilt
    for entry in (tree / ".wflint_cache").rglob("*.json"):
        entry.write_text("{ not json")
    again = wflint("check", "--output-format", "json", ".", cwd=tree, env={"WFLINT_NO_CACHE": ""})
    no_traceback(again)
    assert again.stdout == cold


# -- 6. fix safety under failure ---------------------------------------------------------------------

def test_write_failure_midway_leaves_the_original(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from wflint.cli import main
    from wflint.fixes import writer

    path = tmp_path / "wf.py"
    original = GOOD.replace("\n", "\r\n").encode("utf-8")
    path.write_bytes(original)
    path.chmod(0o640)

    real_fdopen = os.fdopen

    class Failing:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            self.handle.write(data[: len(data) // 2])  # half written, then the disk is full
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer.os, "fdopen", lambda fd, mode: Failing(real_fdopen(fd, mode)))
    result = CliRunner().invoke(main, ["check", "--no-cache", "--fix", str(path)])
    assert result.exit_code == 2
    assert "cannot write the fixed file" in result.output and "No space left" in result.output
    assert path.read_bytes() == original
    assert oct(path.stat().st_mode & 0o777) == oct(0o640)
    assert sorted(os.listdir(tmp_path)) == ["wf.py"]


# -- 7. configuration errors ------------------------------------------------------------------------

@pytest.mark.parametrize("name, content, expected", [
    ("pyproject.toml", "[tool.wflint\nselect = 1\n", "pyproject.toml: invalid TOML: Expected ']' at the end of a table declaration (at line 1, column 13)"),
    ("wflint.toml", 'select = ["WFL1"\n', "wflint.toml: invalid TOML"),
    ("wflint.toml", "select = true\n", "wflint.toml:1: 'select' must be a list of strings, got a boolean"),
    ("wflint.toml", "[select]\nx = 1\n", "'select' must be a list of strings, got a table"),
    ("wflint.toml", 'exclude = [1, 2]\n', "'exclude' must be a list of strings, got a list with non-string items"),
    ("wflint.toml", 'ignore = ["BOGUS"]\n', "unknown rule code or prefix 'BOGUS' in 'ignore'; known codes: WFL001"),
    ("wflint.toml", '\n\nfrobnicate = 1\n', "wflint.toml:3: unknown key 'frobnicate' in the top level; allowed keys: select"),
    (".wflint.toml", 'frameworks = ["celery"]\n', "unknown framework 'celery' in 'frameworks'; allowed: dapr"),
    ("pyproject.toml", '[tool]\nwflint = 3\n', "[tool.wflint] must be a table"),
    ("wflint.toml", b"select = ['\xff']\n", "cannot read configuration"),
])
def test_configuration_errors(tmp_path, name, content, expected):
    (tmp_path / "good.py").write_text(GOOD)
    data = content if isinstance(content, bytes) else content.encode()
    (tmp_path / name).write_bytes(data)
    result = wflint("check", "--no-cache", "good.py", cwd=tmp_path)
    _, err = no_traceback(result)
    assert result.returncode == 2
    assert expected in err, err


def test_config_option_errors(tmp_path):
    (tmp_path / "good.py").write_text(GOOD)
    (tmp_path / "folder.toml").mkdir()
    for args, expected in ((["--config", "missing.toml"], "missing.toml: cannot read configuration"),
                           (["--config", "folder.toml"], "folder.toml"),
                           (["--select", "WFL9999"], "unknown rule code or prefix 'WFL9999'"),
                           (["--framework", "airflow"], "unknown framework 'airflow'"),
                           (["--baseline", "missing.json"], "baseline file not found"),
                           (["--output-format", "xml"], "Invalid value for '--output-format'")):
        result = wflint("check", "--no-cache", *args, "good.py", cwd=tmp_path)
        _, err = no_traceback(result)
        assert result.returncode == 2, args
        assert expected in err, (args, err)
