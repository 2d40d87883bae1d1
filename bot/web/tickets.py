"""``GET /t/<code>``: the page a ticket's QR code opens on any phone, saying whether it is valid and how
staff check it in; it shows no personal data."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from bot.core.content import Content
from bot.core.i18n import Catalogs, Locale, _, ngettext, use_locale
from bot.web.files import PRIVATE
from bot.web.reader import reader_locale


@dataclass(frozen=True)
class TicketView:
    """What the page may say of a valid ticket."""

    offering_id: str
    seats: int
    checked_in_at: dt.datetime | None


@dataclass(frozen=True)
class CheckInLink:
    """A way for staff to open the bot at this ticket: the platform's name and an address with ``{code}``."""

    platform: str
    url: str


def _page(locale: Locale, title: str, lines: list[str], links: list[tuple[str, str]]) -> str:
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    body += "".join(f'<p><a href="{html.escape(url)}">{html.escape(label)}</a></p>' for label, url in links)
    return (
        f'<!doctype html><html lang="{locale.language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title>"
        "<style>body{font:1.15rem/1.5 system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}"
        "a{display:inline-block;padding:.6rem 1rem;border:1px solid;border-radius:.5rem}</style>"
        f"</head><body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )


def ticket_route(
    look_up: Callable[[str], Awaitable[TicketView | None]],
    published: Callable[[], Content],
    catalogs: Catalogs,
    check_in_links: Callable[[], list[CheckInLink]],
) -> Route:
    """The ticket page, in the reader's language, with the titles of the ``published`` content."""

    async def show(request: Request) -> Response:
        code = str(request.path_params["code"])
        ticket = await look_up(code)
        locale = reader_locale(request, catalogs)
        with use_locale(locale):
            title = _("HAUFO ticket")
            if ticket is None:
                return HTMLResponse(_page(locale, title, [_("❌ This ticket is not valid.")], []), 404, PRIVATE)
            content = published()
            item = content.tours.items.get(ticket.offering_id) or content.courses.items.get(ticket.offering_id)
            name = item.title(locale.language) if item is not None else ticket.offering_id
            lines = [ngettext("🎫 Valid ticket: {title}, {n} seat.", "🎫 Valid ticket: {title}, {n} seats.",
                              ticket.seats, title=name)]  # fmt: skip
            if ticket.checked_in_at is not None:
                lines.append(_("⚠️ Already checked in at {time}.", time=locale.datetime(ticket.checked_in_at)))
            command = f"/checkin {code}"
            lines.append(_("Staff: to check this ticket in, send {command} to the HAUFO bot.", command=command))
            links = [(_("Check in with {platform}", platform=link.platform), link.url.format(code=code))
                     for link in check_in_links()]  # fmt: skip
            return HTMLResponse(_page(locale, title, lines, links), headers=PRIVATE)

    return Route("/t/{code}", show, methods=["GET"])
