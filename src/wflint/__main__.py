"""``python -m wflint``."""

from wflint.cli import run

if __name__ == "__main__":
    run()
