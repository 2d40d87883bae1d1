"""Recorded Zalo update JSON as messages: the documented polling sample (no event name, ``first_name``) and
the measured webhook bodies (flat, with ``event_name`` and ``display_name``), wrapped or not."""

from __future__ import annotations

import json

from bot.channels.zalo.updates import received
from bot.config import PROJECT_ROOT
from tests.fake_zalo_api import updates

FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "zalo"


def load(name: str) -> dict[str, object]:
    return dict(json.loads((FIXTURES / name).read_text(encoding="utf-8")))


def test_the_documented_polling_sample_is_a_text_message() -> None:
    message = received(load("documented_get_updates.json"), "zalo")
    assert message is not None
    assert message.message_id == "16f6366b3f02645a3d15"
    incoming = message.incoming
    assert (incoming.user_id, incoming.chat_id, incoming.text) == ("e4ea2cd5189df1c3a88c",) * 2 + ("Xin chào",)
    assert incoming.display_name == "Nguyen Van A" and incoming.language_hint is None


def test_webhook_bodies_flat_or_wrapped_read_the_same() -> None:
    body = load("webhook_text.json")
    flat, wrapped = received(body, "zalo"), received(updates.wrapped(body), "zalo")
    assert flat is not None and flat == wrapped
    assert flat.incoming.text is not None and flat.incoming.text.startswith("Bonjour")


def test_a_photo_without_caption_is_an_event_and_a_bots_own_message_is_nothing() -> None:
    photo = received(load("webhook_image.json"), "zalo")
    assert photo is not None and (photo.incoming.text, photo.incoming.event) == (None, "image")
    own = updates.text("bot", "echo")
    own["message"]["from"]["is_bot"] = True
    assert received(own, "zalo") is None
    assert received({"ok": False, "error_code": 408}, "zalo") is None
