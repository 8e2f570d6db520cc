"""``python -m wflint``."""

from wflint.cli import main

if __name__ == "__main__":
    main()
