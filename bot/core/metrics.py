"""What the bot counts for its operators, in the Prometheus text format (``GET /metrics``).

The instruments live in one registry of this process; every layer records into them where the event
happens. Gauges that describe the database (the outbox waiting) are read when scraped."""

from __future__ import annotations

from typing import Final

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

REGISTRY: Final = CollectorRegistry(auto_describe=True)

UPDATES: Final = Counter(
    "haufo_updates", "Messages and button presses handled, by channel and the router that took them",
    ["channel", "router"], registry=REGISTRY,
)  # fmt: skip
REPLY_SECONDS: Final = Histogram(
    "haufo_reply_seconds", "From an update's arrival to its last reply sent", ["channel"], registry=REGISTRY,
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30),
)  # fmt: skip
OUTBOX_PENDING: Final = Gauge(
    "haufo_outbox_pending", "Messages the bot started itself waiting in the outbox (due or not)", registry=REGISTRY
)
OUTBOX_LATENESS: Final = Histogram(
    "haufo_outbox_lateness_seconds", "How long after it fell due an outbox message was sent", registry=REGISTRY,
    buckets=(0.5, 1, 5, 15, 60, 300, 900, 3600),
)  # fmt: skip
DELIVERIES: Final = Counter(
    "haufo_deliveries", "Outbox messages by channel and outcome (sent, retry, failed, skipped, unreachable)",
    ["channel", "status"], registry=REGISTRY,
)  # fmt: skip
THROTTLED: Final = Counter(
    "haufo_platform_throttled", "Times a platform answered 429 (too many requests)", ["channel"], registry=REGISTRY
)
USERS_BLOCKED: Final = Counter(
    "haufo_users_blocked", "People found to have blocked the bot", ["channel"], registry=REGISTRY
)
ANSWERS: Final = Counter(
    "haufo_answers", "Free-text questions by outcome (answered, low_confidence, unanswered, handed_off)",
    ["outcome"], registry=REGISTRY,
)  # fmt: skip


def exposition() -> bytes:
    """Every metric, in the Prometheus text format."""
    return generate_latest(REGISTRY)
