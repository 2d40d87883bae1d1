"""The comparison: python-telegram-bot's bare echo bot (its own polling loop and handlers), nothing else."""

from __future__ import annotations

import os

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the text back."""
    assert update.message is not None
    assert update.message.text is not None
    await update.message.reply_text(update.message.text)


def main() -> None:
    """Poll the Bot API at TELEGRAM_API_URL until interrupted."""
    base = os.environ["TELEGRAM_API_URL"].rstrip("/")
    application = Application.builder().token(os.environ["TELEGRAM_TOKEN"]).base_url(f"{base}/bot").build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.run_polling(poll_interval=0.0, timeout=25)


if __name__ == "__main__":
    main()
