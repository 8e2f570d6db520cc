"""Temporal's runtime sandbox is the minimum coverage: everything it restricts, wflint reports.

The lists follow the sandbox's default restrictions and its own test list of what must fail
and what must pass inside a workflow (see the determinism reference, section b.3).
"""

import textwrap

import pytest

from wflint.config import Settings
from wflint.engine import Checker

RANDOM_FUNCTIONS = ("betavariate", "binomialvariate", "choice", "choices", "expovariate",
                    "gammavariate", "gauss", "getrandbits", "getstate", "lognormvariate",
                    "normalvariate", "paretovariate", "randbytes", "randint", "random", "randrange",
                    "sample", "seed", "setstate", "shuffle", "triangular", "uniform",
                    "vonmisesvariate", "weibullvariate")
PATH_METHODS = ("chmod", "exists", "expanduser", "glob", "group", "hardlink_to", "is_block_device",
                "is_char_device", "is_dir", "is_fifo", "is_file", "is_mount", "is_socket",
                "is_symlink", "iterdir", "lchmod", "link_to", "lstat", "mkdir", "open", "owner",
                "read_bytes", "readlink", "read_text", "rename", "replace", "resolve", "rglob",
                "rmdir", "samefile", "stat", "symlink_to", "touch", "unlink", "write_bytes",
                "write_text")

MUST_FAIL = [
    "open('x')", "input()", "breakpoint()",
    "asyncio.as_completed([])", "asyncio.wait([])",
    "datetime.datetime.now()", "datetime.datetime.today()", "datetime.datetime.utcnow()",
    "datetime.date.today()",
    *(f"time.{name}()" for name in ("time", "time_ns", "monotonic", "monotonic_ns", "perf_counter",
                                     "perf_counter_ns", "process_time", "process_time_ns",
                                     "thread_time", "thread_time_ns", "localtime", "tzset")),
    "time.sleep(1)", "time.get_clock_info('time')", "time.pthread_getcpuclockid(1)",
    *(f"random.{name}()" for name in RANDOM_FUNCTIONS),
    *(f"secrets.{name}()" for name in ("choice", "randbelow", "randbits", "SystemRandom",
                                        "token_bytes", "token_hex", "token_urlsafe")),
    "uuid.uuid1()", "uuid.uuid4()", "uuid.uuid7()",
    "os.getcwd()", "getcwd()", "os.environ['x']", "os.environ.get('x')", "getattr(os.environ, 'foo')",
    "os.getenv('foo')", "os.listdir('.')", "_ = os.name", "os.path.abspath('x')",
    *(f"pathlib.Path('x').{name}()" for name in PATH_METHODS),
    "pathlib.Path.cwd()", "pathlib.Path.home()",
    "threading.current_thread()", "threading.Thread()", "concurrent.futures.ThreadPoolExecutor()",
    "multiprocessing.cpu_count()", "multiprocessing.Process()", "mmap.mmap(-1, 1)",
    "select.select([], [], [])", "selectors.DefaultSelector()", "signal.signal(1, None)",
    "socket.socket()", "platform.system()",
    "subprocess.run(['x'])", "shutil.rmtree('x')", "tempfile.mkdtemp()", "glob.glob('*')",
    "filecmp.cmp('a', 'b')", "fileinput.input()", "dbm.open('x')", "shelve.open('x')",
    "sched.scheduler()",
    "http.client.HTTPConnection('x')", "http.server.HTTPServer(('', 0), None)",
    "urllib.request.urlopen('x')", "ftplib.FTP()", "imaplib.IMAP4()", "poplib.POP3('x')",
    "smtplib.SMTP()", "socketserver.TCPServer(('', 0), None)", "xmlrpc.client.ServerProxy('x')",
    "webbrowser.open('x')",
    "curses.initscr()", "readline.get_line_buffer()", "getpass.getuser()", "getopt.getopt([], '')",
    "gettext.gettext('x')", "locale.getlocale()",
    "bz2.open('x')", "gzip.open('x')", "lzma.open('x')", "tarfile.open('x')",
    "zipfile.ZipFile('x')", "marshal.dump(1, None)", "marshal.load(None)",
    "zoneinfo.ZoneInfo.clear_cache()", "zoneinfo.ZoneInfo.from_file(None)",
    "zoneinfo.ZoneInfo.reset_tzpath()", "zoneinfo.reset_tzpath()",
    "tarfile.open('x').extractall()", "zipfile.ZipFile('x').extractall()",
]

MUST_PASS = [
    "f = os.getcwd", "g = glob.glob", "d = datetime.date(2001, 1, 1)",
    "u = uuid.uuid5(uuid.NAMESPACE_DNS, 'example.com')", "r = random.Random(42)",
    "p = pathlib.Path('x').name", "j = os.path.join('a', 'b')",
]

HEADER = textwrap.dedent("""\
    import asyncio, bz2, concurrent.futures, curses, datetime, dbm, filecmp, fileinput, ftplib
    import getopt, getpass, gettext, glob, gzip, http.client, http.server, imaplib, locale, lzma
    import marshal, mmap, multiprocessing, os, pathlib, platform, poplib, random, readline, sched
    import secrets, select, selectors, shelve, shutil, signal, smtplib, socket, socketserver
    import subprocess, tarfile, tempfile, threading, time, urllib.request, uuid, webbrowser
    import xmlrpc.client, zipfile, zoneinfo
    from concurrent.futures import ThreadPoolExecutor
    from os import getcwd
    from temporalio import workflow

    @workflow.defn
    class W:
        @workflow.run
        async def run(self) -> None:
    """)


def findings(statement: str):
    source = HEADER + f"        {statement}\n"
    return [d for d in Checker(Settings()).check_bytes(source.encode(), "wf.py").diagnostics
            if d.line == source.count("\n")]


@pytest.mark.parametrize("statement", MUST_FAIL)
def test_sandbox_restriction_is_reported(statement):
    assert findings(statement), f"{statement} is restricted by Temporal's sandbox but not reported"


@pytest.mark.parametrize("statement", MUST_PASS)
def test_sandbox_allowed_code_is_not_reported(statement):
    assert findings(statement) == []


def test_calls_inside_sandbox_unrestricted_are_not_reported():
    source = HEADER + "        with workflow.unsafe.sandbox_unrestricted():\n            os.getcwd()\n"
    assert Checker(Settings()).check_bytes(source.encode(), "wf.py").diagnostics == []
