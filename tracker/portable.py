"""Export the whole history to files, and import it into an empty database.

An export is a folder with ``manifest.json`` and one file per table (``<table>.json`` or
``<table>.csv``), rows in primary-key order, every column by name:

* JSON: a list of objects; dates and times as ISO 8601 strings (times in UTC with
  ``+00:00``), booleans and numbers as JSON values, the ``footnotes`` list as a list.
* CSV (UTF-8, header row): dates and times ISO 8601, booleans ``true``/``false``, JSON
  columns as JSON text. A missing value (NULL) is written ``\\N``; a text that begins with a
  backslash gets one more backslash in front, so an empty text and NULL stay different.

Secrets are not exported: each watch's apprise URL (which may hold passwords or tokens) is
replaced by its masked form (:func:`tracker.notify.mask_url`, e.g. ``mailto://host/…``)
and the row gets ``notify_url_masked = true``. Such watches are imported inactive: their
address must be entered again before they send anything.

Not exported: the raw-page archive (copy its folder as it is: it is content-addressed, so
copies merge safely) and the scheduler's job table (rebuilt when the scheduler starts).

:func:`import_export` restores an export into an EMPTY database (SQLite or PostgreSQL) in
one transaction, keeping every primary key; on PostgreSQL the id sequences are then set
past the largest id, so the next insert gets a fresh one. A database without tables is
first migrated to the export's schema revision, and to the newest one after the import.
"""

from __future__ import annotations

import csv
import json
import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from tracker import db, models, notify

logger = logging.getLogger(__name__)

FORMAT_NAME = "treaty-tracker-export"
FORMAT_VERSION = 1
FORMATS = ("json", "csv")
MANIFEST = "manifest.json"
NULL = "\\N"
#: The secret column, and the flag column added to its rows in an export.
SECRET_TABLE, SECRET_COLUMN, SECRET_FLAG = "watch", "notify_url", "notify_url_masked"
_BATCH = 1000


class PortableError(Exception):
    """An export or import cannot be done; the message says why, in one sentence."""


@dataclass
class ImportResult:
    """What :func:`import_export` restored."""

    counts: dict[str, int] = field(default_factory=dict)
    #: (id, label) of the watches whose notification address must be entered again.
    masked_watches: list[tuple[int, str]] = field(default_factory=list)
    schema_revision: str | None = None


def tables() -> list[sa.Table]:
    """The tables exported, parents before children."""
    return list(models.metadata.sorted_tables)


def tracker_version() -> str:
    try:
        return importlib_metadata.version("treaty-tracker")
    except importlib_metadata.PackageNotFoundError:
        return "unknown"


# --- values --------------------------------------------------------------------------------


def _kind(column: sa.Column[Any]) -> str:
    t = column.type
    if isinstance(t, models.UTCDateTime | sa.DateTime):
        return "datetime"
    if isinstance(t, sa.Date):
        return "date"
    if isinstance(t, sa.Boolean):
        return "bool"
    if isinstance(t, sa.Integer):
        return "int"
    if isinstance(t, sa.JSON):
        return "json"
    return "str"


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _to_csv(value: Any, kind: str) -> str:
    if value is None:
        return NULL
    if kind == "bool":
        return "true" if value else "false"
    if kind == "json":
        return json.dumps(value, ensure_ascii=False)
    if kind in ("date", "datetime"):
        return str(value.isoformat())
    text = str(value)
    return "\\" + text if text.startswith("\\") else text


def _from_json(value: Any, kind: str, where: str) -> Any:
    if value is None:
        return None
    try:
        if kind == "datetime":
            parsed = datetime.fromisoformat(value)
            if parsed.tzinfo is None:
                raise ValueError("the time has no UTC offset")
            return parsed
        if kind == "date":
            return date.fromisoformat(value)
        if kind == "bool" and not isinstance(value, bool):
            raise ValueError("not true or false")
        if kind == "int" and (isinstance(value, bool) or not isinstance(value, int)):
            raise ValueError("not a whole number")
        if kind == "str" and not isinstance(value, str):
            raise ValueError("not a text")
    except (TypeError, ValueError) as exc:
        raise PortableError(f"{where}: bad value {value!r} ({exc})") from exc
    return value


