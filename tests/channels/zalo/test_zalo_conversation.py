"""A whole registration over Zalo: numbered choices typed as numbers, the ticket as a photo by URL from the
bot's web server, and the day-before reminder in the language the user chose."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from pathlib import Path

from sqlalchemy import select

from bot.app import App, build_app
from bot.channels.zalo.channel import ZaloChannel
from bot.channels.zalo.client import ZaloClient
from bot.config import Settings
from bot.core.clock import FakeClock
from bot.core.detection import LanguageDetector
from bot.db.models import OutboxMessage, Registration
from bot.runtime import repeats
from bot.scheduling.delivery import Delivery
from bot.services.answers import Answerer
from handlers.notices import NOTICES
from tests.chat import Chat
from tests.fake_bot_api.runner import running
from tests.fake_zalo_api import updates
from tests.fake_zalo_api.server import FakeZaloApi
from tests.handlers.test_registration import fill_tour

USER = "7012345678901234567"
CHOICE = re.compile(r"^(\d+)\. (.+)$", re.MULTILINE)


class ZaloUser:
    """A person typing into Zalo, reading what the fake received for them."""

    def __init__(self, zalo: FakeZaloApi) -> None:
        self.zalo = zalo
        self.seen = 0

    async def write(self, text: str) -> list[str]:
        """Send ``text``; the messages that answer it."""
        self.zalo.enqueue(updates.text(USER, text))
        await asyncio.to_thread(self.zalo.wait_until, lambda: len(self.zalo.texts_to(USER)) > self.seen, 20)
        await asyncio.sleep(0.3)  # an answer of several messages
        texts = self.zalo.texts_to(USER)[self.seen :]
        self.seen += len(texts)
        return texts

    async def choose(self, label: str, answer: list[str]) -> list[str]:
        """Type the number of the choice whose label contains ``label``."""
        choices = {text: number for number, text in CHOICE.findall("\n".join(answer))}
        number = choices.get(label) or next((number for text, number in choices.items() if label in text), None)
        assert number is not None, f"no choice {label!r} in {list(choices)}"
        return await self.write(number)


async def test_register_for_a_spring_tour_entirely_over_zalo(
    settings: Settings, clock: FakeClock, detector: LanguageDetector, answerer: Answerer, tmp_path: Path
) -> None:
    published = settings.model_copy(update={"public_url": "https://bot.example.org"})
    app = await build_app(published, clock=clock, detector=detector, answerer=answerer)
    zalo = FakeZaloApi()
    with running(zalo) as url:  # type: ignore[arg-type]
        client = ZaloClient(zalo.token, url)
        channel = ZaloChannel(client, app.dispatcher, repeats(app, ZaloChannel.name))
        polling = asyncio.create_task(channel.start())
        try:
            person = ZaloUser(zalo)
            answer = await person.write("Bonjour")
            answer = await person.choose("Français", answer)
            assert "français" in answer[0].lower()
            answer = await person.choose("Sorties de printemps", answer)
            answer = await person.choose("Cổ Loa", answer)
            answer = await person.choose("inscrire", answer)
            answer = await person.write("Marie Dubois")
            answer = await person.write("française")
            answer = await person.write("0")  # choices labelled with numbers: the label typed wins
            answer = await person.write("marie.dubois@example.org")
            answer = await person.choose("Passer", answer)
            answer = await person.choose("accepte", answer)
            answer = await person.choose("Confirmer", answer)
            assert any("confirm" in text.lower() for text in answer), answer
            answer = await person.write("/my")
            answer = await person.choose("Cổ Loa", answer)
            answer = await person.choose("Billet", answer)
            photos = [call for call in zalo.calls_of("sendPhoto") if call.params["chat_id"] == USER]
            assert photos and photos[-1].params["photo"].startswith("https://bot.example.org/files/")
            assert all(len(text) <= 2000 for text in zalo.texts_to(USER))

            async with app.sessions() as session:
                due = await session.scalars(select(OutboxMessage.due_at).where(OutboxMessage.template == "reminder"))
                moments = sorted(due.all())
            assert moments, "the day-before reminder is queued"
            clock.advance(moments[0] - clock.now() + dt.timedelta(seconds=1))
            delivery = Delivery(app.sessions, app.catalogs, lambda: app.content, NOTICES, {"zalo": channel}, clock)
            await delivery.send_due()
            reminder = zalo.texts_to(USER)[-1]
            assert "📅 Demain" in reminder and "Cổ Loa" in reminder, "in French, the language chosen"
            choice = r"^1\. ✅ Oui, je confirme ma présence$"
            assert re.search(choice, reminder, re.MULTILINE), "its actions as numbered choices"
        finally:
            await channel.stop()
            await asyncio.wait_for(polling, 10)
            await client.close()
            await app.close()


async def test_without_a_public_address_a_zalo_ticket_is_its_code_in_words(app: App) -> None:
    person = Chat(app.dispatcher, user_id="zalo-person", channel="zalo")
    await fill_tour(person, "spring-2027-co-loa", "Marie Dubois")
    async with app.sessions() as session:
        registration = (await session.scalars(select(Registration))).one()
    replies = await person.press_payload(f"myticket:{registration.id}")
    [ticket] = replies
    assert ticket.attachment is None and ticket.image_url is None, "Zalo takes no uploads and no address is set"
    assert registration.ticket_code is not None and registration.ticket_code in ticket.text
    assert "cannot be sent in this chat" in ticket.text
