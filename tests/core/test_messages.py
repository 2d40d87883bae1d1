"""Incoming parsing and the 64-byte payload limit."""

from __future__ import annotations

import pytest

from bot.core.messages import Button, Incoming, InvalidPayload, make_payload


def test_payload_over_64_bytes_is_refused() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        Button("x", "p:" + "é" * 32)
    with pytest.raises(ValueError, match="64 bytes"):
        make_payload("tour", "x" * 60)


def test_payload_parts_cannot_contain_the_separator() -> None:
    with pytest.raises(ValueError, match="may not contain"):
        make_payload("site", "a:b")


def test_button_needs_exactly_one_target() -> None:
    with pytest.raises(ValueError, match="either a payload or a url"):
        Button("x")
    with pytest.raises(ValueError, match="either a payload or a url"):
        Button("x", payload="p", url="https://example.org")


def test_incoming_parses_commands_and_payloads() -> None:
    command = Incoming("t", "1", "1", text="/Start@haufo_bot tour-spring-2027-co-loa")
    assert command.command == "start"
    assert command.args == ("tour-spring-2027-co-loa",)
    button = Incoming("t", "1", "1", payload="sites:1")
    assert button.prefix == "sites"
    assert button.int_arg(0) == 1
    assert Incoming("t", "1", "1", text="hello").command is None
    assert Incoming("t", "1", "1", text="/").command is None
    assert Incoming("t", "1", "1", text="/ ").command is None
    assert Incoming("t", "1", "1", text="/ start").command is None


@pytest.mark.parametrize("payload", ["sites", "sites:", "sites:-1", "sites:x", "sites:99999999", "sites:٣"])
def test_bad_numeric_arguments_are_invalid(payload: str) -> None:
    with pytest.raises(InvalidPayload):
        Incoming("t", "1", "1", payload=payload).int_arg(0)