def _from_csv(text: str, kind: str, where: str) -> Any:
    if text == NULL:
        return None
    if kind == "str":
        return text[1:] if text.startswith("\\\\") else text
    try:
        if kind == "bool":
            if text not in ("true", "false"):
                raise ValueError("not true or false")
            return text == "true"
        if kind == "int":
            return int(text)
        if kind == "json":
            return json.loads(text)
    except ValueError as exc:
        raise PortableError(f"{where}: bad value {text!r} ({exc})") from exc
    return _from_json(text, kind, where)


# --- export --------------------------------------------------------------------------------


def _rows(connection: Connection, table: sa.Table) -> list[dict[str, Any]]:
    query = sa.select(table).order_by(*table.primary_key.columns)
    rows = [dict(row._mapping) for row in connection.execute(query)]
    if table.name == SECRET_TABLE:
        for row in rows:
            row[SECRET_COLUMN] = notify.mask_url(row[SECRET_COLUMN] or "")
            row[SECRET_FLAG] = True
    return rows


def export_database(
    engine: Engine, directory: Path, *, fmt: str = "json", exported_at: datetime
) -> dict[str, Any]:
    """Write every table of the database to ``directory`` (created; must not hold an
    export already) in ``fmt`` ("json" or "csv"), then ``manifest.json``; return the
    manifest. All tables are read in one transaction, so they agree with each other."""
    if fmt not in FORMATS:
        raise PortableError(f"unknown export format {fmt!r}; use json or csv")
    directory = Path(directory)
    if (directory / MANIFEST).exists():
        raise PortableError(f"{directory} already holds an export; choose another folder")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PortableError(f"cannot create the folder {directory}: {exc.strerror}") from exc
    revision = db.current_revision(engine)
    manifest: dict[str, Any] = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "tracker_version": tracker_version(),
        "exported_at": exported_at.isoformat(),
        "schema_revision": revision,
        "data_format": fmt,
        "null": NULL if fmt == "csv" else None,
        "secrets": {
            f"{SECRET_TABLE}.{SECRET_COLUMN}": (
                f"masked; rows carry {SECRET_FLAG}=true and must have it entered again"
            )
        },
        "tables": {},
    }
    with engine.connect() as connection, connection.begin():
        for table in tables():
            rows = _rows(connection, table)
            columns = [c.name for c in table.columns]
            if table.name == SECRET_TABLE:
                columns.append(SECRET_FLAG)
            path = directory / f"{table.name}.{fmt}"
            if fmt == "json":
                data = [{k: _to_json(row[k]) for k in columns} for row in rows]
                path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")
            else:
                kinds = {c.name: _kind(c) for c in table.columns}
                kinds[SECRET_FLAG] = "bool"
                with path.open("w", encoding="utf-8", newline="") as handle:
                    writer = csv.writer(handle)
                    writer.writerow(columns)
                    for row in rows:
                        writer.writerow([_to_csv(row[k], kinds[k]) for k in columns])
            manifest["tables"][table.name] = {
                "file": path.name,
                "rows": len(rows),
                "columns": columns,
            }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
    logger.info("exported %s to %s", manifest["tables"], directory)
    return manifest


# --- import --------------------------------------------------------------------------------


def read_manifest(directory: Path) -> dict[str, Any]:
    """The manifest of the export in ``directory``; :class:`PortableError` if it is not one."""
    path = Path(directory) / MANIFEST
    if not Path(directory).is_dir():
        raise PortableError(f"{directory} is not a folder")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise PortableError(f"{directory} is not a tracker export (no {MANIFEST})") from exc
    except (OSError, ValueError) as exc:
        raise PortableError(f"{path} is not a tracker export manifest ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise PortableError(f"{path} is not a tracker export manifest")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise PortableError(
            f"{path}: export format version {manifest.get('format_version')!r} is not "
            f"supported (this tracker reads version {FORMAT_VERSION})"
        )
    if manifest.get("data_format") not in FORMATS or not isinstance(manifest.get("tables"), dict):
        raise PortableError(f"{path} is damaged (no data format or table list)")
    return manifest


