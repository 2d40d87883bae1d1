"""python-telegram-bot's HTTP requests over aiohttp, with JSON bodies.

PTB's default transport (httpx) costs about three times the CPU of aiohttp per call and sends every
body as a form; a bot answering hundreds of updates a second spends most of its time there. PTB still
does everything else (parameters, status codes to exceptions, parsing results): this class only moves
bytes, as ``BaseRequest`` intends."""

from __future__ import annotations

import json
from typing import Any, Final

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

_DEFAULT: Final = type(BaseRequest.DEFAULT_NONE)


def _given(value: object, default: float | None) -> float | None:
    """A timeout passed to one call, or the request's own default."""
    if isinstance(value, _DEFAULT):
        return default
    return value if isinstance(value, int | float) else None


class AiohttpRequest(BaseRequest):
    """A ``BaseRequest`` on one ``aiohttp.ClientSession`` with at most ``connection_pool_size`` connections.

    Timeouts in seconds: ``connect_timeout`` to connect, ``pool_timeout`` more to wait for a free
    connection, ``read_timeout`` between two reads of the answer; with ``write_timeout`` they add up to a
    bound on the whole call (aiohttp has no timeout for writing alone). The environment is not read (with
    ``trust_env`` aiohttp would look for a ~/.netrc in a thread on every call)."""

    def __init__(
        self,
        connection_pool_size: int = 64,
        *,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._timeouts = (read_timeout, write_timeout, connect_timeout, pool_timeout)
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        """The read timeout of calls that do not name one."""
        return self._timeouts[0]

    async def initialize(self) -> None:
        """Nothing yet: the session opens with the first request (so one never used needs no closing)."""

    def _open(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT},
            )
        return self._session

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None:
            await self._session.close()
        self._session = None

    def _timeout(self, read: object, write: object, connect: object, pool: object) -> aiohttp.ClientTimeout:
        default_read, default_write, default_connect, default_pool = self._timeouts
        given = (_given(read, default_read), _given(write, default_write),
                 _given(connect, default_connect), _given(pool, default_pool))  # fmt: skip
        read_s, _write_s, connect_s, pool_s = given
        return aiohttp.ClientTimeout(
            total=None if None in given else sum(t for t in given if t is not None),
            connect=None if connect_s is None or pool_s is None else connect_s + pool_s,
            sock_connect=connect_s,
            sock_read=read_s,
        )

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one request and return the status and body; transport failures become PTB's ``TimedOut``
        and ``NetworkError``. Parameters go as JSON, or as a multipart form when there are files."""
        options: dict[str, Any] = {"timeout": self._timeout(read_timeout, write_timeout, connect_timeout, pool_timeout)}
        if request_data is not None:
            files = request_data.multipart_data
            if files:
                form = aiohttp.FormData()
                for name, value in request_data.json_parameters.items():
                    form.add_field(name, value)
                for name, (filename, content, mimetype) in files.items():
                    form.add_field(name, content, filename=filename, content_type=mimetype)
                options["data"] = form
            else:
                options["data"] = json.dumps(request_data.parameters).encode()
                options["headers"] = {"Content-Type": "application/json"}
        try:
            async with self._open().request(method, url, **options) as response:
                return response.status, await response.read()
        except TimeoutError as exc:
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc}") from exc
