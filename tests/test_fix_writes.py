"""Writing fixes: encodings, BOM, line endings and file modes survive; failures leave the file intact."""

import os
import stat
import textwrap

import pytest
from click.testing import CliRunner

from wflint.cli import main
from wflint.fixes import writer

SOURCE = textwrap.dedent("""\
    # café
    from datetime import datetime
    import dapr.ext.workflow as wf

    wfr = wf.WorkflowRuntime()

    @wfr.workflow
    def w(ctx):
        started = datetime.utcnow()
        yield ctx.call_activity(a, input=started)
""")
FIXED_LINE = "    started = ctx.current_utc_datetime"


def fix(path):
    return CliRunner().invoke(main, ["check", "--fix", str(path)])


def test_crlf_is_kept(tmp_path):
    path = tmp_path / "wf.py"
    path.write_bytes(SOURCE.replace("\n", "\r\n").encode())
    assert fix(path).exit_code == 0
    data = path.read_bytes()
    assert (FIXED_LINE + "\r\n").encode() in data
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_bom_is_kept(tmp_path):
    path = tmp_path / "wf.py"
    path.write_bytes(b"\xef\xbb\xbf" + SOURCE.encode())
    assert fix(path).exit_code == 0
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf# caf\xc3\xa9")
    assert FIXED_LINE.encode() in data


def test_latin1_coding_cookie_is_kept(tmp_path):
    path = tmp_path / "wf.py"
    path.write_bytes(("# -*- coding: latin-1 -*-\n" + SOURCE).encode("latin-1"))
    assert fix(path).exit_code == 0
    data = path.read_bytes()
    assert b"# caf\xe9" in data  # still latin-1
    assert FIXED_LINE.encode() in data


def test_file_mode_is_kept_including_read_only(tmp_path):
    path = tmp_path / "wf.py"
    path.write_text(SOURCE)
    os.chmod(path, 0o444)
    try:
        assert fix(path).exit_code == 0
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o444
        assert FIXED_LINE in path.read_text()
    finally:
        os.chmod(path, 0o644)


def test_executable_mode_is_kept(tmp_path):
    path = tmp_path / "wf.py"
    path.write_text(SOURCE)
    os.chmod(path, 0o755)
    fix(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o755


def test_failure_before_replace_leaves_the_original(tmp_path, monkeypatch):
    path = tmp_path / "wf.py"
    path.write_text(SOURCE)

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(writer.os, "replace", broken_replace)
    result = fix(path)
    assert result.exit_code == 2
    assert "cannot write the fixed file" in result.output
    assert path.read_text() == SOURCE
    assert os.listdir(tmp_path) == ["wf.py"]  # no temporary file left behind


def test_syntax_error_file_is_never_written(tmp_path):
    path = tmp_path / "wf.py"
    broken = SOURCE + "def broken(:\n"
    path.write_text(broken)
    result = fix(path)
    assert result.exit_code == 1 and "WFL001" in result.output
    assert path.read_text() == broken


def test_symlink_is_written_through(tmp_path):
    target = tmp_path / "real.py"
    target.write_text(SOURCE)
    link = tmp_path / "link.py"
    link.symlink_to(target)
    fix(link)
    assert link.is_symlink()
    assert FIXED_LINE in target.read_text()


def test_stdin_fix_prints_the_fixed_source():
    result = CliRunner().invoke(main, ["check", "--fix", "-"], input=SOURCE)
    assert result.exit_code == 0
    assert result.stdout == SOURCE.replace("    started = datetime.utcnow()", FIXED_LINE).replace(
        "from datetime import datetime\n", "")  # the import the fix left unused goes too
    assert result.stderr == "Found 1 error (1 fixed, 0 remaining).\n"


@pytest.mark.parametrize("flags, exit_code", [(["--fix"], 0), (["--diff"], 1)])
def test_fix_and_diff_exit_codes(tmp_path, flags, exit_code):
    path = tmp_path / "wf.py"
    path.write_text(SOURCE)
    assert CliRunner().invoke(main, ["check", *flags, str(path)]).exit_code == exit_code
