"""haufo-bot: the multilingual chatbot of the Hanoi Union of Friendship Organizations."""

from __future__ import annotations
