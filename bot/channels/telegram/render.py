"""Replies as Bot API calls: escaped HTML, inline keyboards, cards edited in place, venues, documents."""

from __future__ import annotations

import html
import logging
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from typing import Any, Final, TypeVar

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    InputPollOption,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ExtBot

from bot.channels.base import PollBook
from bot.channels.pacing import SendBudget
from bot.channels.telegram.client import MAX_ATTEMPTS, Pace, with_retries
from bot.channels.telegram.updates import CHANNEL
from bot.core.messages import Priority, QuizPoll, Reply
from bot.core.splitting import split_text

log = logging.getLogger(__name__)

MAX_TEXT: Final = 4096
MAX_CAPTION: Final = 1024
NO_PREVIEW: Final = LinkPreviewOptions(is_disabled=True)

T = TypeVar("T")


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
    """Sends replies to one chat with the Bot API, each message (new or edited) on the channel's budget.

    ``attempts`` bounds the tries after network errors, ``floods`` the 429s waited out (None: all). With a
    ``polls`` book, a quiz question goes out as a native quiz poll whose options' payloads the book keeps;
    without one, as text and buttons."""

    def __init__(
        self, bot: ExtBot[None], budget: SendBudget | None = None, *, attempts: int = MAX_ATTEMPTS,
        floods: int | None = None, polls: PollBook | None = None,
    ) -> None:  # fmt: skip
        self._bot = bot
        self._budget = budget
        self._attempts = attempts
        self._floods = floods
        self._polls = polls

    async def send(
        self, chat_id: str, replies: Sequence[Reply], update: Update | None = None, *,
        priority: Priority = Priority.REPLY,
    ) -> int | None:  # fmt: skip
        """Answer a pressed button, then send each reply; the first may replace the card it was pressed on.
        Returns the id of the last message sent."""
        pace = Pace(self._budget, chat_id, priority, self._floods) if self._budget is not None else None
        query = update.callback_query if update is not None else None
        if query is not None:
            await self._call(lambda: query.answer(), "answerCallbackQuery")
        editable = query.message if query is not None and isinstance(query.message, Message) else None
        last: int | None = None
        for index, reply in enumerate(replies):
            if index == 0 and editable is not None and await self._edit(editable, reply, pace):
                last = editable.message_id
                continue
            last = await self._send(chat_id, reply, pace)
        return last

    async def _call(self, call: Callable[[], Awaitable[T]], what: str, pace: Pace | None = None) -> T:
        return await with_retries(call, what=what, attempts=self._attempts, pace=pace)

    async def _edit(self, message: Message, reply: Reply, pace: Pace | None) -> bool:
        """Edit ``message`` into ``reply`` where that reads better than a new message; False if not done."""
        if not reply.replace or reply.venue or reply.attachment or message.text is None or len(reply.text) > MAX_TEXT:
            return False
        try:
            await self._call(
                lambda: self._bot.edit_message_text(
                    escape(reply.text), chat_id=message.chat.id, message_id=message.message_id,
                    parse_mode=ParseMode.HTML, reply_markup=keyboard(reply), link_preview_options=NO_PREVIEW,
                ),
                "editMessageText", pace,
            )  # fmt: skip
        except BadRequest as exc:
            if "not modified" in exc.message.lower():
                return True
            log.info("could not edit message %s (%s); sending a new one", message.message_id, exc.message)
            return False
        return True

    async def _send(self, chat_id: str, reply: Reply, pace: Pace | None) -> int:
        if reply.withdraws is not None and await self._delete(chat_id, reply.withdraws):
            return int(reply.withdraws)
        if reply.edits is not None and await self._edit_earlier(chat_id, reply.edits, reply, pace):
            return int(reply.edits)
        markup = keyboard(reply)
        if reply.poll is not None and self._polls is not None:
            return await self._send_poll(chat_id, reply, reply.poll, pace)
        if reply.attachment is not None:
            return await self._send_document(chat_id, reply, pace)
        pieces = split_text(reply.text, MAX_TEXT)
        for number, piece in enumerate(pieces, start=1):
            last = number == len(pieces) and reply.venue is None
            sent = await self._call(
                partial(
                    self._bot.send_message, chat_id, escape(piece), parse_mode=ParseMode.HTML,
                    reply_markup=markup if last else None, link_preview_options=NO_PREVIEW,
                ),
                "sendMessage", pace,
            )  # fmt: skip
        if reply.venue is not None:
            venue = reply.venue
            sent = await self._call(
                lambda: self._bot.send_venue(
                    chat_id, latitude=venue.latitude, longitude=venue.longitude,
                    title=venue.title, address=venue.address, reply_markup=markup,
                ),
                "sendVenue", pace,
            )  # fmt: skip
        return sent.message_id

    async def _send_poll(self, chat_id: str, reply: Reply, poll: QuizPoll, pace: Pace | None) -> int:
        """A quiz question as a non-anonymous, timed quiz poll (its options are the reply's buttons, in
        order); the book keeps which payload each option stands for."""
        assert self._polls is not None
        options = reply.all_buttons()
        correct: Any = list(poll.correct)  # python-telegram-bot types the positions as Literal[0, …, 11]
        sent = await self._call(
            lambda: self._bot.send_poll(
                chat_id, poll.question, [InputPollOption(button.label) for button in options], is_anonymous=False,
                type="quiz", correct_option_ids=correct, explanation=poll.explanation or None,
                open_period=poll.seconds, description=poll.header or None,
            ),
            "sendPoll", pace,
        )  # fmt: skip
        if sent.poll is not None:
            await self._polls.remember(CHANNEL, sent.poll.id, [button.payload or "" for button in options])
        return sent.message_id

    async def _delete(self, chat_id: str, message_id: str) -> bool:
        """Delete an earlier message; False when Telegram refuses (too old, already gone)."""
        try:
            await self._call(lambda: self._bot.delete_message(chat_id, int(message_id)), "deleteMessage")
        except BadRequest as exc:
            log.info("could not delete message %s (%s); saying so instead", message_id, exc.message)
            return False
        return True

    async def _edit_earlier(self, chat_id: str, message_id: str, reply: Reply, pace: Pace | None) -> bool:
        """Edit an earlier message into ``reply``; False when Telegram refuses (then a new message goes out)."""
        if reply.venue or reply.attachment or len(reply.text) > MAX_TEXT:
            return False
        try:
            await self._call(
                lambda: self._bot.edit_message_text(
                    escape(reply.text), chat_id=chat_id, message_id=int(message_id), parse_mode=ParseMode.HTML,
                    reply_markup=keyboard(reply), link_preview_options=NO_PREVIEW,
                ),
                "editMessageText", pace,
            )  # fmt: skip
        except BadRequest as exc:
            if "not modified" in exc.message.lower():
                return True
            log.info("could not edit message %s (%s); sending the correction anew", message_id, exc.message)
            return False
        return True

    async def _send_document(self, chat_id: str, reply: Reply, pace: Pace | None) -> int:
        assert reply.attachment is not None
        attachment, markup = reply.attachment, keyboard(reply)
        caption = reply.text if len(reply.text) <= MAX_CAPTION else None
        if caption is None:
            for piece in split_text(reply.text, MAX_TEXT):
                await self._call(
                    partial(self._bot.send_message, chat_id, escape(piece), parse_mode=ParseMode.HTML),
                    "sendMessage", pace,
                )  # fmt: skip
        sent = await self._call(
            lambda: self._bot.send_document(
                chat_id, InputFile(attachment.content, filename=attachment.filename),
                caption=escape(caption) if caption else None, parse_mode=ParseMode.HTML, reply_markup=markup,
            ),
            "sendDocument", pace,
        )  # fmt: skip
        return sent.message_id
