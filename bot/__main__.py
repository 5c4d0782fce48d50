"""`python -m bot` runs the same command line as the `medbot` script."""

from bot.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
