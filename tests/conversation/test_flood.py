"""Flood control: a person sending dozens of messages a second gets a few answers and one notice in their
language; everyone else is answered as usual."""

from __future__ import annotations

from bot.app import build_app
from bot.config import Settings
from bot.conversation.flood import FLOODED, FloodControl
from bot.core.clock import FakeClock
from bot.core.detection import LanguageDetector
from bot.core.messages import Incoming, Reply
from bot.services.answers import Answerer
from tests.chat import Chat

NOTICE = (
    "You are sending messages faster than we can read them. Please wait a few seconds, then send one message at a time."
)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_the_bucket_lets_a_burst_through_then_one_a_second_with_one_notice_per_cooldown() -> None:
    clock, seen = Clock(), []

    async def handled(message: Incoming) -> list[Reply]:
        seen.append(message.event or message.text)
        return [Reply("ok")]

    gate = FloodControl(burst=3, rate=1.0, cooldown=30, clock=clock)
    for n in range(10):
        await gate(Incoming("test", "flooder", "flooder", text=f"m{n}"), None, handled)
    assert seen == ["m0", "m1", "m2", FLOODED], "three at once, then one notice; the rest are not handled"
    clock.now = 2.0
    for n in range(3):
        await gate(Incoming("test", "flooder", "flooder", text=f"later{n}"), None, handled)
    assert seen[4:] == ["later0", "later1"], "two seconds refilled two; the notice is not repeated"
    await gate(Incoming("test", "other", "other", text="hello"), None, handled)
    await gate(Incoming("test", "flooder", "flooder", event="blocked"), None, handled)
    assert seen[-2:] == ["hello", "blocked"], "others, and platform events, are never held back"


async def test_a_flooder_gets_a_few_answers_and_one_notice_in_their_language(
    settings: Settings, clock: FakeClock, detector: LanguageDetector, answerer: Answerer
) -> None:
    app = await build_app(settings.model_copy(update={"flood_burst": 8}), clock=clock, detector=detector,
                          answerer=answerer)  # fmt: skip
    french = app.catalogs.locale("fr").gettext(NOTICE)
    try:
        flooder = Chat(app.dispatcher, user_id="flooder", language_hint="fr")
        other = Chat(app.dispatcher, user_id="other", language_hint="en")
        texts = []
        for n in range(200):
            texts.append((await flooder.send("/help" if n % 2 else "/start")) and flooder.text)
            if n == 100:
                await other.send("/start")
                assert other.text.startswith("Hello"), other.text
        answered = [text for text in texts if text]
        assert 9 <= len(answered) <= 11, len(answered)
        assert [text for text in answered if text == french] == [french], "one notice, in French"
        assert french != NOTICE
    finally:
        await app.close()
