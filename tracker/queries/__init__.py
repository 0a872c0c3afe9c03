"""Read models for the app and the CLI: plain, frozen rows built from the stored tables.

Every page of the app and every read-side command reads through this module. Functions are
keyword-only, take ``session=`` and never commit, except the few *actions* at the end
(mark events read, edit watches), which only add or change rows of ``event_read`` and
``watch`` and leave committing to the caller as well. Change events are never touched.
"""

from tracker.country_names import CountryMatch as CountryMatch
from tracker.country_names import resolve as resolve_country
from tracker.queries.common import (
    STATUSES,
    DataSource,
    TreatyOrigin,
    _aware,
    _iso,
    _status_of,
    _title,
    _treaty_order,
    country_choices,
    country_name,
    data_source,
    origins,
)
from tracker.queries.country import (
    CountryTreatyRow,
    count_discrepancies,
    country_overview,
    stored_treaty_count,
)
from tracker.queries.events import (
    CatchUp,
    EventRow,
    catch_ups,
    event_kinds,
    events,
)
from tracker.queries.health import (
    JOBS_TABLE,
    POLL_JOB_ID,
    CrosscheckRunRow,
    HealthRow,
    NextPoll,
    crosscheck_runs,
    health,
    next_scheduled_poll,
)
from tracker.queries.treaty import (
    ParticipantStatusRow,
    TreatySummary,
    history_at,
    history_json,
    in_force_at,
    participants,
    parties_over_time,
    treaties,
    treaty,
    treaty_state,
)
from tracker.queries.watches import (
    WatchInput,
    WatchRow,
    add_watch,
    delete_watch,
    mark_read,
    mask_url,
    send_watch_test,
    set_watch_active,
    watches,
)

__all__ = [
    "CatchUp",
    "CountryMatch",
    "CountryTreatyRow",
    "CrosscheckRunRow",
    "DataSource",
    "EventRow",
    "HealthRow",
    "JOBS_TABLE",
    "NextPoll",
    "POLL_JOB_ID",
    "ParticipantStatusRow",
    "STATUSES",
    "TreatyOrigin",
    "TreatySummary",
    "WatchInput",
    "WatchRow",
    "_aware",
    "_iso",
    "_status_of",
    "_title",
    "_treaty_order",
    "add_watch",
    "catch_ups",
    "count_discrepancies",
    "country_choices",
    "country_name",
    "country_overview",
    "stored_treaty_count",
    "crosscheck_runs",
    "data_source",
    "delete_watch",
    "event_kinds",
    "events",
    "health",
    "history_at",
    "history_json",
    "in_force_at",
    "mark_read",
    "mask_url",
    "next_scheduled_poll",
    "origins",
    "participants",
    "parties_over_time",
    "resolve_country",
    "send_watch_test",
    "set_watch_active",
    "treaties",
    "treaty",
    "treaty_state",
    "watches",
]
