"""wflint's reading of git's ignore patterns, against the rules of gitignore(5) and against git."""

from __future__ import annotations

import os
import random
import subprocess
from pathlib import Path

import pytest

from wflint.config import Excluder
from wflint.files import GitIgnored, _walk
from wflint.gitignore import Patterns


def ignored(patterns: str, path: str, is_dir: bool = False) -> bool | None:
    return Patterns(patterns.splitlines()).match(path, is_dir)


@pytest.mark.parametrize("patterns,path,is_dir,expected", [
    ("*.log", "a.log", False, True),
    ("*.log", "deep/down/a.log", False, True),  # no slash: any depth
    ("*.log", "a.log.txt", False, None),
    ("/top.py", "top.py", False, True),
    ("/top.py", "sub/top.py", False, None),  # a leading slash anchors
    ("doc/frotz", "doc/frotz", True, True),
    ("doc/frotz", "a/doc/frotz", True, None),  # so does a slash in the middle
    ("build/", "build", True, True),
    ("build/", "build", False, None),  # a trailing slash: directories only
    ("build/", "src/build", True, True),
    ("**/gen", "gen", True, True),
    ("**/gen", "a/b/gen", False, True),
    ("a/**/b", "a/b", False, True),  # zero directories
    ("a/**/b", "a/x/y/b", False, True),
    ("a/**/b", "x/a/b", False, None),
    ("abc/**", "abc/x/y", False, True),
    ("abc/**", "abc", True, None),  # everything inside, not the directory
    ("foo**bar", "fooXYbar", False, True),  # other double stars are single ones
    ("foo**bar", "foo/bar", False, None),
    ("*", "a/b", False, True),
    ("a/*", "a/b/c", False, None),  # a star stops at a slash
    ("x?.py", "x1.py", False, True),
    ("x?.py", "x/.py", False, None),
    ("[ab]*.py", "bz.py", False, True),
    ("[!c]d.py", "cd.py", False, None),
    ("[!c]d.py", "ad.py", False, True),
    ("[^c]d.py", "ad.py", False, True),
    ("c[0-9].py", "c5.py", False, True),
    ("[[:digit:]]x", "5x", False, True),
    ("[[:digit:]]x", "ax", False, None),
    ("[]]z", "]z", False, True),
    ("e[-x]", "e-", False, True),
    ("[/]x", "a/x", False, None),  # a bracket never matches a slash
    ("[a", "[a", False, None),  # an unclosed bracket matches nothing
    ("\\#h.py", "#h.py", False, True),
    ("# comment", "# comment", False, None),
    ("\\!bang", "!bang", False, True),
    ("tr.py   ", "tr.py", False, True),  # trailing spaces go
    ("tr.py\\ ", "tr.py ", False, True),  # unless escaped
    ("*.py\n!keep.py", "keep.py", False, False),  # re-included
    ("!keep.py\n*.py", "keep.py", False, True),  # the last match decides
    ("*.py\n!keep.py", "other.py", False, True),
    ("sub\n!sub/", "sub", True, False),
    ("sub\n!sub/", "sub", False, True),
    ("a.py\r", "a.py", False, True),  # a CRLF file
    ("", "a.py", False, None),
])
def test_patterns_follow_gitignore(patterns, path, is_dir, expected):
    assert ignored(patterns, path, is_dir) is expected


def test_a_deeper_file_overrides_one_above(tmp_path, monkeypatch):
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / ".gitignore").write_text("*.py\n")
    (tmp_path / "keep").mkdir()
    (tmp_path / "keep" / ".gitignore").write_text("!wf.py\n")
    (tmp_path / "keep" / "wf.py").write_text("")
    (tmp_path / "keep" / "other.py").write_text("")
    (tmp_path / ".git" / "info").mkdir(exist_ok=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("keep/other.py\n!top.py\n")
    (tmp_path / "top.py").write_text("")  # a .gitignore wins over .git/info/exclude
    monkeypatch.chdir(tmp_path)
    assert set(_walk(".", Excluder((), Path(".")), GitIgnored("."))) == {"keep/wf.py"}


# -- against git itself ------------------------------------------------------------------------

_PATTERNS = ["*.py", "build/", "/top.py", "a/**/b.py", "**/gen", "gen/", "!keep.py", "x?.py", "[ab]*.py",
             "[!c]d.py", "dir/*", "dir/**", "d*r/", "**/sub/*.py", "sub", "!sub/", "\\#h.py", "# comment",
             "tr.py   ", "*~", "a/b", "/a/", "n/**/", "!*.py", "c[0-9].py", "[[:digit:]]x.py", "*.p[y]",
             "foo*bar.py", "deep/**/x/*", "!deep/**/x/keep.py", "**/", "\\!bang.py", "[]]z.py", "e[-x].py",
             "?", "**/a", "a/**", "b/**/c/**/d.py", "!a/", "!/gen"]
_NAMES = ["a", "b", "c", "d", "dir", "dr", "sub", "gen", "build", "deep", "x", "n", "top.py", "b.py",
          "keep.py", "x1.py", "ad.py", "cd.py", "dd.py", "#h.py", "tr.py", "c5.py", "5x.py", "foobar.py",
          "fooXbar.py", "!bang.py", "]z.py", "-.py", "e.py", "d.py", "z.py"]


def _tree(root: Path, rng: random.Random, depth: int = 0) -> None:
    for _ in range(rng.randint(1, 5)):
        name = rng.choice(_NAMES)
        path = root / name
        if name.endswith(".py"):
            path.write_text("")
        elif depth < 4:
            path.mkdir(exist_ok=True)
            _tree(path, rng, depth + 1)
            if rng.random() < 0.3:
                (path / ".gitignore").write_text("\n".join(rng.sample(_PATTERNS, rng.randint(1, 4))) + "\n")


@pytest.mark.parametrize("seed", range(40))
def test_the_walk_skips_what_git_ignores(tmp_path, monkeypatch, seed):
    """Random trees of ignore files: the walk yields exactly the files git does not ignore."""
    rng = random.Random(seed)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / ".gitignore").write_text("\n".join(rng.sample(_PATTERNS, rng.randint(1, 6))) + "\n")
    _tree(tmp_path, rng)
    if rng.random() < 0.5:
        (tmp_path / ".git" / "info").mkdir(exist_ok=True)
        with open(tmp_path / ".git" / "info" / "exclude", "a") as handle:
            handle.write("\n".join(rng.sample(_PATTERNS, 3)) + "\n")
    env = dict(os.environ, HOME=str(tmp_path), GIT_CONFIG_NOSYSTEM="1", XDG_CONFIG_HOME=str(tmp_path))
    listed = subprocess.run(["git", "ls-files", "-z", "--others", "--exclude-standard"], cwd=tmp_path,
                            env=env, capture_output=True, text=True, check=True).stdout
    by_git = {path for path in listed.split("\0") if path.endswith(".py")}
    every = {str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*.py") if ".git" not in path.parts}
    monkeypatch.chdir(tmp_path)
    walked = set(_walk(".", Excluder((), Path(".")), GitIgnored(".")))
    assert walked == by_git
    if seed == 0:
        assert by_git != every  # the trees do ignore files (most seeds do)
