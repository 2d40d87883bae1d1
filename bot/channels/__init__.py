"""Channels: adapters between a platform and the core. Only these import a platform SDK."""

from __future__ import annotations
