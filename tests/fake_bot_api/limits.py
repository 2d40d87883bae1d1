"""Limits real Telegram enforces beyond the types of api.json (lengths, formatting, buttons, commands)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from tests.fake_bot_api.entities import EntityParseError
from tests.fake_bot_api.formatting import UnsupportedParseMode, parse_formatted

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_ANSWER = 200
MAX_COMMANDS = 100
BUTTON_NON_ACTIONS = frozenset({"text", "icon_custom_emoji_id", "style"})
KEYBOARD_BUTTON_REQUESTS = frozenset(
    {"request_users", "request_chat", "request_managed_bot", "request_contact", "request_location", "request_poll"}
) | {"web_app"}
BUTTON_URL_RE = re.compile(r"(?:https?|tg)://\S+|t\.me/\S+", re.IGNORECASE)
COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
LANGUAGE_RE = re.compile(r"[a-z]{2}")
CHAT_ID_RE = re.compile(r"-?\d{1,19}|@[A-Za-z][A-Za-z0-9_]{3,31}")
TEXT_METHODS = frozenset({"sendMessage", "editMessageText"})
POLL_QUESTION, POLL_OPTION, POLL_OPTIONS, POLL_EXPLANATION, POLL_EXPLANATION_LINES = 300, 100, 12, 200, 2
POLL_PERIOD = (5, 2_628_000)

Violations = list[str]


def formatted_length(
    value: str, parse_mode: object, path: str, *, high: int, what: str, empty: bool = False
) -> Violations:
    """Check that `value` parses with `parse_mode` and has at most `high` characters (and some, unless `empty`)."""
    try:
        length = len(parse_formatted(value, parse_mode).text)
    except EntityParseError as error:
        return [f"{path}: can't parse entities: {error}"]
    except UnsupportedParseMode as error:
        return [f"{path}: {error}"]
    if length == 0 and not empty:
        return [f"{path}: message text is empty (after entity parsing and trimming)"]
    if length > high:
        return [f"{path}: {what} is too long ({length} characters after entity parsing; at most {high})"]
    return []


def _caption(obj: Mapping[str, Any], path: str) -> Violations:
    """Captions anywhere: 0-1024 characters after entity parsing."""
    caption = obj.get("caption")
    if not isinstance(caption, str):
        return []
    return formatted_length(
        caption, obj.get("parse_mode"), f"{path}caption", high=MAX_CAPTION, what="message caption", empty=True
    )


def _inline_button(button: Mapping[str, Any], path: str) -> Violations:
    """Exactly one action; callback_data of 1-64 bytes; a usable URL."""
    errors = []
    actions = sorted(key for key, value in button.items() if key not in BUTTON_NON_ACTIONS and value is not None)
    if len(actions) != 1:
        found = ", ".join(actions) or "none"
        errors.append(f"{path}: an InlineKeyboardButton must have exactly one action field, found {found}")
    data = button.get("callback_data")
    if isinstance(data, str) and not 1 <= len(data.encode("utf-8")) <= 64:
        size = len(data.encode("utf-8"))
        errors.append(f"{path}.callback_data: BUTTON_DATA_INVALID, must be 1-64 bytes in UTF-8, got {size}")
    url = button.get("url")
    if isinstance(url, str) and not BUTTON_URL_RE.fullmatch(url):
        errors.append(f"{path}.url: inline keyboard button URL {url!r} is invalid")
    return errors


def _keyboard_button(button: Mapping[str, Any], path: str) -> Violations:
    """A reply keyboard button requests at most one thing."""
    requests = sorted(key for key in button if key in KEYBOARD_BUTTON_REQUESTS and button[key] is not None)
    if len(requests) > 1:
        return [f"{path}: a KeyboardButton can have at most one of {', '.join(requests)}"]
    return []


def _bot_command(command: Mapping[str, Any], path: str) -> Violations:
    """1-32 characters of [a-z0-9_]; a description of 1-256 characters."""
    errors = []
    if not COMMAND_RE.fullmatch(command["command"]):
        errors.append(f"{path}.command: BOT_COMMAND_INVALID, {command['command']!r} is not 1-32 of [a-z0-9_]")
    if not 1 <= len(command["description"].strip()) <= 256:
        errors.append(f"{path}.description: BOT_COMMAND_DESCRIPTION_INVALID, must be 1-256 characters")
    return errors


def _text_content(content: Mapping[str, Any], path: str) -> Violations:
    """Inline results' message text: 1-4096 characters after entity parsing."""
    return formatted_length(
        content["message_text"], content.get("parse_mode"), f"{path}.message_text", high=MAX_TEXT, what="message"
    )


