"""The Telegram channel: python-telegram-bot's ExtBot as a typed client, our core for the conversation."""

from __future__ import annotations
