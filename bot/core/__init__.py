"""The channel-agnostic core: messages, routing, dispatching, languages and content."""

from __future__ import annotations
