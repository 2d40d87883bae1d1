"""Tests of the fake Bot API: the spec oracle, the server driven by a real python-telegram-bot, and the fixtures."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import threading
import time
import warnings
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from telegram import Bot as TelegramBot
from telegram import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    InputMediaPhoto,
    Update,
)
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.ext import Application, CommandHandler, ContextTypes

from tests.fake_bot_api import updates
from tests.fake_bot_api.entities import EntityParseError
from tests.fake_bot_api.server import FakeBotApi
from tests.fake_bot_api.spec import BotApiSpec
from tests.fake_bot_api.telegram_html import parse_html
from tests.fake_bot_api.telegram_markdown import parse_markdown_v2

USER = 584736291
KEYBOARD = {
    "inline_keyboard": [[{"text": "English", "callback_data": "lang:en"}, {"text": "Web", "url": "https://haufo.vn"}]]
}


@pytest.fixture(scope="module")
def spec() -> BotApiSpec:
    """The bundled api.json."""
    return BotApiSpec.load()


@pytest.fixture
def base_url(api_url: str) -> str:
    """The fake (the shared ``fake`` fixture), served."""
    return api_url


@pytest.fixture
async def bot(fake: FakeBotApi, base_url: str) -> AsyncIterator[TelegramBot]:
    """A real python-telegram-bot Bot talking to the fake."""
    client = TelegramBot(fake.token, base_url=f"{base_url}/bot", base_file_url=f"{base_url}/file/bot")
    await client.initialize()
    yield client
    await client.shutdown()


def message(**params: Any) -> dict[str, Any]:
    """sendMessage parameters to a private chat."""
    return {"chat_id": USER, "text": "Hello", **params}


def button(**fields: Any) -> dict[str, Any]:
    """sendMessage parameters with one inline button."""
    return message(reply_markup={"inline_keyboard": [[{"text": "Go", **fields}]]})


# The spec: violations


def quiz(**changes: Any) -> dict[str, Any]:
    """A valid non-anonymous, timed quiz poll, with ``changes`` (None removes a field)."""
    params = {"chat_id": USER, "question": "Which two kings were born in Đường Lâm?", "type": "quiz",
              "options": [{"text": "Phùng Hưng and Ngô Quyền"}, {"text": "Lý Thái Tổ and Minh Mạng"}],
              "is_anonymous": False, "correct_option_ids": [0], "explanation": "Both were born there.",
              "open_period": 30}  # fmt: skip
    params.update(changes)
    return {key: value for key, value in params.items() if value is not None}


@pytest.mark.parametrize(
    ("method", "params", "files", "expected"),
    [
        ("sendMesage", message(), (), "unknown method 'sendMesage'"),
        ("sendMessage", message(colour="red"), (), "unknown parameter 'colour'"),
        ("sendMessage", {"chat_id": USER}, (), "missing required parameter 'text'"),
        ("sendMessage", message(chat_id=True), (), "chat_id: expected Integer or String, got Boolean"),
        ("sendMessage", message(text=42), (), "text: expected String, got Integer"),
        ("sendMessage", message(disable_notification="yes"), (), "expected Boolean"),
        ("sendMessage", message(chat_id="general"), (), "chat not found"),
        ("sendMessage", button(callback_data=7), (), "inline_keyboard[0][0].callback_data: expected String"),
        ("sendMessage", message(reply_markup={"inline_keyboard": [{"text": "x"}]}), (), "expected Array of"),
        ("sendMessage", message(reply_markup={"inline_keyboard": [[{"callback_data": "x"}]]}), (), "'text'"),
        ("sendMessage", message(reply_markup={"keyboard": [[{"text": "x", "url": "https://a.b"}]]}), (), "url"),
        ("sendMessage", message(text="x" * 4097), (), "message is too long (4097 characters"),
        ("sendMessage", message(text=" \n "), (), "message text is empty"),
        ("sendMessage", message(text="<b> </b>", parse_mode="HTML"), (), "message text is empty"),
        ("sendMessage", message(parse_mode="HTMl5"), (), "unsupported parse_mode"),
        ("sendMessage", button(callback_data="x" * 65), (), "BUTTON_DATA_INVALID"),
        ("sendMessage", button(callback_data="ệ" * 22), (), "got 66"),
        ("sendMessage", button(callback_data=""), (), "BUTTON_DATA_INVALID"),
        ("sendMessage", button(callback_data="a", url="https://haufo.vn"), (), "exactly one action"),
        ("sendMessage", button(), (), "found none"),
        ("sendMessage", button(url="haufo.vn"), (), "URL 'haufo.vn' is invalid"),
        ("sendMessage", message(text="<b>bold", parse_mode="HTML"), (), 'end tag corresponding to start tag "b"'),
        ("sendMessage", message(text="<b><i>x</b></i>", parse_mode="HTML"), (), 'expected "</i>", found "</b>"'),
        ("sendMessage", message(text="x</b>", parse_mode="HTML"), (), "Unexpected end tag at byte offset 1"),
        ("sendMessage", message(text="<h1>Hi</h1>", parse_mode="HTML"), (), 'Unsupported start tag "h1"'),
        ("sendMessage", message(text="<br/>", parse_mode="HTML"), (), 'Unsupported start tag "br/"'),
        ("sendMessage", message(text="<span>x</span>", parse_mode="HTML"), (), 'must have class "tg-spoiler"'),
        ("sendMessage", message(text="1 < 2", parse_mode="HTML"), (), 'Unsupported start tag ""'),
        ("sendMessage", message(text="Tôi <3 Hà Nội", parse_mode="HTML"), (), "at byte offset 5"),
        ("sendMessage", message(text="Q&A", parse_mode="HTML"), (), 'Character "&" must be escaped'),
        ("sendMessage", message(text="&nbsp;", parse_mode="HTML"), (), 'Character "&" must be escaped'),
        ("sendMessage", message(text="<a href='x'>x", parse_mode="HTML"), (), 'start tag "a"'),
        ("sendMessage", message(text="Giá: 1.000 đ", parse_mode="MarkdownV2"), (), "Character '.' is reserved"),
        ("sendMessage", message(text="*bold", parse_mode="MarkdownV2"), (), "Can't find end of Bold entity"),
        ("sendPhoto", {"chat_id": USER, "photo": "AgAC", "caption": "c" * 1025}, (), "caption is too long"),
        ("sendDocument", {"chat_id": USER}, (), "missing required parameter 'document'"),
        ("sendMessage", {"chat_id": USER}, ("text",), "a file was uploaded"),
        ("sendMediaGroup", {"chat_id": USER, "media": [{"type": "photo", "media": "attach://p"}]}, (), "attach://p"),
        ("answerCallbackQuery", {"callback_query_id": "1", "text": "t" * 201}, (), "MESSAGE_TOO_LONG"),
        ("setMyCommands", {"commands": [{"command": "start", "description": "Go"}], "language_code": "eng"}, (), "eng"),
        ("setMyCommands", {"commands": [{"command": "start", "description": "Go"}], "language_code": "EN"}, (), "EN"),
        ("deleteMyCommands", {"language_code": "vi-VN"}, (), "invalid language code"),
        ("setMyCommands", {"commands": [{"command": "Start", "description": "Go"}]}, (), "BOT_COMMAND_INVALID"),
        ("setMyCommands", {"commands": [{"command": "x" * 33, "description": "Go"}]}, (), "BOT_COMMAND_INVALID"),
        ("setMyCommands", {"commands": [{"command": "start", "description": ""}]}, (), "DESCRIPTION_INVALID"),
        (
            "setMyCommands",
            {"commands": [{"command": f"c{i}", "description": "d"} for i in range(101)]},
            (),
            "at most 100",
        ),
        ("setMyCommands", {"commands": [], "scope": {"type": "chat"}}, (), "lacks required field 'chat_id'"),
        ("setMyCommands", {"commands": [], "scope": {"type": "everyone"}}, (), "expected BotCommandScope"),
        ("setChatMenuButton", {"menu_button": {"type": "web_app", "text": "Open"}}, (), "'web_app'"),
        ("sendPoll", quiz(question="q" * 301), (), "POLL_QUESTION_INVALID"),
        ("sendPoll", quiz(options=[{"text": "o" * 101}, {"text": "b"}]), (), "POLL_OPTION_INVALID"),
        ("sendPoll", quiz(options=[{"text": str(i)} for i in range(13)]), (), "POLL_ANSWERS_INVALID"),
        ("sendPoll", quiz(explanation="e" * 201), (), "at most 2 line feeds"),
        ("sendPoll", quiz(explanation="a\nb\nc\nd"), (), "at most 2 line feeds"),
        ("sendPoll", quiz(open_period=4), (), "open_period"),
        ("sendPoll", quiz(correct_option_ids=None), (), "required for polls in quiz mode"),
        ("sendPoll", quiz(correct_option_ids=[2]), (), "must increase and name options"),
        ("sendPoll", quiz(correct_option_id=0), (), "correct_option_id"),
    ],
)
def test_spec_rejects(
    spec: BotApiSpec, method: str, params: dict[str, Any], files: tuple[str, ...], expected: str
) -> None:
    violations = spec.validate(method, params, set(files))
    assert any(expected in v for v in violations), violations


@pytest.mark.parametrize(
    ("method", "params", "files"),
    [
        ("sendMessage", message(reply_markup=KEYBOARD), ()),
        ("sendmessage", message(chat_id="@haufo_news", disable_notification=True), ()),
        ("sendMessage", message(text="x" * 4096), ()),
        ("sendMessage", message(text="<b>" + "x" * 4096 + "</b>", parse_mode="HTML"), ()),
        ("sendMessage", message(text="💐" * 4096), ()),
        (
            "sendMessage",
            message(
                parse_mode="HTML",
                text=(
                    "<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>i</ins><s>s</s><strike>s</strike>"
                    '<del>d</del><span class="tg-spoiler">s</span><tg-spoiler>s</tg-spoiler>'
                    '<a href="https://haufo.vn/?a=1&amp;b=2">link</a>'
                    '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>'
                    '<code>c</code><pre>p</pre><pre><code class="language-python">x = 1</code></pre>'
                    "<blockquote>q</blockquote><blockquote expandable>q</blockquote>"
                    "<B>upper</B> &lt;&gt;&amp;&quot; &#39; &#x1F600; > plain"
                ),
            ),
            (),
        ),
        (
            "sendMessage",
            message(text="*b* _i_ __u__ ~s~ ||sp|| `c` [l](https://a.b/c\\)) 1\\.5", parse_mode="MarkdownV2"),
            (),
        ),
        ("sendMessage", message(text="*bold* _it_ `code` [l](https://a.b) 1.5 (x)", parse_mode="Markdown"), ()),
        ("editMessageText", {"chat_id": USER, "message_id": 5, "text": "New", "reply_markup": KEYBOARD}, ()),
        ("editMessageText", {"inline_message_id": "AgAAA", "text": "New"}, ()),
        (
            "sendVenue",
            {"chat_id": USER, "latitude": 21.0277, "longitude": 105, "title": "Văn Miếu", "address": "58 QTG"},
            (),
        ),
        ("sendDocument", {"chat_id": USER, "caption": "<i>Program</i>", "parse_mode": "HTML"}, ("document",)),
        ("sendDocument", {"chat_id": USER, "document": "https://haufo.vn/program.pdf"}, ()),
        ("sendMediaGroup", {"chat_id": USER, "media": [{"type": "photo", "media": "attach://p"}]}, ("p",)),
        ("answerCallbackQuery", {"callback_query_id": "1", "text": "t" * 200, "show_alert": True}, ()),
        ("setMyCommands", {"commands": [{"command": "start", "description": "Bắt đầu"}], "language_code": "vi"}, ()),
        ("setMyCommands", {"commands": [], "scope": {"type": "chat_member", "chat_id": "@haufo", "user_id": 1}}, ()),
        ("setMyCommands", {"commands": [{"command": f"c{i}", "description": "d"} for i in range(100)]}, ()),
        ("deleteMyCommands", {"language_code": ""}, ()),
        ("setChatMenuButton", {"chat_id": USER, "menu_button": {"type": "commands"}}, ()),
        ("sendChatAction", {"chat_id": USER, "action": "typing"}, ()),
        ("getUpdates", {"offset": -1, "limit": 100, "timeout": 30, "allowed_updates": ["message"]}, ()),
        ("getMe", {}, ()),
        ("sendPoll", quiz(), ()),
    ],
)
def test_spec_accepts(spec: BotApiSpec, method: str, params: dict[str, Any], files: tuple[str, ...]) -> None:
    assert spec.validate(method, params, set(files)) == []


def test_decode_form_values_by_type(spec: BotApiSpec) -> None:
    form = {
        "chat_id": "-1001876543210",
        "text": "[1, 2]",
        "disable_notification": "true",
        "reply_markup": json.dumps(KEYBOARD),
        "message_thread_id": "7",
    }
    params, errors = spec.decode("sendMessage", form)
    assert errors == []
    assert params == {
        "chat_id": -1001876543210,
        "text": "[1, 2]",
        "disable_notification": True,
        "reply_markup": KEYBOARD,
        "message_thread_id": 7,
    }
    assert spec.decode("sendMessage", {"chat_id": "@haufo_news"})[0] == {"chat_id": "@haufo_news"}
    assert spec.decode("sendVenue", {"latitude": "21.03", "longitude": "105"})[0] == {
        "latitude": 21.03,
        "longitude": 105.0,
    }
    _, errors = spec.decode(
        "sendMessage", {"reply_markup": "{not json", "message_thread_id": "7.5", "protect_content": "1"}
    )
    assert len(errors) == 3, errors


def test_html_parse_result_uses_utf16_offsets() -> None:
    parsed = parse_html('😀 <b>Xin chào</b> <a href="https://haufo.vn">HAUFO</a> &lt;3')
    assert parsed.text == "😀 Xin chào HAUFO <3"
    assert parsed.entities == (
        {"type": "bold", "offset": 3, "length": 8},
        {"type": "text_link", "offset": 12, "length": 5, "url": "https://haufo.vn"},
    )
    pre = parse_html('<pre><code class="language-python">x = 1</code></pre>')
    assert pre.entities == ({"type": "pre", "offset": 0, "length": 5, "language": "python"},)
    with pytest.raises(EntityParseError, match="byte offset 4"):
        parse_html("Hà <x>")


def test_markdown_v2_parse_result() -> None:
    parsed = parse_markdown_v2("*Hà Nội* \\- [site](https://haufo.vn)")
    assert parsed.text == "Hà Nội - site"
    assert [e["type"] for e in parsed.entities] == ["bold", "text_link"]


# The server, driven by a real python-telegram-bot


async def test_get_me(bot: TelegramBot, fake: FakeBotApi) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.can_join_groups, me.supports_inline_queries) == (
        7000000001,
        "haufo_test_bot",
        True,
        False,
    )
    assert fake.calls[0].method == "getMe"


async def test_send_message_with_html_and_keyboard(bot: TelegramBot, fake: FakeBotApi) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Tiếng Việt", callback_data="lang:vi")]])
    sent = await bot.send_message(USER, "<b>Xin chào</b> &amp; welcome", parse_mode="HTML", reply_markup=markup)
    again = await bot.send_message(USER, "Second")
    assert sent.text == "Xin chào & welcome"
    assert sent.entities[0].type == "bold"
    assert sent.reply_markup == markup
    assert sent.chat.type == "private"
    assert sent.from_user is not None and sent.from_user.id == 7000000001
    assert again.message_id == sent.message_id + 1
    call = fake.calls_of("sendMessage")[0]
    assert call.params["text"] == "<b>Xin chào</b> &amp; welcome"
    assert call.params["reply_markup"] == {"inline_keyboard": [[{"text": "Tiếng Việt", "callback_data": "lang:vi"}]]}
    assert [m["text"] for m in fake.messages_in(USER)] == ["Xin chào & welcome", "Second"]
    assert fake.violations == []


async def test_invalid_call_is_a_bad_request_and_a_violation(bot: TelegramBot, fake: FakeBotApi) -> None:
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(USER, "Q&A <3", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(
            USER, "x", reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="x" * 65)]])
        )
    assert [method for method, _ in fake.violations] == ["sendMessage", "sendMessage"]
    assert len(fake.calls) == 3  # getMe and both refused calls


async def test_group_chat_and_edit(bot: TelegramBot, fake: FakeBotApi) -> None:
    sent = await bot.send_message(-1001876543210, "Hello group")
    assert sent.chat.type == "supergroup"
    edited = await bot.edit_message_text("Hello again", chat_id=-1001876543210, message_id=sent.message_id)
    assert isinstance(edited, type(sent))
    assert (edited.text, edited.message_id) == ("Hello again", sent.message_id)
    assert edited.edit_date is not None
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("Hello again", chat_id=-1001876543210, message_id=sent.message_id)


async def test_chat_learned_from_updates(bot: TelegramBot, fake: FakeBotApi) -> None:
    fake.enqueue(updates.text_message(USER, "hi"))
    sent = await bot.send_message(USER, "Hello")
    assert sent.chat.first_name == "Anna"


async def test_send_venue_document_and_download(bot: TelegramBot, fake: FakeBotApi) -> None:
    venue = await bot.send_venue(USER, 21.0277, 105.8355, "Văn Miếu", "58 Quốc Tử Giám, Hà Nội")
    assert venue.venue is not None and venue.venue.title == "Văn Miếu"
    assert venue.location is not None and venue.location.latitude == pytest.approx(21.0277)
    document = await bot.send_document(USER, InputFile(b"%PDF-1.7 program", filename="program.pdf"), caption="Program")
    assert document.document is not None and document.document.file_name == "program.pdf"
    assert document.caption == "Program"
    assert fake.calls_of("sendDocument")[0].files == {"document": b"%PDF-1.7 program"}
    file = await bot.get_file(document.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"%PDF-1.7 program"
    location = await bot.send_location(USER, 21.0, 105.8)
    assert location.location is not None
    album = await bot.send_media_group(
        USER, [InputMediaPhoto(b"\x89PNG one", caption="<b>1</b>", parse_mode="HTML"), InputMediaPhoto(b"\x89PNG two")]
    )
    assert [m.caption for m in album] == ["1", None]
    assert len({m.media_group_id for m in album}) == 1
    assert sorted(fake.calls_of("sendMediaGroup")[0].files.values()) == [b"\x89PNG one", b"\x89PNG two"]
    assert fake.violations == []


async def test_answer_callback_query_and_commands(bot: TelegramBot, fake: FakeBotApi) -> None:
    assert await bot.answer_callback_query("2511276873291748853", text="Đã chọn tiếng Việt") is True
    commands = [BotCommand("start", "Bắt đầu"), BotCommand("help", "Trợ giúp")]
    assert await bot.set_my_commands(commands, language_code="vi") is True
    assert await bot.set_my_commands([BotCommand("start", "Start")], scope=BotCommandScopeChat(USER)) is True
    assert await bot.get_my_commands(language_code="vi") == tuple(commands)
    assert await bot.get_my_commands() == ()
    assert fake.commands({"type": "chat", "chat_id": USER}) == [{"command": "start", "description": "Start"}]
    assert await bot.delete_my_commands(language_code="vi") is True
    assert fake.commands(language_code="vi") == []
    with pytest.raises(BadRequest, match=r"(?i)invalid language code"):
        await bot.set_my_commands(commands, language_code="vie")


async def test_get_updates_confirms_by_offset(bot: TelegramBot, fake: FakeBotApi) -> None:
    first = fake.enqueue(updates.text_message(USER, "one"))
    second = fake.enqueue(updates.command(USER, "/start"))
    assert second == first + 1
    received = await bot.get_updates()
    assert [u.update_id for u in received] == [first, second]
    assert received[1].message is not None and received[1].message.text == "/start"
    assert [u.update_id for u in await bot.get_updates(offset=second)] == [second]
    assert [u["update_id"] for u in fake.pending()] == [second]
    assert await bot.get_updates(offset=second + 1) == ()
    assert fake.pending() == []
    fake.enqueue(updates.text_message(USER, "three"))
    fake.enqueue(updates.text_message(USER, "four"))
    assert len(await bot.get_updates(offset=second + 1, limit=1)) == 1


async def test_long_poll_returns_early_when_an_update_arrives(bot: TelegramBot, fake: FakeBotApi) -> None:
    threading.Timer(0.3, lambda: fake.enqueue(updates.text_message(USER, "late"))).start()
    started = time.monotonic()
    received = await bot.get_updates(timeout=5, read_timeout=10)
    assert 0.2 < time.monotonic() - started < 3
    assert [u.message.text for u in received if u.message] == ["late"]


async def test_long_poll_times_out_empty(bot: TelegramBot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1, read_timeout=5) == ()
    assert time.monotonic() - started >= 0.9


async def test_allowed_updates_filter(bot: TelegramBot, fake: FakeBotApi) -> None:
    fake.enqueue(updates.text_message(USER, "a message"))
    wanted = fake.enqueue(updates.callback(USER, "lang:vi"))
    received = await bot.get_updates(allowed_updates=["callback_query"])
    assert [u.update_id for u in received] == [wanted]
    assert received[0].callback_query is not None and received[0].callback_query.data == "lang:vi"


async def test_get_updates_conflicts_with_webhook(bot: TelegramBot, fake: FakeBotApi) -> None:
    fake.enqueue(updates.text_message(USER, "queued"))
    assert await bot.set_webhook("https://bot.haufo.vn/telegram") is True
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count) == ("https://bot.haufo.vn/telegram", 1)
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    assert await bot.delete_webhook(drop_pending_updates=True) is True
    assert await bot.get_updates() == ()


async def test_rate_limit_injection(bot: TelegramBot, fake: FakeBotApi) -> None:
    fake.fail("sendMessage", status=429, retry_after=2, times=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # python-telegram-bot 22.x warns about the type of retry_after itself
        with pytest.raises(RetryAfter) as raised:
            await bot.send_message(USER, "Hello")
    assert "Retry in 2 seconds" in str(raised.value)
    assert fake.calls_of("sendMessage")[0].params["text"] == "Hello"
    assert (await bot.send_message(USER, "Hello")).text == "Hello"
    assert fake.violations == []


async def test_server_error_injection(bot: TelegramBot, fake: FakeBotApi) -> None:
    fake.fail("sendmessage", status=502, times=2)
    for _ in range(2):
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.send_message(USER, "Hello")
    assert (await bot.send_message(USER, "Hello")).text == "Hello"


async def test_blocked_chat(bot: TelegramBot, fake: FakeBotApi) -> None:
    fake.block(USER)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(USER, "Hello")
    assert (await bot.send_message(USER + 1, "Hello")).chat.id == USER + 1
    fake.unblock(USER)
    assert (await bot.send_message(USER, "Hello")).chat.id == USER


async def test_flood_limit_answers_429_beyond_the_rate(bot: TelegramBot, fake: FakeBotApi) -> None:
    fake.limit(3)
    for _ in range(3):
        await bot.send_message(USER, "Hello")
    with pytest.raises(RetryAfter) as refused:
        await bot.send_message(USER, "Hello")
    assert refused.value.retry_after in (1, dt.timedelta(seconds=1))
    assert fake.too_many == 1
    await bot.get_me()  # other methods are not limited
    fake.limit(None)
    await bot.send_message(USER, "Hello")


async def test_wrong_token(fake: FakeBotApi, base_url: str) -> None:
    stranger = TelegramBot("123:wrong", base_url=f"{base_url}/bot")
    with pytest.raises(InvalidToken):
        await stranger.get_me()


def test_raw_http_clients(fake: FakeBotApi, base_url: str) -> None:
    with httpx.Client(base_url=f"{base_url}/bot{fake.token}") as client:
        unknown = client.post("/sendMesage", json=message())
        assert (unknown.status_code, unknown.json()) == (
            404,
            {"ok": False, "error_code": 404, "description": "Not Found"},
        )
        unauthorized = httpx.get(f"{base_url}/bot1:nope/getMe")
        assert unauthorized.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
        sent = client.post("/SENDMESSAGE", json={**message(), "reply_markup": KEYBOARD})
        assert sent.json()["result"]["reply_markup"] == KEYBOARD
        stringly = {**message(chat_id=str(USER)), "reply_markup": json.dumps(KEYBOARD)}
        as_strings = client.post("/sendMessage", json=stringly)
        assert as_strings.json()["result"]["chat"]["id"] == USER  # Telegram reads JSON strings like form values
        queried = client.get("/sendMessage", params={"chat_id": USER, "text": "via query"})
        assert queried.json()["result"]["text"] == "via query"
        bad = client.post("/sendMessage", json={"chat_id": "1", "text": 5})
        assert bad.status_code == 400
        assert bad.json()["description"].startswith("Bad Request: text: expected String")
        bad_form = client.post("/sendMessage", data={"chat_id": "abc1", "text": "x", "reply_markup": "{"})
        assert bad_form.status_code == 400
        assert client.post("/sendChatAction", data={"chat_id": USER, "action": "typing"}).json() == {
            "ok": True,
            "result": True,
        }
    assert [c.method for c in fake.calls][:3] == ["sendMesage", "getMe", "sendMessage"]
    assert ("sendMesage", "unknown method 'sendMesage'") in fake.violations


def test_wait_until(fake: FakeBotApi, base_url: str) -> None:
    threading.Timer(0.1, lambda: httpx.post(f"{base_url}/bot{fake.token}/sendMessage", json=message())).start()
    calls = fake.wait_until(lambda: fake.calls_of("sendMessage"), timeout=5)
    assert calls[0].params["text"] == "Hello"
    with pytest.raises(AssertionError, match=r"(?s)not met within 0.05s: no reply.*last calls:.*sendMessage"):
        fake.wait_until(lambda: fake.calls_of("editMessageText"), timeout=0.05, message="no reply")


async def test_application_polling_end_to_end(fake: FakeBotApi, base_url: str) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_html(f"<b>Welcome</b>, args={context.args}")

    application = Application.builder().token(fake.token).base_url(f"{base_url}/bot").build()
    application.add_handler(CommandHandler("start", start))
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(timeout=1, poll_interval=0)
        fake.enqueue(updates.command(USER, "/start tour-spring-2027-co-loa", "vi"))
        calls = await fake.wait_for(lambda: fake.calls_of("sendMessage"), timeout=10)
        await application.updater.stop()
        await application.stop()
    assert calls[0].params["text"] == "<b>Welcome</b>, args=['tour-spring-2027-co-loa']"
    assert fake.violations == []
    assert fake.pending() == []


# Fixtures and update builders


@pytest.mark.parametrize("name", [n for n in updates.fixture_names() if n != "unparseable"])
def test_fixture_parses_and_matches_the_spec(name: str, spec: BotApiSpec) -> None:
    data = updates.fixture(name)
    parsed = Update.de_json(data, TelegramBot("1:x"))
    assert parsed is not None and parsed.update_id == data["update_id"]
    assert spec.check("Update", data, "update") == []
    sender = parsed.effective_user
    assert sender is not None and sender.language_code


def test_unparseable_fixture_raises() -> None:
    with pytest.raises(TypeError):
        Update.de_json(updates.fixture("unparseable"), TelegramBot("1:x"))


def test_fixture_set_is_complete() -> None:
    assert len(updates.fixture_names()) == 19


def test_builders_replace_ids_and_recompute_entities(spec: BotApiSpec) -> None:
    built = updates.command(42, "/start tour-spring-2027-co-loa", "fr", message_id=7)
    msg = built["message"]
    assert (msg["from"]["id"], msg["chat"]["id"], msg["from"]["language_code"], msg["message_id"]) == (42, 42, "fr", 7)
    assert msg["entities"] == [{"offset": 0, "length": 6, "type": "bot_command"}]
    group = updates.group_message(43, "🎉 hi @haufo_test_bot /help@haufo_test_bot")
    assert group["message"]["chat"]["id"] == updates.GROUP_CHAT_ID
    assert group["message"]["entities"] == [
        {"offset": 6, "length": 15, "type": "mention"},
        {"offset": 22, "length": 20, "type": "bot_command"},
    ]
    assert "entities" not in updates.text_message(42, "just text")["message"]
    press = updates.callback(44, "lang:en", message_id=99, language_code="ru")
    query = press["callback_query"]
    assert (query["from"]["id"], query["message"]["chat"]["id"], query["message"]["message_id"]) == (44, 44, 99)
    assert query["message"]["from"]["id"] == 7000000001
    assert updates.chat_member(45, "member")["my_chat_member"]["new_chat_member"]["status"] == "member"
    contact = updates.from_user("contact", 46)["message"]["contact"]
    assert contact["user_id"] == 46
    for update in (built, group, press, updates.edited_message(42, "fixed", 7), updates.from_user("voice", 47)):
        assert spec.check("Update", update, "update") == []
    assert updates.fixture("private_text") == updates.fixture("private_text.json")


async def test_usable_from_async_code_in_the_same_loop(fake: FakeBotApi, base_url: str) -> None:
    async with httpx.AsyncClient() as client:
        poll = asyncio.create_task(client.get(f"{base_url}/bot{fake.token}/getUpdates", params={"timeout": 5}))
        await asyncio.sleep(0.2)
        fake.enqueue(updates.text_message(USER, "hello"))
        response = await asyncio.wait_for(poll, 5)
    assert [u["message"]["text"] for u in response.json()["result"]] == ["hello"]
