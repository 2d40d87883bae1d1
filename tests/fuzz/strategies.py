"""Hypothesis strategies for what strangers can send: Telegram updates generated from the Bot API
specification (tests/fake_bot_api/api.json: any update type, optional fields present or not), Zalo payloads
in every documented shape and some undocumented ones, console lines; strings chosen to be hostile."""

from __future__ import annotations

from functools import cache
from typing import Any, Final

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from tests.fake_bot_api.spec import ARRAY, BotApiSpec

SPEC: Final = BotApiSpec.load()
DEEPEST: Final = 3
"""Below this depth only required fields are generated (reply_to_message of reply_to_message of …)."""
BOTTOM: Final = 8
"""Below this depth no object is generated: a type whose required fields nest it again (RichText in RichText)
takes one of its forms that ends."""

HOSTILE_STRINGS: Final = [
    "", " ", "/start", "/start " + "x" * 200, "/start checkin-", "/checkin ' OR 1=1 --", "/staff", "/broadcast",
    "/language xx", "/forget", "<b>bold</b>", "</a><script>alert(1)</script>", "&amp;&lt;", "{name}", "{0}", "%s%n",
    "\u202e\u200b\ufeff", "\x00\x01\x1b[31m", "🙂" * 30, "Bát Tràng", "Cổ Loa ở đâu?", "=HYPERLINK(\"x\")",
    "a" * 5000, "\n\n\n", "@haufo_test_bot", "tour:spring-2027-co-loa", "mycancel:1:yes", "²", "٣", "1²",
]  # fmt: skip
UNIX_TIMES: Final = st.integers(0, 2**32 - 1)
"""Dates are Unix times: Telegram sends no other."""
IDENTIFIERS: Final = st.integers(-(2**52), 2**52)
"""Ids have at most 52 significant bits; other integers (durations, sizes, counts) fit in 32."""
hostile_text: Final = st.one_of(st.sampled_from(HOSTILE_STRINGS), st.text(max_size=60), st.text(min_size=300))


def _primitive(name: str) -> SearchStrategy[Any]:
    if name == "Integer":
        return st.integers(-(2**31), 2**31 - 1)
    if name == "Float":
        return st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
    if name == "Boolean":
        return st.booleans()
    return hostile_text


@cache
def value_of(type_expr: str, depth: int = 0) -> SearchStrategy[Any]:
    """Any JSON value of ``type_expr`` as the specification describes it."""
    if type_expr.startswith(ARRAY):
        inner = value_of(type_expr.removeprefix(ARRAY), depth + 1)
        return st.lists(inner, max_size=2 if depth < DEEPEST else 0)
    spec = SPEC.types.get(type_expr)
    if spec is None:
        return _primitive(type_expr)
    if depth > BOTTOM:
        return st.nothing()
    if spec.subtypes:
        return st.one_of([value_of(subtype, depth) for subtype in spec.subtypes])
    fields = spec.fields or {}
    constant = dict([spec.discriminator]) if spec.discriminator else {}

    def field_value(name: str, types: tuple[str, ...]) -> SearchStrategy[Any]:
        if name in constant:
            return st.just(constant[name])
        if types == ("Integer",) and (name == "date" or name.endswith("_date")):
            return UNIX_TIMES
        if types == ("Integer",) and (name == "id" or name.endswith("_id")):
            return IDENTIFIERS
        return st.one_of([value_of(t, depth + 1) for t in types])

    required = {name: field_value(name, f.types) for name, f in fields.items() if f.required}
    if depth >= DEEPEST:
        return st.fixed_dictionaries(required)
    optional = {name: field_value(name, f.types) for name, f in fields.items() if not f.required}
    return st.fixed_dictionaries(required, optional=optional)


@st.composite
def telegram_updates(draw: st.DrawFn) -> dict[str, Any]:
    """An update of any type (exactly one optional field, as the specification says)."""
    fields = SPEC.types["Update"].fields or {}
    kind = draw(st.sampled_from(sorted(name for name, f in fields.items() if not f.required)))
    body = draw(st.one_of([value_of(t, 1) for t in fields[kind].types]))
    return {"update_id": draw(st.integers(1, 2**31)), kind: body}


@st.composite
def private_telegram_messages(draw: st.DrawFn) -> dict[str, Any]:
    """A message of any kind a person sends the bot in a private chat: it must be answered."""
    message = draw(value_of("Message", 1))
    person = draw(value_of("User", 2)) | {"is_bot": False, "id": draw(st.integers(1, 2**40))}
    message |= {"from": person, "chat": {"id": person["id"], "type": "private"}}
    for service in ("via_bot", "sender_chat", "sender_business_bot", "business_connection_id"):
        message.pop(service, None)
    return {"update_id": draw(st.integers(1, 2**31)), draw(st.sampled_from(["message", "edited_message"])): message}


ZALO_EVENTS: Final = [
    "message.text.received", "message.image.received", "message.sticker.received", "message.voice.received",
    "message.unsupported.received", "message.link.received", "user.follow", "", "x",
]  # fmt: skip
json_scalars: Final = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), hostile_text)
anything: Final = st.recursive(json_scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                               st.dictionaries(st.text(max_size=10), inner, max_size=3)), max_leaves=8)  # fmt: skip


@st.composite
def zalo_payloads(draw: st.DrawFn) -> dict[str, Any]:
    """A Zalo update, flat or wrapped in ``{ok, result}``, with any field missing, of another type or hostile."""
    user = draw(st.one_of(st.text(alphabet="0123456789abcdef", min_size=1, max_size=20), anything))
    message = draw(st.fixed_dictionaries(
        {},
        optional={
            "from": st.fixed_dictionaries({"id": st.just(user)}, optional={"display_name": hostile_text,
                                          "is_bot": st.booleans(), "first_name": anything}),
            "chat": st.fixed_dictionaries({"id": st.just(user)}, optional={"chat_type": st.sampled_from(
                ["PRIVATE", "GROUP", "", "x"])}),
            "message_id": st.one_of(st.text(max_size=20), anything), "date": anything, "text": hostile_text,
            "caption": hostile_text, "photo_url": hostile_text, "voice_url": hostile_text, "sticker": anything,
        },
    ))  # fmt: skip
    update = draw(
        st.fixed_dictionaries(
            {"message": st.just(message)}, optional={"event_name": st.one_of(st.sampled_from(ZALO_EVENTS), anything)}
        )
    )
    return draw(st.sampled_from([update, {"ok": True, "result": update}]))  # fmt: skip


@st.composite
def private_zalo_texts(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """A text or image from a person, well formed, with hostile contents: it must be answered."""
    user = draw(st.text(alphabet="0123456789abcdef", min_size=8, max_size=20))
    event = draw(st.sampled_from(ZALO_EVENTS[:5]))
    message = {"from": {"id": user, "display_name": draw(hostile_text), "is_bot": False},
               "chat": {"id": user, "chat_type": "PRIVATE"}, "message_id": draw(st.uuids()).hex,
               "date": draw(st.integers(0, 2**42)), "text": draw(hostile_text), "caption": draw(hostile_text),
               "photo_url": "https://photo-stal.zadn.vn/x.jpg"}  # fmt: skip
    return user, {"event_name": event, "message": message}


console_lines: Final = st.lists(st.one_of(hostile_text, st.integers(-5, 60).map(str)), min_size=1, max_size=6)
"""What someone types at the console, a few lines at a time: text, commands, button numbers."""
