"""Files for channels that cannot upload them: kept in the database and served by the bot's web server
under a short-lived, unguessable, signed link (``/files/<token>``), never a path."""

from __future__ import annotations

import datetime as dt
from typing import Final

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock
from bot.core.messages import Attachment
from bot.core.signing import signature, verified
from bot.db.models import SharedFile

FILES_PATH: Final = "/files/"
LIFETIME: Final = dt.timedelta(hours=24)
SIGNATURE_LENGTH: Final = 32


def _signed_part(file_id: int, expires: int, purpose: str) -> str:
    return f"{file_id}.{expires}.{purpose}"


class FileLinks:
    """Publishes attachments under signed links and opens them again, on one session."""

    def __init__(self, session: AsyncSession, key: bytes, web_url: str | None, clock: Clock) -> None:
        self._session = session
        self._key = key
        self._web_url = web_url
        self._clock = clock

    @property
    def available(self) -> bool:
        """True when the web server has a public address to link to."""
        return self._web_url is not None

    async def publish(
        self, attachment: Attachment, purpose: str, recipient: int | None, lifetime: dt.timedelta = LIFETIME
    ) -> str:
        """A link serving ``attachment`` until ``lifetime`` has passed; ``purpose`` names what it is for, and
        ``recipient`` the user it is sent to (their files go when their data is erased)."""
        if self._web_url is None:
            raise RuntimeError("file links need PUBLIC_URL (or WEBHOOK_BASE_URL)")
        expires_at = (self._clock.now() + lifetime).replace(microsecond=0)
        row = SharedFile(purpose=purpose, filename=attachment.filename, mime_type=attachment.mime_type,
                         content=attachment.content, expires_at=expires_at, user_id=recipient)  # fmt: skip
        self._session.add(row)
        await self._session.flush()
        expires = int(expires_at.timestamp())
        token = f"{row.id}.{expires}.{signature(_signed_part(row.id, expires, purpose), self._key, SIGNATURE_LENGTH)}"
        return f"{self._web_url}{FILES_PATH}{token}"

    async def forget(self, user_id: int) -> None:
        """Delete the files sent to one user (they asked to be forgotten)."""
        await self._session.execute(delete(SharedFile).where(SharedFile.user_id == user_id))

    async def open(self, token: str) -> Attachment | None:
        """The file a link's token names, while the link stands; None for a forged, altered or lapsed one."""
        parts = token.split(".")
        if len(parts) != 3 or not parts[0].isdecimal() or not parts[1].isdecimal():
            return None
        file_id, expires = int(parts[0]), int(parts[1])
        if expires <= self._clock.now().timestamp():
            return None
        row = await self._session.get(SharedFile, file_id)
        if row is None or int(row.expires_at.timestamp()) != expires:
            return None
        if not verified(_signed_part(file_id, expires, row.purpose), parts[2], self._key, SIGNATURE_LENGTH):
            return None
        return Attachment(row.filename, row.content, row.mime_type)

    async def purge_expired(self) -> int:
        """Delete the files whose links have lapsed; returns how many."""
        result = await self._session.execute(delete(SharedFile).where(SharedFile.expires_at <= self._clock.now()))
        return int(getattr(result, "rowcount", 0) or 0)
