"""Settings from the environment: the only place that reads it."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Every setting, as DESIGN.md lists them; none set means the offline console on SQLite."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./data/haufo.db"
    telegram_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org"
    zalo_token: SecretStr | None = None
    zalo_api_url: str = "https://bot-api.zaloplatforms.com"
    zalo_monthly_quota: int | None = Field(default=None, ge=1, description="messages a month the Zalo plan allows")
    webhook_base_url: str | None = None
    webchat: bool = False
    """Serve the web chat (``/chat/widget.js``, ``/chat/``) on the web server."""
    webchat_origins: str = ""
    """Other sites (``https://haufo.org.vn``, comma-separated) whose pages may embed the web chat."""
    public_url: str | None = None
    webhook_secret: SecretStr = Field(default_factory=lambda: SecretStr(secrets.token_urlsafe(32)))
    host: str = "127.0.0.1"
    port: int = 8080
    admins: str = ""
    timezone: str = "Asia/Ho_Chi_Minh"
    content_dir: Path = PROJECT_ROOT / "content"
    content_fallback: str = "en,vi"
    """The languages shown, in order, where a content text is not translated into the reader's yet."""
    content_watch_seconds: float = Field(
        default=5, ge=0, description="how often a running bot looks for edited content; 0: only on SIGHUP"
    )
    data_dir: Path = Path("data")
    cache_dir: Path = Path("data/cache")
    semantic_answers: bool = True
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "WARNING"
    """How much the bot's own loggers say (libraries stay at WARNING)."""
    log_format: Literal["text", "json"] = "text"
    """``json``: one JSON object a line, with the event's channel, router, user id and latency."""
    secret_key: SecretStr | None = None
    metrics_token: SecretStr | None = None
    """A bearer token for ``/metrics``; unset, only this machine gets the metrics (not through a proxy)."""
    offer_window_hours: float = Field(default=24, gt=0)
    personal_data_days: int = Field(default=180, ge=1)
    sent_messages_days: int = Field(default=30, ge=1, description="days sent outbox rows are kept")
    audit_days: int = Field(default=730, ge=1, description="days audit entries are kept")
    broadcast_rate: float = Field(
        default=28, ge=0, description="messages a second per channel, across all processes; 0 for no limit"
    )
    outbox_lease_seconds: float = Field(default=120, gt=0)
    flood_burst: int = Field(default=8, ge=0, description="messages one person may send at once; 0: no flood control")
    flood_rate: float = Field(default=1.0, gt=0, description="messages a second one person may go on sending")
    digest_time: dt.time = dt.time(8, 0)
    purge_time: dt.time = dt.time(3, 30)
    locales_dir: Path = PROJECT_ROOT / "locales"

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        ZoneInfo(value)  # raises for an unknown zone
        return value

    @field_validator("telegram_token", "zalo_token", "webhook_secret", "secret_key", "metrics_token")
    @classmethod
    def _not_empty(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().strip():
            raise ValueError("is empty: give it a value, or leave the setting out")
        return value

    @property
    def zone(self) -> ZoneInfo:
        """The local time zone of events."""
        return ZoneInfo(self.timezone)

    @property
    def offer_window(self) -> dt.timedelta:
        """How long a place freed from the waiting list is held for the person it is offered to."""
        return dt.timedelta(hours=self.offer_window_hours)

    @property
    def personal_data_kept(self) -> dt.timedelta:
        """How long personal data of a registration is kept after its offering ended."""
        return dt.timedelta(days=self.personal_data_days)

    @property
    def sent_messages_kept(self) -> dt.timedelta:
        """How long a sent (skipped, failed, cancelled) outbox row is kept after it was due."""
        return dt.timedelta(days=self.sent_messages_days)

    @property
    def audit_kept(self) -> dt.timedelta:
        """How long an audit entry is kept."""
        return dt.timedelta(days=self.audit_days)

    def ticket_key(self) -> bytes:
        """The key signing tickets: SECRET_KEY, or one generated once and kept in ``data_dir``."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value().encode()
        path = self.data_dir / "secret.key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(32), encoding="utf-8")
            path.chmod(0o600)
        return path.read_text(encoding="utf-8").strip().encode()

    @property
    def shared_secrets_missing(self) -> list[str]:
        """The secrets every process must share that are not set, on PostgreSQL (where several processes
        may run): a generated one would differ from process to process."""
        if not self.database_url.startswith("postgresql"):
            return []
        return [name.upper() for name in ("webhook_secret", "secret_key") if name not in self.model_fields_set]

    @property
    def web_url(self) -> str | None:
        """The public https base of the web server (ticket and file links): ``PUBLIC_URL``, else
        ``WEBHOOK_BASE_URL``; None when the web server is not reachable from outside."""
        base = self.public_url or self.webhook_base_url
        return base.rstrip("/") if base else None

    def secrets(self) -> list[str]:
        """Every secret value set, and the database password: what no log line or stored error may show."""
        values = [self.telegram_token, self.zalo_token, self.webhook_secret, self.secret_key, self.metrics_token]
        return [value.get_secret_value() for value in values if value is not None] + [
            password for password in [make_url(self.database_url).password] if password
        ]

    @property
    def admin_ids(self) -> frozenset[str]:
        """``channel:user_id`` of each administrator."""
        return frozenset(part.strip() for part in self.admins.split(",") if part.strip())