TYPE_RULES: dict[str, Callable[[Mapping[str, Any], str], Violations]] = {
    "InlineKeyboardButton": _inline_button,
    "KeyboardButton": _keyboard_button,
    "BotCommand": _bot_command,
    "InputTextMessageContent": _text_content,
}


def object_rules(type_name: str, obj: Mapping[str, Any], path: str) -> Violations:
    """Limits of one object that already has the right field types."""
    rule = TYPE_RULES.get(type_name)
    errors = rule(obj, path) if rule else []
    return errors + _caption(obj, f"{path}.")


def _poll(params: Mapping[str, Any]) -> Violations:
    """sendPoll: question 1-300, 1-12 options of 1-100 characters, an explanation of 0-200 characters with
    at most 2 line feeds, an open period of 5-2628000 seconds; a quiz names its correct options, in
    increasing order, among the options, and cannot be anonymous-only without them."""
    errors = []
    question, options = params["question"], params["options"]
    if not 1 <= len(question.strip()) <= POLL_QUESTION:
        errors.append(f"question: POLL_QUESTION_INVALID, {len(question)} characters, must be 1-{POLL_QUESTION}")
    if not 1 <= len(options) <= POLL_OPTIONS:
        errors.append(f"options: POLL_ANSWERS_INVALID, {len(options)} options, must be 1-{POLL_OPTIONS}")
    for index, option in enumerate(options):
        text = option.get("text", "") if isinstance(option, Mapping) else ""
        if not 1 <= len(text.strip()) <= POLL_OPTION:
            size = len(text)
            errors.append(f"options[{index}].text: POLL_OPTION_INVALID, {size} characters, must be 1-{POLL_OPTION}")
    explanation = params.get("explanation")
    if isinstance(explanation, str) and (
        len(explanation) > POLL_EXPLANATION or explanation.count("\n") > POLL_EXPLANATION_LINES
    ):
        errors.append(f"explanation: must be 0-{POLL_EXPLANATION} characters with at most 2 line feeds")
    period = params.get("open_period")
    low, high = POLL_PERIOD
    if period is not None and not low <= period <= high:
        errors.append(f"open_period: must be {low}-{high} seconds, got {period}")
    correct = params.get("correct_option_ids")
    if params.get("type") == "quiz":
        if not correct:
            errors.append("correct_option_ids: required for polls in quiz mode")
        elif sorted(set(correct)) != list(correct) or not all(0 <= i < len(options) for i in correct):
            errors.append(f"correct_option_ids: must increase and name options, got {correct}")
    elif correct is not None:
        errors.append("correct_option_ids: only for polls in quiz mode")
    return errors


def method_rules(method: str, params: Mapping[str, Any]) -> Violations:
    """Limits of a whole call whose parameters already have the right types."""
    errors = _caption(params, "")
    if method == "sendPoll":
        errors += _poll(params)
    text = params.get("text")
    if method in TEXT_METHODS and isinstance(text, str):
        errors += formatted_length(text, params.get("parse_mode"), "text", high=MAX_TEXT, what="message")
    if method == "answerCallbackQuery" and isinstance(text, str) and len(text) > MAX_CALLBACK_ANSWER:
        errors.append(f"text: MESSAGE_TOO_LONG, {len(text)} characters, at most {MAX_CALLBACK_ANSWER}")
    if method == "setMyCommands" and len(params["commands"]) > MAX_COMMANDS:
        errors.append(f"commands: at most {MAX_COMMANDS} commands, got {len(params['commands'])}")
    language = params.get("language_code")
    if re.fullmatch(r"(set|get|delete)My\w+", method) and language and not LANGUAGE_RE.fullmatch(language):
        errors.append(f"language_code: invalid language code specified: {language!r} (empty or ISO 639-1, like 'en')")
    chat_id = params.get("chat_id")
    if isinstance(chat_id, str) and not CHAT_ID_RE.fullmatch(chat_id):
        errors.append(f"chat_id: chat not found ({chat_id!r} is neither a number nor an @username)")
    return errors
