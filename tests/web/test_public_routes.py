"""With a public address, a ticket's QR code opens its page on the bot's own web server, from any phone, and
channels that cannot upload hand out files under short-lived signed links."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import AsyncIterator

import httpx
import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import select

from bot.app import App, build_app
from bot.config import Settings
from bot.core.clock import FakeClock
from bot.core.detection import LanguageDetector
from bot.core.messages import Attachment
from bot.db.models import Registration
from bot.runtime import public_routes
from bot.services.answers import Answerer
from bot.services.unit_of_work import UnitOfWork
from bot.web.app import create_web_app
from tests.chat import Chat
from tests.handlers.test_registration import fill_tour

PUBLIC = "https://bot.example.org"
TOUR = "spring-2027-son-tay"


@pytest.fixture
async def public_app(
    settings: Settings, clock: FakeClock, detector: LanguageDetector, answerer: Answerer
) -> AsyncIterator[App]:
    app = await build_app(settings.model_copy(update={"public_url": PUBLIC + "/"}), clock=clock, detector=detector,
                          answerer=answerer)  # fmt: skip
    yield app
    await app.close()


def web(app: App) -> httpx.AsyncClient:
    routes = create_web_app(public_routes(app, []))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=routes), base_url=PUBLIC)


async def ticket_code(app: App) -> str:
    async with app.sessions() as session:
        code = (await session.scalars(select(Registration.ticket_code))).one()
    assert code is not None
    return code


async def test_the_qr_code_opens_the_tickets_page_which_tells_staff_how_to_check_it_in(public_app: App) -> None:
    holder = Chat(public_app.dispatcher, user_id="holder")
    await fill_tour(holder, TOUR, "Lena Schmidt")
    await holder.press("My registrations")
    await holder.press("Sơn Tây")
    await holder.press("Ticket")
    image = holder.last[0].attachment
    assert image is not None
    [decoded] = [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(image.content)))]
    code = await ticket_code(public_app)
    assert decoded == f"{PUBLIC}/t/{code}"

    async with web(public_app) as client:
        page = await client.get(f"/t/{code}", headers={"Accept-Language": "vi-VN,vi;q=0.9,en;q=0.5"})
        assert page.status_code == 200
        assert '<html lang="vi">' in page.text
        assert public_app.content.tours.get(TOUR).title("vi") in page.text
        assert f"/checkin {code}" in page.text
        assert "Lena" not in page.text, "the page shows no personal data"
        assert page.headers["cache-control"] == "private, no-store"

        staff = Chat(public_app.dispatcher, user_id="admin")
        await staff.send(f"/checkin {code}")
        assert "Checked in: Lena Schmidt" in staff.text
        again = await client.get(f"/t/{code}", headers={"Accept-Language": "fr"})
        assert "⚠️" in again.text and '<html lang="fr">' in again.text

        forged = await client.get(f"/t/{code[:-2]}xx")
        assert forged.status_code == 404
        assert "❌" in forged.text


async def test_a_file_link_serves_the_file_until_it_lapses_and_refuses_altered_tokens(
    public_app: App, clock: FakeClock
) -> None:
    async with public_app.sessions() as session, session.begin():
        links = UnitOfWork(session, public_app.services).file_links
        url = await links.publish(Attachment("Danh sách.csv", b"name\nLan\n", "text/csv"), "export", None)
        other = await links.publish(Attachment("ticket.png", b"\x89PNG", "image/png"), "ticket", None)
    assert url.startswith(f"{PUBLIC}/files/")
    token = url.rsplit("/", 1)[1]
    async with web(public_app) as client:
        served = await client.get(url)
        assert served.status_code == 200
        assert served.content == b"name\nLan\n"
        assert served.headers["content-type"].startswith("text/csv")
        assert served.headers["content-disposition"] == "attachment; filename*=UTF-8''Danh%20s%C3%A1ch.csv"
        image = await client.get(other)
        assert image.headers["content-disposition"].startswith("inline")

        file_id, expires, signature = token.split(".")
        altered = [
            f"{int(file_id) + 1}.{expires}.{signature}",  # another file under this signature
            f"{file_id}.{int(expires) + 3600}.{signature}",  # a longer life
            f"{file_id}.{expires}.{signature[:-1]}",  # a shorter signature
            "../../data/secret.key",
        ]
        for bad in altered:
            assert (await client.get(f"/files/{bad}")).status_code == 404, bad
        refused = await client.get(f"/files/{altered[0]}", headers={"Accept-Language": "ru-RU,ru;q=0.9"})
        assert "ссылк" in refused.text.lower(), "refused in the reader's language"

        clock.advance(dt.timedelta(hours=24, seconds=1))
        assert (await client.get(url)).status_code == 404, "a lapsed link serves nothing"


def test_without_a_public_address_there_are_no_public_routes(app: App) -> None:
    assert public_routes(app, []) == []
