"""A small async client of the Zalo Bot Platform: JSON bodies, and ``ok: false`` answers as errors.

Zalo answers most errors with HTTP 200 and ``{"ok": false, "error_code": …, "description": …}``; the old
host uses the HTTP status instead. Either way the answer's ``ok`` decides. The token is part of every
URL, so no URL ever reaches an error message or a log line."""

from __future__ import annotations

from typing import Any, Final

import aiohttp

DEFAULT_API_URL: Final = "https://bot-api.zaloplatforms.com"
POLL_TIMEOUT: Final = 25
IDLE: Final = 408
"""The error code of a long poll that found nothing new."""


class ZaloError(Exception):
    """Zalo refused a call (``ok: false``): the method, Zalo's error code and description."""

    def __init__(self, method: str, code: int, description: str) -> None:
        super().__init__(f"Zalo {method}: error {code} {description}".strip())
        self.method, self.code, self.description = method, code, description


class ZaloUnreachable(Exception):
    """The call did not get an answer (network, timeout, not JSON); named without its URL."""


class ZaloClient:
    """Calls ``{api_url}/bot{token}/{method}`` with a JSON body over one aiohttp session."""

    def __init__(self, token: str, api_url: str = DEFAULT_API_URL, *, timeout: float = 15.0) -> None:
        self._base = f"{api_url.rstrip('/')}/bot{token}/"
        self._timeout = timeout
        self._session: aiohttp.ClientSession | None = None

    async def call(self, method: str, params: dict[str, Any] | None = None, *, seconds: float | None = None) -> Any:
        """The ``result`` of one call, given up after ``seconds``; ``ZaloError`` when Zalo says no,
        ``ZaloUnreachable`` without an answer."""
        if self._session is None:
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=16))
        wait = aiohttp.ClientTimeout(total=seconds or self._timeout)
        try:
            async with self._session.post(self._base + method, json=params or {}, timeout=wait) as response:
                status, body = response.status, await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise ZaloUnreachable(f"Zalo {method}: {type(exc).__name__}") from None  # its text may hold the URL
        if not isinstance(body, dict):
            raise ZaloUnreachable(f"Zalo {method}: an answer that is not a JSON object (HTTP {status})")
        if not body.get("ok"):
            code = body.get("error_code")
            raise ZaloError(method, int(code) if isinstance(code, int) else status, str(body.get("description") or ""))
        return body.get("result")

    async def get_me(self) -> dict[str, Any]:
        """The bot's own account."""
        result = await self.call("getMe")
        return result if isinstance(result, dict) else {}

    async def get_update(self, poll_seconds: int = POLL_TIMEOUT) -> dict[str, Any] | None:
        """The next update, or None when the long poll found nothing new (error 408, on either host)."""
        try:
            result = await self.call("getUpdates", {"timeout": poll_seconds}, seconds=poll_seconds + 15)
        except ZaloError as exc:
            if exc.code == IDLE:
                return None
            raise
        return result if isinstance(result, dict) and result else None

    async def send_message(self, chat_id: str, text: str) -> str | None:
        """Send plain text; the message's id."""
        return _message_id(await self.call("sendMessage", {"chat_id": chat_id, "text": text}))

    async def send_photo(self, chat_id: str, url: str, caption: str = "") -> str | None:
        """Send a photo by its public URL (Zalo refuses uploads); the message's id."""
        params = {"chat_id": chat_id, "photo": url} | ({"caption": caption} if caption else {})
        return _message_id(await self.call("sendPhoto", params))

    async def set_webhook(self, url: str, secret: str) -> None:
        """Have Zalo post updates to ``url`` with ``secret`` in ``X-Bot-Api-Secret-Token``."""
        await self.call("setWebhook", {"url": url, "secret_token": secret})

    async def delete_webhook(self) -> None:
        """Stop posting updates (polling is refused while a webhook is set)."""
        await self.call("deleteWebhook")

    async def close(self) -> None:
        """Close the HTTP session."""
        if self._session is not None:
            await self._session.close()
            self._session = None


def _message_id(result: Any) -> str | None:
    value = result.get("message_id") if isinstance(result, dict) else None
    return str(value) if value is not None else None
