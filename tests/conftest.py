import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def pytest_addoption(parser):
    parser.addoption("--update-fixtures", action="store_true", default=False,
                     help="rewrite the expected fix outputs (*.fixed.py) of the fixtures")


import os

# tests check fresh results; the cache has its own tests, which enable it explicitly
os.environ.setdefault("WFLINT_NO_CACHE", "1")
