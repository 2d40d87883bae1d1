"""On a channel without buttons a typed number presses the button it names: also for messages the outbox
delivered, after a restart, and on another process (the shown buttons live in the database)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from bot.app import build_app
from bot.config import Settings
from bot.core.clock import FakeClock
from bot.core.detection import LanguageDetector
from bot.core.messages import Priority, Reply
from bot.core.numbered import pressed, with_numbered_buttons
from bot.db.models import Registration
from bot.scheduling.delivery import Delivery
from bot.services.answers import Answerer
from handlers.notices import NOTICES
from tests.chat import Chat
from tests.handlers.test_registration import fill_tour
from tests.scheduling.test_reminders import SON_TAY, hanoi

PLAIN = "plain"


class PlainChannel:
    """A channel without buttons: keeps the texts it would send, buttons as numbered lines."""

    name = PLAIN
    has_buttons = False

    def __init__(self) -> None:
        self.sent: list[tuple[str, list[str]]] = []

    async def start(self) -> None:
        """Nothing to receive."""

    async def stop(self) -> None:
        """Nothing to stop."""

    async def send(self, chat_id: str, replies: Sequence[Reply], *, priority: Priority = Priority.NOTICE) -> None:
        """Keep the texts."""
        self.sent.append((chat_id, with_numbered_buttons(replies)))


async def test_typing_1_after_a_restart_presses_the_first_button_of_a_delivered_reminder(
    settings: Settings, clock: FakeClock, detector: LanguageDetector, answerer: Answerer
) -> None:
    plain = frozenset({PLAIN})
    app = await build_app(settings, clock=clock, detector=detector, answerer=answerer, channels_without_buttons=plain)
    try:
        visitor = Chat(app.dispatcher, user_id="visitor", channel=PLAIN, language_hint="en")
        await fill_tour(visitor, SON_TAY, "Anna Schmidt")
        await visitor.send("/help")  # other buttons shown since; the reminder's replace them when it arrives
        channel = PlainChannel()
        clock.advance(hanoi(2027, 2, 19, 18) - clock.now())
        delivery = Delivery(app.sessions, app.catalogs, lambda: app.content, NOTICES, {PLAIN: channel}, clock)
        assert await delivery.send_due() == 1
        [(chat_id, [reminder])] = channel.sent
        assert chat_id == "visitor"
        assert "Still coming?" in reminder
        assert "\n1. ✅ Yes, I'm coming\n2. ✖ Cancel my place" in reminder
    finally:
        await app.close()

    restarted = await build_app(
        settings, clock=clock, detector=detector, answerer=answerer, channels_without_buttons=plain
    )
    try:
        visitor = Chat(restarted.dispatcher, user_id="visitor", channel=PLAIN, language_hint="en")
        [thanks] = await visitor.send("1")
        assert thanks.text.startswith("👍 Thank you! See you at")
        async with restarted.sessions() as session:
            registration = (await session.scalars(select(Registration))).one()
        assert registration.coming_confirmed_at == clock.now()

        assert "1. 📋 My registrations" in with_numbered_buttons([thanks])[0]
        await visitor.send("my registrations")  # a label, typed as a person would
        assert any("Sơn Tây" in button.label for button in visitor.buttons()), visitor.text
    finally:
        await restarted.close()


async def test_a_number_that_names_no_button_is_text_and_channels_with_buttons_never_map_numbers(
    settings: Settings, clock: FakeClock, detector: LanguageDetector, answerer: Answerer
) -> None:
    app = await build_app(
        settings, clock=clock, detector=detector, answerer=answerer, channels_without_buttons=frozenset({PLAIN})
    )
    try:
        plain = Chat(app.dispatcher, user_id="p", channel=PLAIN, language_hint="en")
        await plain.send("/start")
        shown = len(plain.buttons())
        assert await plain.send(str(shown + 1)), "an unknown number is answered as text"
        assert "Sorry" in plain.text or "did not understand" in plain.text or plain.buttons()
        with_buttons = Chat(app.dispatcher, user_id="b", channel="test", language_hint="en")
        await with_buttons.send("/start")
        events = await with_buttons.send("1")
        assert "Events" not in events[0].text.split("\n")[0], "on a platform with buttons, 1 is just text"
    finally:
        await app.close()


def test_a_digit_int_cannot_read_presses_nothing() -> None:
    shown = [("One", "one"), ("Two", "two"), ("Three", "three")]
    assert pressed("²", shown) is None, "a superscript two is a digit, not a number: it is text"
    assert pressed("٣", shown) == "three", "an Arabic-Indic three is a number"
