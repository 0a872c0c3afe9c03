"""The ``treaty-tracker`` command.

Each subcommand lives in its own module under :mod:`tracker.commands` and exposes
``register(subparsers)``, which adds its parser and sets ``func`` (args -> exit status).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from collections.abc import Sequence

from tracker import commands

logger = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="treaty-tracker",
        description=(
            "Track signatures and ratifications of UN treaties from the UN Treaty Collection "
            "(treaties.un.org) and report what changed."
        ),
    )
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="more log output (-vv for debug)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    level = logging.WARNING - 10 * min(args.verbose, 2)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        status: int = args.func(args)
    except commands.CommandError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.status
    return status


if __name__ == "__main__":
    sys.exit(main())
