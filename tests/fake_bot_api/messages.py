"""Message objects the fake returns for send*/edit* calls, shaped like Telegram's so clients parse them."""

from __future__ import annotations

import copy
import itertools
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tests.fake_bot_api.errors import ApiError
from tests.fake_bot_api.formatting import parse_formatted
from tests.fake_bot_api.request_body import Upload

BOT_ID = 7000000001
BOT_USERNAME = "haufo_test_bot"
BOT_USER: dict[str, Any] = {"id": BOT_ID, "is_bot": True, "first_name": "HAUFO test bot", "username": BOT_USERNAME}
GET_ME: dict[str, Any] = {
    **BOT_USER,
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
    "can_connect_to_business": False,
    "has_main_web_app": False,
}
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are exactly the same "
    "as a current content and reply markup of the message"
)
FILE_FIELDS = {
    "sendPhoto": "photo",
    "sendDocument": "document",
    "sendAudio": "audio",
    "sendVoice": "voice",
    "sendVideo": "video",
    "sendAnimation": "animation",
    "sendVideoNote": "video_note",
    "sendSticker": "sticker",
}
FILE_DEFAULTS: dict[str, dict[str, Any]] = {
    "audio": {"duration": 1},
    "voice": {"duration": 1, "mime_type": "audio/ogg"},
    "video": {"duration": 1, "width": 640, "height": 360},
    "animation": {"duration": 1, "width": 320, "height": 240},
    "video_note": {"duration": 1, "length": 240},
    "sticker": {"type": "regular", "width": 512, "height": 512, "is_animated": False, "is_video": False},
}


@dataclass(frozen=True)
class StoredFile:
    """A file known to the fake, downloadable with getFile."""

    file_id: str
    file_unique_id: str
    content: bytes
    file_name: str | None = None
    mime_type: str | None = None

    def file_path(self) -> str:
        """Where getFile says the file is."""
        return f"documents/{self.file_unique_id}_{self.file_name or 'file'}"


def chat_key(chat_id: int | str) -> int | str:
    """A chat id as an int when it is numeric ("@name" stays a string)."""
    if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
        return int(chat_id)
    return chat_id


class Outbox:
    """The bot's messages per chat (ids increase per chat), files, and chats learned from updates; not locked."""

    def __init__(self) -> None:
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.files: dict[str, StoredFile] = {}
        self.chats: dict[int, dict[str, Any]] = {}
        self._next_message_id: dict[int, int] = {}
        self._file_numbers = itertools.count(1)
        self.polls = 0

    def learn_chats(self, value: object) -> None:
        """Remember every chat object in an update, so replies carry the chat's real title or names."""
        if isinstance(value, dict):
            if isinstance(value.get("chat"), dict) and "id" in value["chat"] and "type" in value["chat"]:
                self.chats[value["chat"]["id"]] = copy.deepcopy(value["chat"])
            for item in value.values():
                self.learn_chats(item)
        elif isinstance(value, list):
            for item in value:
                self.learn_chats(item)

    def chat(self, chat_id: int | str) -> dict[str, Any]:
        """The chat object for a chat_id: a known one, or a private chat (id > 0) or supergroup (id < 0)."""
        key = chat_key(chat_id)
        if isinstance(key, str):
            found = next((c for c in self.chats.values() if f"@{c.get('username')}" == key), None)
            return found or {"id": -1000000000000 - zlib.crc32(key.encode()), "type": "supergroup", "username": key[1:]}
        if key in self.chats:
            return copy.deepcopy(self.chats[key])
        if key > 0:
            return {"id": key, "type": "private", "first_name": "User"}
        return {"id": key, "type": "supergroup", "title": "Group"}

    def new_message(self, chat_id: int | str) -> dict[str, Any]:
        """A new message of the bot with the chat's next message_id."""
        chat = self.chat(chat_id)
        message_id = self._next_message_id.get(chat["id"], 1)
        self._next_message_id[chat["id"]] = message_id + 1
        return {"message_id": message_id, "from": dict(BOT_USER), "chat": chat, "date": int(time.time())}

    def store_file(self, value: object, upload: Upload | None) -> StoredFile:
        """The file sent as an upload, a known file_id, or a URL / unknown file_id (taken as valid)."""
        if upload is None and isinstance(value, str) and value in self.files:
            return self.files[value]
        number = next(self._file_numbers)
        name = upload.filename if upload else (str(value).rsplit("/", 1)[-1] or None)
        stored = StoredFile(
            file_id=f"BQACAgIAAxkBAAIfake{number:08d}",
            file_unique_id=f"AgADfake{number:08d}",
            content=upload.content if upload else b"",
            file_name=name,
            mime_type=upload.content_type if upload and upload.content_type else None,
        )
        self.files[stored.file_id] = stored
        return stored

    def media(self, kind: str, value: object, upload: Upload | None, params: Mapping[str, Any]) -> Any:
        """The message field of a sent file ("photo" is a list of sizes, others one object)."""
        stored = self.store_file(value, upload)
        base: dict[str, Any] = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
        base["file_size"] = len(stored.content)
        if kind == "photo":
            return [{**base, "width": 320, "height": 240}, {**base, "width": 800, "height": 600}]
        if kind in ("document", "audio", "video", "animation") and stored.file_name:
            base["file_name"] = stored.file_name
        if stored.mime_type and kind != "sticker":
            base["mime_type"] = stored.mime_type
        extra = {key: params[key] for key in ("duration", "width", "height") if key in params}
        return {**FILE_DEFAULTS.get(kind, {}), **base, **extra}


