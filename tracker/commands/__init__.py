"""Subcommands of the treaty-tracker CLI, one module each, and what they share."""

from __future__ import annotations

from sqlalchemy.engine import Engine

# Not "from tracker import db": the subcommand module tracker.commands.db would shadow it.
from tracker.db import DatabaseURLError, make_engine


class CommandError(Exception):
    """A one-line error for the user; ``tracker.cli.main`` prints it and exits with ``status``."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def open_engine(url: str | None = None) -> Engine:
    """The database engine (``url``, else TRACKER_DATABASE_URL); a bad URL is a CommandError."""
    try:
        return make_engine(url)
    except DatabaseURLError as exc:
        raise CommandError(str(exc)) from None
