"""The Bot API client: an ExtBot pointed at TELEGRAM_API_URL, a checked token, and calls that survive 429."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Final, TypeVar

from telegram import User
from telegram.error import BadRequest, InvalidToken, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import ExtBot
from telegram.warnings import PTBDeprecationWarning

from bot.channels.pacing import SendBudget, started
from bot.channels.telegram.transport import AiohttpRequest
from bot.core.messages import Priority
from bot.core.metrics import THROTTLED
from bot.core.startup import StartupError

log = logging.getLogger(__name__)

TOKEN_PATTERN: Final = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{30,}$")
MAX_ATTEMPTS: Final = 8
POLL_TIMEOUT: Final = 25

T = TypeVar("T")

# python-telegram-bot warns on every 429 that ``retry_after`` will become a timedelta; we accept both.
warnings.filterwarnings("ignore", message=r".*`retry_after` will be of type", category=PTBDeprecationWarning)


def make_bot(token: str, api_url: str) -> ExtBot[None]:
    """An ExtBot sending to ``{api_url}/bot{token}/{method}`` over aiohttp, with a pool for concurrent replies."""
    if not TOKEN_PATTERN.fullmatch(token):
        raise StartupError("TELEGRAM_TOKEN looks malformed: it should look like 123456789:AAH… as given by @BotFather.")
    base = api_url.rstrip("/")
    return ExtBot(
        token,
        base_url=f"{base}/bot",
        base_file_url=f"{base}/file/bot",
        request=AiohttpRequest(connection_pool_size=64, read_timeout=15, write_timeout=30),
        get_updates_request=AiohttpRequest(connection_pool_size=2, read_timeout=POLL_TIMEOUT + 15),
    )


async def connect(bot: ExtBot[None], api_url: str) -> User:
    """Initialise the client and check the token with getMe; ``StartupError`` says what is wrong."""
    try:
        try:
            await bot.initialize()
        except TelegramError:
            await bot.request.shutdown()  # getMe's connection: shutdown() skips a bot that is not initialised
            raise
        return bot.bot
    except InvalidToken:
        raise StartupError("Telegram rejected TELEGRAM_TOKEN: check the token given by @BotFather.") from None
    except (NetworkError, TimedOut) as exc:
        raise StartupError(
            f"Cannot reach the Bot API at {api_url} ({exc}): check TELEGRAM_API_URL and the network."
        ) from None
    except TelegramError as exc:
        raise StartupError(f"The Bot API at {api_url} refused getMe ({exc}): check TELEGRAM_TOKEN.") from None


def retry_seconds(error: RetryAfter) -> float:
    """How long Telegram asked us to wait."""
    value = error.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


@dataclass(frozen=True)
class Pace:
    """A send drawing on the channel's budget: for whom, how urgent, and how many 429s it waits out before
    giving up (None: as many as it takes)."""

    budget: SendBudget
    chat_id: str
    priority: Priority
    floods: int | None = None


async def with_retries(
    call: Callable[[], Awaitable[T]], *, what: str, attempts: int = MAX_ATTEMPTS, pace: Pace | None = None
) -> T:
    """Run a Bot API call, first taking a slot of ``pace``'s budget if given. On 429 the whole channel waits
    ``retry_after`` and the call goes again, as often as Telegram asks (a reply is never dropped for flood
    control) or up to ``pace.floods`` times; on network errors and 5xx back off, up to ``attempts`` tries."""
    delay, failures, floods = 0.5, 0, 0
    while True:
        if pace is not None:
            await pace.budget.acquire(pace.priority, pace.chat_id)
        try:
            result = await call()
        except RetryAfter as exc:
            wait, floods = retry_seconds(exc), floods + 1
            THROTTLED.labels("telegram").inc()
            log.warning("%s: Telegram asked to retry after %.1f s", what, wait)
            if pace is None:
                await asyncio.sleep(wait)
                continue
            await pace.budget.flooded(wait)
            if pace.floods is not None and floods > pace.floods:
                raise
        except (TimedOut, NetworkError) as exc:
            failures += 1
            if failures >= attempts or isinstance(exc, BadRequest):
                raise
            log.warning("%s failed (%s); retrying in %.1f s", what, exc, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30)
        else:
            started()
            return result
