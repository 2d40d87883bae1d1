"""Numbered buttons for platforms without buttons: rendering and what a typed line presses."""

from __future__ import annotations

from bot.core.messages import Button, Reply
from bot.core.numbered import pressable, pressed, with_numbered_buttons

GUESTS = [("0", "regstep:guests:0"), ("1", "regstep:guests:1"), ("2", "regstep:guests:2"), ("◀ Back", "regback")]


def test_buttons_are_numbered_across_replies_and_links_show_their_address() -> None:
    replies = [
        Reply("Choose:", ((Button("🎉 Events", "events"), Button("🌸 Tours", "tours")),)),
        Reply("More:", ((Button("🗺 Map", url="https://example.org/map"),), (Button("🏠 Home", "home"),))),
    ]
    assert with_numbered_buttons(replies) == [
        "Choose:\n\n1. 🎉 Events\n2. 🌸 Tours",
        "More:\n\n🗺 Map: https://example.org/map\n3. 🏠 Home",
    ]
    assert [button.payload for button in pressable(replies)] == ["events", "tours", "home"]


def test_a_number_presses_the_button_it_names_and_a_label_wins_over_a_number() -> None:
    shown = [("✅ Yes", "coming:7"), ("✖ Cancel my place", "mycancel:7")]
    assert pressed("1", shown) == "coming:7"
    assert pressed(" 2 ", shown) == "mycancel:7"
    assert pressed("cancel my place", shown) == "mycancel:7"
    assert pressed("YES!", shown) == "coming:7"
    assert pressed("2", GUESTS) == "regstep:guests:2", "a label that is a number is pressed by that number"
    assert pressed("4", GUESTS) == "regback"


def test_other_text_presses_nothing() -> None:
    shown = [("Yes", "coming:7")]
    assert pressed("0", shown) is None
    assert pressed("2", shown) is None
    assert pressed("0912345678", shown) is None
    assert pressed("yes please", shown) is None
    assert pressed("👍", shown) is None
    assert pressed("1", []) is None
