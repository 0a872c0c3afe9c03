"""Migration 0003_participant_actions: upgrade from 0002 with data in place, and downgrade.

Rows written at revision 0002 (before actions existed) come out with ``actions = []`` and,
where they have a signature date, ``signature_kind = 'signature'``; downgrading drops both
columns and keeps the rest. On SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json

from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from tracker import db

ROWS_0002 = [
    # (code, signature_date, consent_date, consent_kind): OPIC values of 2015 (real)
    ("BEL", "2012-02-28", "2014-05-30", "ratification"),
    ("BOL", None, "2013-04-02", "accession"),
]


def _fill_at_0002(engine: Engine) -> None:
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO treaty (id, mtdsg_no, created_at) "
                "VALUES (1, 'IV-11-d', '2015-03-14 09:01:22+00:00')"
            )
        )
        for code, signature, consent, kind in ROWS_0002:
            c.execute(
                text(
                    "INSERT INTO participant (code, name_en, first_seen_at) "
                    "VALUES (:code, :name, '2015-03-14 09:01:22+00:00')"
                ),
                {"code": code, "name": code},
            )
            c.execute(
                text(
                    "INSERT INTO participant_status (treaty_id, participant_code, name, "
                    "footnotes, signature_date, consent_date, consent_kind, withdrawn, "
                    "has_declarations, listed, updated_at) VALUES (1, :code, :name, '[]', "
                    ":sig, :con, :kind, false, false, true, '2015-03-14 09:01:22+00:00')"
                ),
                {"code": code, "name": code, "sig": signature, "con": consent, "kind": kind},
            )


def test_upgrade_from_0002_with_data_then_downgrade(empty_engine: Engine) -> None:
    db.upgrade(empty_engine, "0002")
    _fill_at_0002(empty_engine)
    db.upgrade(empty_engine, "0003_participant_actions")
    assert db.current_revision(empty_engine) == "0003_participant_actions"
    with empty_engine.connect() as c:
        rows = c.execute(
            text(
                "SELECT participant_code, signature_kind, actions FROM participant_status "
                "ORDER BY participant_code"
            )
        ).all()
    got = [(code, kind, actions if isinstance(actions, list) else json.loads(actions))
           for code, kind, actions in rows]  # fmt: skip
    assert got == [("BEL", "signature", []), ("BOL", None, [])]

    command.downgrade(db.alembic_config(empty_engine), "0002")
    columns = {c["name"] for c in inspect(empty_engine).get_columns("participant_status")}
    assert "actions" not in columns and "signature_kind" not in columns
    with empty_engine.connect() as c:
        kept = c.execute(
            text("SELECT participant_code, consent_kind FROM participant_status ORDER BY 1")
        ).all()
    assert [tuple(r) for r in kept] == [("BEL", "ratification"), ("BOL", "accession")]
