"""Replies as Bot API calls: escaped HTML, inline keyboards, cards edited in place, venues, documents."""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from functools import partial
from typing import Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, LinkPreviewOptions, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ExtBot

from bot.channels.telegram.client import MAX_ATTEMPTS, with_retries
from bot.core.messages import Reply
from bot.core.splitting import split_text

log = logging.getLogger(__name__)

MAX_TEXT: Final = 4096
MAX_CAPTION: Final = 1024
NO_PREVIEW: Final = LinkPreviewOptions(is_disabled=True)


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """The reply's buttons as an inline keyboard."""
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(button.label, url=button.url)
                if button.url
                else InlineKeyboardButton(button.label, callback_data=button.payload)
                for button in row
            ]
            for row in reply.buttons
        ]
    )


def escape(text: str) -> str:
    """User- and content-supplied text made safe for HTML parse mode."""
    return html.escape(text, quote=False)


class TelegramRenderer:
    """Sends replies to one chat with the Bot API."""

    def __init__(self, bot: ExtBot[None], *, attempts: int = MAX_ATTEMPTS) -> None:
        self._bot = bot
        self._attempts = attempts

    async def send(self, chat_id: str, replies: Sequence[Reply], update: Update | None = None) -> int | None:
        """Answer a pressed button, then send each reply; the first may replace the card it was pressed on.
        Returns the id of the last message sent."""
        query = update.callback_query if update is not None else None
        if query is not None:
            await with_retries(lambda: query.answer(), what="answerCallbackQuery", attempts=self._attempts)
        editable = query.message if query is not None and isinstance(query.message, Message) else None
        last: int | None = None
        for index, reply in enumerate(replies):
            if index == 0 and editable is not None and await self._edit(editable, reply):
                last = editable.message_id
                continue
            last = await self._send(chat_id, reply)
        return last

    async def _edit(self, message: Message, reply: Reply) -> bool:
        """Edit ``message`` into ``reply`` where that reads better than a new message; False if not done."""
        if not reply.replace or reply.venue or reply.attachment or message.text is None or len(reply.text) > MAX_TEXT:
            return False
        try:
            await with_retries(
                lambda: self._bot.edit_message_text(
                    escape(reply.text), chat_id=message.chat.id, message_id=message.message_id,
                    parse_mode=ParseMode.HTML, reply_markup=keyboard(reply), link_preview_options=NO_PREVIEW,
                ),
                what="editMessageText", attempts=self._attempts,
            )  # fmt: skip
        except BadRequest as exc:
            if "not modified" in exc.message.lower():
                return True
            log.info("could not edit message %s (%s); sending a new one", message.message_id, exc.message)
            return False
        return True

    async def _send(self, chat_id: str, reply: Reply) -> int:
        if reply.withdraws is not None and await self._delete(chat_id, reply.withdraws):
            return int(reply.withdraws)
        if reply.edits is not None and await self._edit_earlier(chat_id, reply.edits, reply):
            return int(reply.edits)
        markup = keyboard(reply)
        if reply.attachment is not None:
            return await self._send_document(chat_id, reply)
        pieces = split_text(reply.text, MAX_TEXT)
        for number, piece in enumerate(pieces, start=1):
            last = number == len(pieces) and reply.venue is None
            sent = await with_retries(
                partial(
                    self._bot.send_message, chat_id, escape(piece), parse_mode=ParseMode.HTML,
                    reply_markup=markup if last else None, link_preview_options=NO_PREVIEW,
                ),
                what="sendMessage", attempts=self._attempts,
            )  # fmt: skip
        if reply.venue is not None:
            venue = reply.venue
            sent = await with_retries(
                lambda: self._bot.send_venue(
                    chat_id, latitude=venue.latitude, longitude=venue.longitude,
                    title=venue.title, address=venue.address, reply_markup=markup,
                ),
                what="sendVenue", attempts=self._attempts,
            )  # fmt: skip
        return sent.message_id

    async def _delete(self, chat_id: str, message_id: str) -> bool:
        """Delete an earlier message; False when Telegram refuses (too old, already gone)."""
        try:
            await with_retries(lambda: self._bot.delete_message(chat_id, int(message_id)), what="deleteMessage",
                               attempts=self._attempts)  # fmt: skip
        except BadRequest as exc:
            log.info("could not delete message %s (%s); saying so instead", message_id, exc.message)
            return False
        return True

    async def _edit_earlier(self, chat_id: str, message_id: str, reply: Reply) -> bool:
        """Edit an earlier message into ``reply``; False when Telegram refuses (then a new message goes out)."""
        if reply.venue or reply.attachment or len(reply.text) > MAX_TEXT:
            return False
        try:
            await with_retries(
                lambda: self._bot.edit_message_text(
                    escape(reply.text), chat_id=chat_id, message_id=int(message_id), parse_mode=ParseMode.HTML,
                    reply_markup=keyboard(reply), link_preview_options=NO_PREVIEW,
                ),
                what="editMessageText", attempts=self._attempts,
            )  # fmt: skip
        except BadRequest as exc:
            if "not modified" in exc.message.lower():
                return True
            log.info("could not edit message %s (%s); sending the correction anew", message_id, exc.message)
            return False
        return True

    async def _send_document(self, chat_id: str, reply: Reply) -> int:
        assert reply.attachment is not None
        attachment, markup = reply.attachment, keyboard(reply)
        caption = reply.text if len(reply.text) <= MAX_CAPTION else None
        if caption is None:
            for piece in split_text(reply.text, MAX_TEXT):
                await with_retries(
                    partial(self._bot.send_message, chat_id, escape(piece), parse_mode=ParseMode.HTML),
                    what="sendMessage",
                    attempts=self._attempts,
                )
        sent = await with_retries(
            lambda: self._bot.send_document(
                chat_id, InputFile(attachment.content, filename=attachment.filename),
                caption=escape(caption) if caption else None, parse_mode=ParseMode.HTML, reply_markup=markup,
            ),
            what="sendDocument", attempts=self._attempts,
        )  # fmt: skip
        return sent.message_id
