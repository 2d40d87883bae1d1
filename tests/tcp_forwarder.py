"""A TCP port that leads to another, opened when a test chooses: a database that comes up late."""

from __future__ import annotations

import asyncio
import contextlib


async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError):
        while data := await source.read(65536):
            sink.write(data)
            await sink.drain()
    sink.close()


async def forward(port: int, host: str, target: int) -> asyncio.Server:
    """Listen on 127.0.0.1:``port`` and pass every connection through to ``host``:``target``."""

    async def connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(host, target)
        with contextlib.suppress(asyncio.CancelledError):  # the forwarder closing with connections open
            await asyncio.gather(_pipe(reader, upstream_writer), _pipe(upstream_reader, writer))

    return await asyncio.start_server(connect, "127.0.0.1", port)
