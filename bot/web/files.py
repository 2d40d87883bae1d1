"""``GET /files/<token>``: an attachment served under its signed, short-lived link."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.core.i18n import Catalogs, _, use_locale
from bot.core.messages import Attachment
from bot.web.reader import reader_locale

PRIVATE: dict[str, str] = {"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"}


def files_route(open_file: Callable[[str], Awaitable[Attachment | None]], catalogs: Catalogs) -> Route:
    """The route serving what ``open_file`` finds for a token; 404 in the reader's language otherwise."""

    async def serve(request: Request) -> Response:
        attachment = await open_file(str(request.path_params["token"]))
        if attachment is None:
            with use_locale(reader_locale(request, catalogs)):
                message = _("This link has expired or is not valid. Please ask the bot for the file again.")
            return PlainTextResponse(message, status_code=404, headers=PRIVATE)
        disposition = "inline" if attachment.mime_type.startswith("image/") else "attachment"
        headers = PRIVATE | {"Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(attachment.filename)}"}
        return Response(attachment.content, media_type=attachment.mime_type, headers=headers)

    return Route("/files/{token}", serve, methods=["GET"])
