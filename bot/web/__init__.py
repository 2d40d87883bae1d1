"""The web server: platform webhooks and the health check."""

from __future__ import annotations
