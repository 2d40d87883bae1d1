"""Checking what people type into forms: names, free text, e-mail addresses, phone numbers."""

from __future__ import annotations

import unicodedata
from typing import Final

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from bot.core.i18n import _

MAX_NAME: Final = 100
MAX_TEXT: Final = 300
DEFAULT_REGION: Final = "VN"


class InvalidField(ValueError):
    """An answer that cannot be used; the message (in the user's language) says what to fix."""


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text).strip()
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs") and ch not in "\u200d" for ch in text):
        raise InvalidField(_("Please type plain text, without control characters."))
    return " ".join(text.split())


def name(text: str) -> str:
    """A person's name as in the passport: letters, spaces, hyphens, apostrophes and dots."""
    value = _clean(text)
    if not value:
        raise InvalidField(_("Please type the name; it cannot be empty."))
    if len(value) > MAX_NAME:
        raise InvalidField(_("That is too long: at most {limit} characters, please.", limit=MAX_NAME))
    if not any(ch.isalpha() for ch in value) or any(not (ch.isalpha() or ch in " -'.’") for ch in value):
        raise InvalidField(_("A name may contain only letters, spaces, hyphens, apostrophes and dots."))
    return value


def short_text(text: str, *, limit: int = MAX_NAME) -> str:
    """A short free answer such as an organisation, a position or a nationality."""
    value = _clean(text)
    if not value:
        raise InvalidField(_("Please type an answer; it cannot be empty."))
    if len(value) > limit:
        raise InvalidField(_("That is too long: at most {limit} characters, please.", limit=limit))
    return value


def long_text(text: str) -> str:
    """A longer free answer such as dietary or access needs."""
    return short_text(text, limit=MAX_TEXT)


def email(text: str) -> str:
    """A well-formed e-mail address (not checked for delivery: the bot works offline)."""
    try:
        return str(validate_email(_clean(text), check_deliverability=False).normalized)
    except EmailNotValidError:
        raise InvalidField(_("That does not look like an e-mail address. Example: name@embassy.org")) from None


def phone(text: str) -> str:
    """A valid phone number, in international form; Vietnamese numbers may omit +84."""
    try:
        number = phonenumbers.parse(_clean(text), DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise InvalidField(_("That does not look like a phone number. Example: +84 912 345 678")) from None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


def email_or_phone(text: str) -> str:
    """An e-mail address or a phone number."""
    if "@" in text:
        return email(text)
    try:
        return phone(text)
    except InvalidField:
        raise InvalidField(_("Please type an e-mail address or a phone number.")) from None
