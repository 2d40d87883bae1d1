"""Scheduling: delivering the outbox on time."""

from __future__ import annotations
