"""Configuration, read once from the environment (prefix ``TRACKER_``) via :func:`get_settings`.

Every setting can also be put in a ``.env`` file in the working directory. Secrets
(``TRACKER_ADMIN_PASSWORD``, ``TRACKER_SMTP_URL``, passwords inside apprise URLs) may instead
be files in the directory named by ``TRACKER_SECRETS_DIR`` (one file per setting, named like
the setting in lower case, e.g. ``tracker_admin_password``).

When no admin password is set in any of those places, the one in
``<data folder>/secrets/tracker_admin_password`` is used: ``treaty-tracker run`` creates it
(mode 0600) on its first start (see :attr:`Settings.admin_password_file`).
"""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from tracker.mtdsg import UNTC_BASE_URL

logger = logging.getLogger(__name__)

#: The CRC and its three protocols (plus the 1995 amendment, IV-11-a) and the core
#: human-rights treaties of chapter IV.
DEFAULT_TREATIES: tuple[str, ...] = (
    "IV-11",  # Convention on the Rights of the Child
    "IV-11-a",  # Amendment to article 43(2) of the CRC
    "IV-11-b",  # OP on the involvement of children in armed conflict (OPAC)
    "IV-11-c",  # OP on the sale of children ... (OPSC)
    "IV-11-d",  # OP on a communications procedure (OPIC)
    "IV-2",  # ICERD
    "IV-3",  # ICESCR
    "IV-4",  # ICCPR
    "IV-8",  # CEDAW
    "IV-9",  # CAT
    "IV-13",  # CMW
    "IV-15",  # CRPD
    "IV-16",  # CED
    "CETS-201",  # Council of Europe: Lanzarote Convention (sexual exploitation of children)
)
# On request (``poll --treaty CETS-210``, or added to TRACKER_TREATIES): any Council of Europe
# treaty, e.g. CETS-210 (Istanbul Convention), CETS-197 (action against trafficking).


def _secrets_dir() -> str | None:
    value = os.environ.get("TRACKER_SECRETS_DIR")
    return value if value and Path(value).is_dir() else None


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="TRACKER_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    data_dir: Path = Field(Path("data"), description="Folder for the SQLite file and page archive")
    database_url: str | None = Field(
        None, description="SQLAlchemy URL; default: SQLite file tracker.db in the data folder"
    )
    untc_base_url: str = Field(UNTC_BASE_URL, description="UN Treaty Collection")
    coe_base_url: str = Field(
        "https://www.coe.int",
        description="Council of Europe site whose treaty chart pages hold the service's key",
    )
    coe_api_url: str = Field(
        "https://conventions-ws.coe.int/WS_LFRConventions/",
        description="Council of Europe Treaty Office JSON service (signatures, declarations)",
    )
    allowed_hosts: list[str] = Field(
        default_factory=lambda: ["treaties.un.org", "www.coe.int", "conventions-ws.coe.int"],
        description="Hosts the crawler may fetch from (every base URL's host must be one)",
    )
    tls_legacy_hosts: list[str] = Field(
        default_factory=lambda: ["conventions-ws.coe.int"],
        description=(
            "Hosts (and only these) reached with OpenSSL's security level lowered to 1 "
            "(DEFAULT@SECLEVEL=1): the Council of Europe service uses a small Diffie-Hellman key"
        ),
    )
    contact: str = Field(
        "https://github.com/treaty-tracker/treaty-tracker",
        description="Contact (URL or e-mail) put in the crawler's User-Agent",
    )
    treaties: list[str] = Field(
        default_factory=lambda: list(DEFAULT_TREATIES),
        description="Treaties to poll: MTDSG numbers (IV-11-d), Council of Europe ids (CETS-201)",
    )
    languages: list[str] = Field(default_factory=lambda: ["en"], description="Page languages")
    poll_cron: str = Field("0 6 * * *", description="When to poll (cron, UTC)")
    poll_timeout_seconds: int = Field(1800, ge=10, description="Time limit of one poll")
    download_timeout_seconds: int = Field(60, ge=1)
    failure_threshold: int = Field(3, ge=1, description="Failed polls in a row before alerting")
    stale_after_days: int = Field(
        30,
        ge=1,
        description=(
            "A treaty last verified longer ago than this is shown as stale, and the events of "
            "its next live poll are recorded as catch-up (one summary message per watch)"
        ),
    )
    default_country: str = Field("BEL", description="Country the app opens on")
    app_language: str = Field("en", description="Language of the app's labels (en or fr)")
    app_port: int = Field(8501, ge=1, le=65535)
    admin_password: SecretStr | None = Field(None, description="Protects actions that change data")
    smtp_url: SecretStr | None = Field(
        None,
        description="apprise e-mail URL of the mail server (mailto:// or mailtos://, with the "
        "login and from=) through which plain e-mail addresses of watches are sent",
    )
    operator_notify_urls: list[SecretStr] = Field(
        default_factory=list,
        description="e-mail addresses or apprise URLs for health alerts to the operator",
    )
    max_page_bytes: int = Field(20_000_000, ge=1000, description="Larger pages are refused")

    @field_validator("untc_base_url", "coe_base_url", "coe_api_url")
    @classmethod
    def _http_only(cls, value: str, info: ValidationInfo) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            name = f"TRACKER_{str(info.field_name).upper()}"
            raise ValueError(f"{name} must be an http(s) address, not {value!r}")
        return value.rstrip("/") if info.field_name != "coe_api_url" else value.rstrip("/") + "/"

    @field_validator("treaties")
    @classmethod
    def _treaty_ids(cls, value: list[str]) -> list[str]:
        return [v.strip() for v in value if v.strip()]

    @model_validator(mode="after")
    def _admin_password_file(self) -> Settings:
        if self.admin_password is None:
            try:
                text = self.admin_password_file.read_text(encoding="utf-8").strip()
            except FileNotFoundError:
                text = ""
            except OSError as exc:
                logger.warning("cannot read %s: %s", self.admin_password_file, exc)
                text = ""
            if text:
                self.admin_password = SecretStr(text)
        return self

    @model_validator(mode="after")
    def _host_allowed(self) -> Settings:
        # The Council of Europe addresses are checked by its spider, which records a failed
        # poll of each CoE treaty when they are not allowed (the UN polls still run).
        host = urlsplit(self.untc_base_url).hostname
        if host not in self.allowed_hosts:
            raise ValueError(
                f"TRACKER_UNTC_BASE_URL points at {host!r}, which is not in "
                f"TRACKER_ALLOWED_HOSTS {self.allowed_hosts}; add it there to allow it"
            )
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'tracker.db').resolve()}"

    @property
    def stale_after(self) -> timedelta:
        return timedelta(days=self.stale_after_days)

    @property
    def archive_dir(self) -> Path:
        return self.data_dir / "archive"

    @property
    def admin_password_file(self) -> Path:
        """Where ``treaty-tracker run`` keeps the admin password it generated."""
        return self.data_dir / "secrets" / "tracker_admin_password"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings, read once. Tests call ``get_settings.cache_clear()`` after changing env."""
    return Settings(_secrets_dir=_secrets_dir())
