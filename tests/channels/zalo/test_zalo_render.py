"""Replies as Zalo messages: plain text within 2000 characters split between paragraphs, numbered choices
across the whole answer, venues in words, a published picture as a photo by URL."""

from __future__ import annotations

from bot.channels.zalo.render import MAX_TEXT, zalo_messages
from bot.core.messages import Button, Reply, Venue


def test_a_long_answer_is_split_between_paragraphs_and_choices_are_numbered_across_replies() -> None:
    paragraphs = [f"Paragraph {n}: " + "lời giới thiệu về di tích " * 30 for n in range(12)]
    long = Reply("\n\n".join(paragraphs), ((Button("🏠 Main menu", "menu"),),))
    venue = Venue("Cổ Loa Citadel", "Cổ Loa, Đông Anh, Hà Nội", 21.115, 105.873, "https://maps.example/co-loa")
    messages = zalo_messages([long, Reply("Where to meet:", ((Button("📝 Register", "register:x"),),), venue=venue)])
    texts = [message.text for message in messages]
    assert len(texts) > 2 and all(len(text) <= MAX_TEXT for text in texts)
    assert all(text.startswith("Paragraph") for text in texts[:-2]), "each piece starts at a paragraph"
    assert texts[-2].endswith("1. 🏠 Main menu")
    assert texts[-1].splitlines() == ["Where to meet:", "", "📍 Cổ Loa Citadel", "Cổ Loa, Đông Anh, Hà Nội",
                                      "🗺 https://maps.example/co-loa", "", "2. 📝 Register"]  # fmt: skip


def test_a_published_picture_goes_before_its_text_as_a_photo_by_url() -> None:
    [photo, text] = zalo_messages([Reply("🎫 Your ticket.\n\nAB12-CD34", image_url="https://bot.example.org/files/1")])
    assert (photo.photo_url, photo.text) == ("https://bot.example.org/files/1", "")
    assert text.photo_url is None and text.text.endswith("AB12-CD34")
