"""The aiohttp transport under python-telegram-bot: JSON bodies, uploads, errors and timeouts."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ExtBot

from bot.channels.telegram.client import make_bot
from bot.channels.telegram.transport import AiohttpRequest
from tests.fake_bot_api.server import FakeBotApi

MENU = InlineKeyboardMarkup([[InlineKeyboardButton("🎉 Events", callback_data="events:0")]])


@pytest.fixture
async def bot(fake: FakeBotApi, api_url: str) -> AsyncIterator[ExtBot[None]]:
    """A bot on the fake Bot API, initialised."""
    client = make_bot(fake.token, api_url)
    await client.initialize()
    yield client
    await client.shutdown()


async def test_parameters_arrive_whole_and_the_result_is_parsed(bot: ExtBot[None], fake: FakeBotApi) -> None:
    fake.enqueue({"message": {"message_id": 1, "date": 0, "chat": {"id": 42, "type": "private"},
                              "from": {"id": 42, "is_bot": False, "first_name": "A"}, "text": "hi"}})  # fmt: skip
    sent = await bot.send_message(42, "<b>Xin chào</b> 你好", parse_mode="HTML", reply_markup=MENU)
    assert sent.text == "Xin chào 你好"
    assert sent.reply_markup == MENU
    (call,) = fake.calls_of("sendMessage")
    assert call.params["reply_markup"] == {"inline_keyboard": [[{"text": "🎉 Events", "callback_data": "events:0"}]]}
    assert fake.violations == []


async def test_files_are_uploaded_as_a_form(bot: ExtBot[None], fake: FakeBotApi) -> None:
    fake.enqueue({"message": {"message_id": 1, "date": 0, "chat": {"id": 42, "type": "private"},
                              "from": {"id": 42, "is_bot": False, "first_name": "A"}, "text": "hi"}})  # fmt: skip
    content = bytes(range(256)) * 10
    await bot.send_document(42, InputFile(content, filename="ticket.ics"), caption="Vé", reply_markup=MENU)
    (call,) = fake.calls_of("sendDocument")
    assert call.files == {"document": content}
    assert call.params["caption"] == "Vé"
    assert call.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "events:0"


@pytest.mark.parametrize(
    ("status", "error"), [(400, BadRequest), (403, Forbidden), (429, RetryAfter)], ids=["400", "403", "429"]
)
async def test_error_answers_become_the_librarys_errors(
    bot: ExtBot[None], fake: FakeBotApi, status: int, error: type[Exception]
) -> None:
    fake.fail("getMe", status=status, retry_after=3)
    with pytest.raises(error):
        await bot.get_me()


async def test_an_unreachable_api_is_a_network_error() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = AiohttpRequest(connect_timeout=2)
    await request.initialize()
    try:
        with pytest.raises(NetworkError):
            await request.post(f"http://127.0.0.1:{port}/bot1:x/getMe")
    finally:
        await request.shutdown()


async def test_an_api_that_does_not_answer_times_out() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(65536)
        await asyncio.sleep(10)
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    request = AiohttpRequest(read_timeout=0.2)
    await request.initialize()
    try:
        with pytest.raises(TimedOut):
            await request.post(f"http://127.0.0.1:{port}/bot1:x/getMe")
    finally:
        await request.shutdown()
        server.close()


async def test_parameters_are_sent_as_json_with_the_librarys_user_agent() -> None:
    seen: list[tuple[bytes, bytes]] = []
    me = {"id": 1, "is_bot": True, "first_name": "Bot", "username": "bot"}

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while not reader.at_eof():
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError:  # the client closed the connection
                return
            fields = dict(line.lower().split(b": ", 1) for line in head.split(b"\r\n")[1:] if line)
            body = await reader.readexactly(int(fields[b"content-length"]))
            seen.append((head, body))
            result = json.dumps({"ok": True, "result": me if b"/getMe " in head else True}).encode()
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(result)
            )
            writer.write(result)
            await writer.drain()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    bot = ExtBot("1:x", base_url=f"http://127.0.0.1:{port}/bot", request=AiohttpRequest())
    await bot.initialize()
    try:
        result = await bot.do_api_request("setSomething", api_kwargs={"chat_id": 7, "options": {"a": [1, "ư"]}})
    finally:
        await bot.shutdown()
        server.close()
    assert result is True
    head, body = seen[-1]
    assert head.startswith(b"POST /bot1:x/setSomething ")
    assert b"content-type: application/json" in head.lower()
    assert b"python-telegram-bot" in head
    assert json.loads(body) == {"chat_id": 7, "options": {"a": [1, "ư"]}}
