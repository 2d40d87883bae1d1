"""Ticket codes are unguessable and signed: a forged or altered code is refused before any lookup."""

from __future__ import annotations

from bot.services.tickets import new_ticket_code, signed

KEY = b"test key"


def test_codes_are_random_and_signed() -> None:
    codes = {new_ticket_code(KEY) for _ in range(100)}
    assert len(codes) == 100
    assert all(signed(code, KEY) for code in codes)
    assert all(len(code) <= 40 and code.replace("-", "").replace("_", "").isalnum() for code in codes)


def test_altered_or_foreign_codes_are_refused() -> None:
    code = new_ticket_code(KEY)
    token, _, signature = code.rpartition("-")
    assert not signed(f"{token[:-1]}{'A' if token[-1] != 'A' else 'B'}-{signature}", KEY)
    assert not signed(code, b"another key")
    assert not signed("no-signature-here", KEY)
    assert not signed("", KEY)
