"""Secrets in the settings: never shown, never empty."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import Settings

TOKEN = "123456:AAHsecretTokenNobodyMaySee000000000"


def test_secrets_are_hidden_from_repr_and_str() -> None:
    settings = Settings(telegram_token=TOKEN, zalo_token="zalo-secret", webhook_secret="hook-secret",
                        secret_key="ticket-secret", _env_file=None)  # type: ignore[call-arg]  # fmt: skip
    shown = repr(settings) + str(settings) + repr(settings.model_dump())
    for secret in (TOKEN, "zalo-secret", "hook-secret", "ticket-secret"):
        assert secret not in shown
    assert settings.ticket_key() == b"ticket-secret"


@pytest.mark.parametrize("name", ["TELEGRAM_TOKEN", "ZALO_TOKEN", "WEBHOOK_SECRET", "SECRET_KEY"])
def test_an_empty_secret_is_refused_at_start_in_one_line(tmp_path: Path, name: str) -> None:
    env = {**os.environ, name: "  ", "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"}
    result = subprocess.run([sys.executable, "-m", "bot", "run"], env=env, cwd=tmp_path, capture_output=True,
                            text=True, timeout=60, stdin=subprocess.DEVNULL)  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"haufo-bot: {name}: Value error, is empty: give it a value, or leave the "
                                          "setting out"]  # fmt: skip
