"""Operations: a running bot on its webhook, scraped after a scripted conversation, shows every metric
moved; /readyz says what is wrong, as JSON; /metrics is for a bearer token or this machine only."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.config import PROJECT_ROOT
from bot.core.metrics import exposition
from bot.web.app import create_web_app
from bot.web.operations import Check, operations_routes
from tests.channels.telegram.test_process import bot_process, free_port
from tests.fake_bot_api import updates
from tests.fake_bot_api.server import FakeBotApi

SECRET = "webhook-secret-for-tests"
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
VISITOR, ADMIN, LEAVER = 8101, 8102, 8103
METRICS = ("haufo_updates_total", "haufo_reply_seconds", "haufo_outbox_pending", "haufo_outbox_lateness_seconds",
           "haufo_deliveries_total", "haufo_platform_throttled_total", "haufo_users_blocked_total",
           "haufo_answers_total")  # fmt: skip


def samples(text: str) -> dict[str, float]:
    """``name{labels}`` → value, for every sample of a Prometheus text exposition."""
    found = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            found[name] = float(value)
    return found


def value(found: dict[str, float], pattern: str) -> float:
    """The sum of the samples whose name matches ``pattern``."""
    return sum(number for name, number in found.items() if re.fullmatch(pattern, name))


def test_a_scripted_conversation_moves_every_metric(tmp_path: Path, fake: FakeBotApi, api_url: str) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {"TELEGRAM_TOKEN": fake.token, "TELEGRAM_API_URL": api_url, "WEBHOOK_BASE_URL": base,
           "WEBHOOK_SECRET": SECRET, "PORT": str(port), "ADMINS": f"telegram:{ADMIN}"}  # fmt: skip
    with bot_process(tmp_path, **env):
        fake.wait_until(lambda: fake.calls_of("setWebhook"), timeout=30)
        fake.wait_until(lambda: _answers(f"{base}/healthz"), timeout=30)

        def post(update: dict[str, Any]) -> None:
            assert httpx.post(f"{base}/telegram/webhook", json=update, headers=HEADERS, timeout=30).status_code == 200

        def press(user: int, label: str) -> None:
            message = fake.messages_in(user)[-1]
            rows = message.get("reply_markup", {}).get("inline_keyboard", [])
            [data] = [button["callback_data"] for row in rows for button in row if label in button["text"]]
            post(updates.callback(user, data, message=message))

        post(updates.command(ADMIN, "/start"))
        fake.fail("sendMessage", status=429, retry_after=1)  # the next reply meets flood control once
        post(updates.command(VISITOR, "/start tour-spring-2027-co-loa"))
        post(updates.text_message(VISITOR, "What should I bring on the tour?"))
        post(updates.text_message(VISITOR, "Can I bring my pet iguana to the embassy reception?"))
        press(VISITOR, "staff")
        post(updates.callback(ADMIN, "questions", message=fake.messages_in(ADMIN)[-1]))
        press(ADMIN, "Reply")
        post(updates.text_message(ADMIN, "Please leave the iguana at home."))
        fake.wait_until(lambda: any("iguana at home" in m.get("text", "") for m in fake.messages_in(VISITOR)))
        post(updates.command(VISITOR, "/start tour-spring-2027-co-loa"))
        press(VISITOR, "Register")
        for answer in ["Anna Schmidt", "German"]:
            post(updates.text_message(VISITOR, answer))
        press(VISITOR, "0")
        post(updates.text_message(VISITOR, "anna@example.org"))
        press(VISITOR, "Skip")
        press(VISITOR, "I agree")
        press(VISITOR, "Confirm")
        post(updates.command(LEAVER, "/start"))
        post(updates.chat_member(LEAVER, "kicked"))

        assert httpx.get(f"{base}/metrics", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 403
        scraped = httpx.get(f"{base}/metrics", timeout=30)
        ready = httpx.get(f"{base}/readyz", timeout=30)
    assert scraped.status_code == 200 and scraped.headers["content-type"].startswith("text/plain")
    found = samples(scraped.text)
    assert value(found, r'haufo_updates_total\{channel="telegram",router="start"\}') >= 3
    assert value(found, r'haufo_updates_total\{channel="telegram",router="registration"\}') >= 7
    assert value(found, r'haufo_reply_seconds_count\{channel="telegram"\}') >= 10
    assert value(found, r"haufo_outbox_pending") >= 2, "the registration's reminders wait"
    assert value(found, r"haufo_outbox_lateness_seconds_count") >= 1, "the staff reply was sent"
    assert value(found, r'haufo_deliveries_total\{channel="telegram",status="sent"\}') >= 1
    assert value(found, r'haufo_platform_throttled_total\{channel="telegram"\}') >= 1
    assert value(found, r'haufo_users_blocked_total\{channel="telegram"\}') == 1
    assert value(found, r'haufo_answers_total\{outcome="answered"\}') >= 1
    assert value(found, r'haufo_answers_total\{outcome="unanswered"\}') == 1
    assert value(found, r'haufo_answers_total\{outcome="handed_off"\}') == 1
    assert ready.status_code == 200
    assert {check["name"]: check["ok"] for check in ready.json()["checks"]} == {
        "database": True, "outbox": True, "telegram": True
    }  # fmt: skip
    assert fake.violations == []


def _answers(url: str) -> bool:
    try:
        return httpx.get(url).status_code == 200
    except httpx.HTTPError:
        return False


def _client(checks: Sequence[Check], token: str | None, client: tuple[str, int]) -> httpx.AsyncClient:
    async def found() -> Sequence[Check]:
        return checks

    web = create_web_app(operations_routes(found, metrics_token=token))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=web, client=client), base_url="http://bot")


async def test_readyz_names_what_is_wrong_and_healthz_only_says_alive() -> None:
    checks = [Check("database", True, "reachable"), Check("telegram", False, "polling: last heard 300 s ago")]
    async with _client(checks, None, ("127.0.0.1", 5000)) as client:
        ready, alive = await client.get("/readyz"), await client.get("/healthz")
    assert ready.status_code == 503
    assert ready.json()["problems"] == ["telegram: polling: last heard 300 s ago"]
    assert (alive.status_code, alive.text) == (200, "ok")


@pytest.mark.parametrize(
    ("token", "client", "headers", "status"),
    [
        (None, ("127.0.0.1", 5000), {}, 200),
        (None, ("127.0.0.1", 5000), {"X-Forwarded-For": "203.0.113.9"}, 403),  # through the reverse proxy
        (None, ("203.0.113.9", 5000), {}, 403),
        ("metrics-token-123", ("203.0.113.9", 5000), {"Authorization": "Bearer metrics-token-123"}, 200),
        ("metrics-token-123", ("127.0.0.1", 5000), {}, 403),
        ("metrics-token-123", ("127.0.0.1", 5000), {"Authorization": "Bearer wrong"}, 403),
    ],
)
async def test_metrics_need_the_token_or_this_machine(
    token: str | None, client: tuple[str, int], headers: dict[str, str], status: int
) -> None:
    async with _client([], token, client) as http:
        response = await http.get("/metrics", headers=headers)
    assert response.status_code == status
    if status == 200:
        assert "haufo_updates_total" in response.text


def test_the_grafana_dashboard_shows_every_metric() -> None:
    dashboard = json.loads((PROJECT_ROOT / "deploy" / "grafana-dashboard.json").read_text(encoding="utf-8"))
    queries = " ".join(target["expr"] for panel in dashboard["panels"] for target in panel["targets"])
    for metric in METRICS:
        assert metric in queries, metric
        assert metric.removesuffix("_total") in exposition().decode(), metric