def _load(directory: Path, manifest: dict[str, Any], table: sa.Table) -> list[dict[str, Any]]:
    entry = manifest["tables"].get(table.name)
    if entry is None:
        raise PortableError(f"the export has no table {table.name!r}")
    path = Path(directory) / str(entry.get("file", ""))
    kinds = {c.name: _kind(c) for c in table.columns}
    kinds[SECRET_FLAG] = "bool"
    try:
        if manifest["data_format"] == "json":
            raw = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
                raise PortableError(f"{path} is not a list of rows")
            rows = [
                {k: _from_json(v, kinds.get(k, "str"), f"{path.name} row {i + 1} {k}")
                 for k, v in r.items()}
                for i, r in enumerate(raw)
            ]  # fmt: skip
        else:
            with path.open(encoding="utf-8", newline="") as handle:
                reader = csv.reader(handle)
                header = next(reader, None)
                if header is None:
                    raise PortableError(f"{path} has no header row")
                rows = []
                for i, values in enumerate(reader):
                    if len(values) != len(header):
                        raise PortableError(
                            f"{path.name} row {i + 1} has the wrong number of cells"
                        )
                    rows.append(
                        {
                            k: _from_csv(v, kinds.get(k, "str"), f"{path.name} row {i + 1} {k}")
                            for k, v in zip(header, values, strict=True)
                        }
                    )
    except (OSError, ValueError) as exc:
        raise PortableError(f"cannot read {path}: {exc}") from exc
    if len(rows) != entry.get("rows"):
        raise PortableError(
            f"{path.name} has {len(rows)} rows but the manifest says {entry.get('rows')}"
        )
    known = {c.name for c in table.columns} | (
        {SECRET_FLAG} if table.name == SECRET_TABLE else set()
    )
    for row in rows[:1]:
        unknown = set(row) - known
        if unknown:
            raise PortableError(f"{path.name}: unknown column(s) {', '.join(sorted(unknown))}")
    return rows


def non_empty_tables(connection: Connection) -> list[str]:
    """The tracker tables that hold rows, as "name (N rows)"."""
    inspector = sa.inspect(connection)
    present = set(inspector.get_table_names())
    found = []
    for table in tables():
        if table.name in present:
            count = connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            if count:
                found.append(f"{table.name} ({count} rows)")
    return found


def _fix_sequences(connection: Connection) -> None:
    for table in tables():
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, sa.Integer) or pk[0].foreign_keys:
            continue
        name = pk[0].name
        sequence = connection.execute(
            sa.text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": name}
        ).scalar_one()
        if sequence is None:
            continue
        connection.execute(
            sa.text(
                f'SELECT setval(:s, COALESCE((SELECT MAX("{name}") FROM "{table.name}"), 1), '
                f'(SELECT MAX("{name}") FROM "{table.name}") IS NOT NULL)'
            ),
            {"s": sequence},
        )


def import_export(engine: Engine, directory: Path) -> ImportResult:
    """Restore the export in ``directory`` into the EMPTY database of ``engine``."""
    manifest = read_manifest(directory)
    revision = manifest.get("schema_revision")
    known = {s.revision for s in ScriptDirectory.from_config(db.alembic_config()).walk_revisions()}
    if revision not in known:
        raise PortableError(
            f"the export is of schema revision {revision!r}, which this tracker does not know"
        )
    data = {table.name: _load(directory, manifest, table) for table in tables()}
    current = db.current_revision(engine)
    with engine.connect() as connection:
        busy = non_empty_tables(connection)
    if busy:
        raise PortableError(
            "the database is not empty (" + ", ".join(busy) + "); import only into an empty one"
        )
    if current is None:
        db.upgrade(engine, revision)
    elif current != revision:
        raise PortableError(
            f"the database is at schema revision {current} but the export is of revision "
            f"{revision}; import into a database without tables"
        )
    result = ImportResult(schema_revision=revision)
    with engine.begin() as connection:
        for table in tables():
            rows = data[table.name]
            if table.name == SECRET_TABLE:
                for row in rows:
                    if row.pop(SECRET_FLAG, False):
                        row["active"] = False
                        result.masked_watches.append((row["id"], row.get("label") or ""))
            try:
                for start in range(0, len(rows), _BATCH):
                    connection.execute(table.insert(), rows[start : start + _BATCH])
            except sa.exc.StatementError as exc:
                detail = str(exc.orig or exc).strip().splitlines()[0]
                raise PortableError(
                    f"the rows of {table.name} could not be stored, nothing was imported: {detail}"
                ) from exc
            result.counts[table.name] = len(rows)
        if connection.dialect.name == "postgresql":
            _fix_sequences(connection)
    if current is None:
        db.upgrade(engine)
    logger.info("imported %s from %s", result.counts, directory)
    return result