def formatted(params: Mapping[str, Any], key: str, entities_key: str) -> dict[str, Any]:
    """The text or caption of a message as Telegram stores it: parsed, trimmed, with its entities."""
    if not isinstance(params.get(key), str):
        return {}
    parsed = parse_formatted(params[key], params.get("parse_mode"))
    entities = list(parsed.entities) or params.get(entities_key) or []
    result: dict[str, Any] = {key: parsed.text} if parsed.text else {}
    if entities:
        result[entities_key] = entities
    return result


def content(method: str, params: Mapping[str, Any], files: Mapping[str, Upload], outbox: Outbox) -> dict[str, Any]:
    """The content fields of the message a send* call creates."""
    result: dict[str, Any] = {}
    if method == "sendMessage":
        result.update(formatted(params, "text", "entities"))
    if method in FILE_FIELDS:
        kind = FILE_FIELDS[method]
        result[kind] = outbox.media(kind, params.get(kind), files.get(kind), params)
    if method in ("sendLocation", "sendVenue"):
        result["location"] = {"latitude": params["latitude"], "longitude": params["longitude"]}
    if method == "sendVenue":
        venue_keys = ("title", "address", "foursquare_id", "foursquare_type", "google_place_id", "google_place_type")
        result["venue"] = {"location": result["location"], **{k: params[k] for k in venue_keys if k in params}}
    if method == "sendContact":
        result["contact"] = {k: params[k] for k in ("phone_number", "first_name", "last_name", "vcard") if k in params}
    if method == "sendPoll":
        result["poll"] = poll(params, outbox)
    if method == "sendDice":
        result["dice"] = {"emoji": params.get("emoji", "🎲"), "value": 1}
    result.update(formatted(params, "caption", "caption_entities"))
    return result


def poll(params: Mapping[str, Any], outbox: Outbox) -> dict[str, Any]:
    """The Poll a sendPoll call creates (its id is new; nobody has voted yet)."""
    outbox.polls += 1
    options = [{"persistent_id": str(index), "text": option["text"], "voter_count": 0}
               for index, option in enumerate(params["options"])]  # fmt: skip
    created = {
        "id": f"5{outbox.polls:018d}", "question": params["question"], "options": options, "total_voter_count": 0,
        "is_closed": bool(params.get("is_closed", False)), "is_anonymous": bool(params.get("is_anonymous", True)),
        "type": params.get("type", "regular"), "allows_multiple_answers": bool(params.get("allows_multiple_answers")),
        "allows_revoting": bool(params.get("allows_revoting", params.get("type") != "quiz")), "members_only": False,
    }  # fmt: skip
    for key in ("explanation", "open_period", "description"):
        if key in params:
            created[key] = params[key]
    return created


def inline_markup(params: Mapping[str, Any]) -> dict[str, Any]:
    """The reply_markup Telegram echoes on a message: only an inline keyboard."""
    markup = params.get("reply_markup")
    return {"reply_markup": markup} if isinstance(markup, dict) and "inline_keyboard" in markup else {}


def send(method: str, params: Mapping[str, Any], files: Mapping[str, Upload], outbox: Outbox) -> dict[str, Any]:
    """Create, store and return the message of a send* call."""
    message = outbox.new_message(params["chat_id"])
    message.update(content(method, params, files, outbox))
    message.update(inline_markup(params))
    reply = params.get("reply_parameters")
    if isinstance(reply, dict):
        replied = outbox.messages.get((message["chat"]["id"], reply.get("message_id", 0)))
        if replied:
            message["reply_to_message"] = copy.deepcopy(replied)
    outbox.messages[message["chat"]["id"], message["message_id"]] = message
    return copy.deepcopy(message)


def send_media_group(params: Mapping[str, Any], files: Mapping[str, Upload], outbox: Outbox) -> list[dict[str, Any]]:
    """Create, store and return the messages of a sendMediaGroup call (one per item, sharing a media_group_id)."""
    group_id = f"1{len(outbox.messages):017d}"
    sent = []
    for item in params["media"]:
        kind, value = item["type"], item["media"]
        upload = files.get(value.removeprefix("attach://")) if value.startswith("attach://") else None
        message = outbox.new_message(params["chat_id"])
        message.update({"media_group_id": group_id, kind: outbox.media(kind, value, upload, item)})
        message.update(formatted(item, "caption", "caption_entities"))
        outbox.messages[message["chat"]["id"], message["message_id"]] = message
        sent.append(copy.deepcopy(message))
    return sent


def edit(method: str, params: Mapping[str, Any], outbox: Outbox) -> dict[str, Any] | bool:
    """Apply an edit* call to a stored message (an unknown one is taken as existing); True for inline messages."""
    if "inline_message_id" in params:
        return True
    chat = outbox.chat(params["chat_id"])
    key = (chat["id"], params["message_id"])
    old = outbox.messages.get(key)
    base = old or {"message_id": params["message_id"], "from": dict(BOT_USER), "chat": chat, "date": int(time.time())}
    message = {k: v for k, v in base.items() if k not in ("reply_markup", "edit_date")}
    if method == "editMessageText":
        for k in ("text", "entities"):
            message.pop(k, None)
        message.update(formatted(params, "text", "entities"))
    elif method == "editMessageCaption":
        for k in ("caption", "caption_entities"):
            message.pop(k, None)
        message.update(formatted(params, "caption", "caption_entities"))
    message.update(inline_markup(params))
    if old is not None and {k: v for k, v in old.items() if k != "edit_date"} == message:
        raise ApiError(400, NOT_MODIFIED)
    message["edit_date"] = int(time.time())
    outbox.messages[key] = message
    return copy.deepcopy(message)
