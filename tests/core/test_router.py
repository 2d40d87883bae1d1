"""Routing by button prefix, command, dialog state and free text, and the dialog state's persistence."""

from __future__ import annotations

import pytest

from bot.app import build_app
from bot.config import Settings
from bot.conversation import Context
from bot.core.clock import FakeClock
from bot.core.detection import LanguageDetector
from bot.core.messages import Incoming, Reply
from bot.core.router import Router, Routes
from bot.services.answers import Answerer


async def _reply(text: str) -> list[Reply]:
    return [Reply(text)]


def _routes() -> Routes:
    router = Router(name="probe")

    @router.command("ask")
    async def ask(message: Incoming, ctx: Context) -> list[Reply]:
        ctx.dialog.enter("probe:name", started=True)
        return await _reply("What is your name?")

    @router.state("probe:name")
    async def name(message: Incoming, ctx: Context) -> list[Reply]:
        ctx.dialog.clear()
        return await _reply(f"Nice to meet you, {message.text}")

    @router.button("hello")
    async def hello(message: Incoming, ctx: Context) -> list[Reply]:
        return await _reply(f"hello {message.args}")

    @router.text(lambda m: bool(m.text and m.text.endswith("?")))
    async def question(message: Incoming, ctx: Context) -> list[Reply]:
        return await _reply("a question")

    fallback = Router(name="fallback")

    @fallback.fallback
    async def other(message: Incoming, ctx: Context) -> list[Reply]:
        return await _reply("fallback")

    return Routes([router, fallback])


def test_resolution_order() -> None:
    routes = _routes()

    def name_of(message: Incoming, state: str | None = None) -> str:
        handler = routes.resolve(message, state)
        assert handler is not None
        return handler.__name__

    assert name_of(Incoming("t", "1", "1", payload="hello:a:b")) == "hello"
    assert name_of(Incoming("t", "1", "1", payload="unknown:1")) == "other"
    assert name_of(Incoming("t", "1", "1", text="/ask")) == "ask"
    assert name_of(Incoming("t", "1", "1", text="/ask"), "probe:name") == "ask"
    assert name_of(Incoming("t", "1", "1", text="Lan"), "probe:name") == "name"
    assert name_of(Incoming("t", "1", "1", text="Lan?")) == "question"
    assert name_of(Incoming("t", "1", "1", text="Lan")) == "other"
    assert name_of(Incoming("t", "1", "1", text=None)) == "other"


def test_the_same_route_twice_is_refused() -> None:
    first, second = Router(name="a"), Router(name="b")
    first.button("x")(lambda m, c: _reply(""))  # type: ignore[arg-type, return-value]
    second.button("x")(lambda m, c: _reply(""))  # type: ignore[arg-type, return-value]
    with pytest.raises(ValueError, match="routed by 'a' and 'b'"):
        Routes([first, second])


async def test_dialog_state_survives_a_restart(
    settings: Settings, clock: FakeClock, detector: LanguageDetector, answerer: Answerer
) -> None:
    first = await build_app(settings, clock=clock, detector=detector, answerer=answerer)
    first.dispatcher.routes = _routes()
    replies = await first.dispatcher.handle(Incoming("test", "7", "7", text="/ask"))
    assert replies[0].text == "What is your name?"
    await first.close()

    second = await build_app(settings, clock=clock, detector=detector, answerer=answerer)
    second.dispatcher.routes = _routes()
    replies = await second.dispatcher.handle(Incoming("test", "7", "7", text="Lan"))
    assert replies[0].text == "Nice to meet you, Lan"
    replies = await second.dispatcher.handle(Incoming("test", "7", "7", text="Lan"))
    assert replies[0].text == "fallback"
    await second.close()
