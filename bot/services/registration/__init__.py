"""Registering for courses and tours: seats, approval, the waiting list and offers of freed seats,
check-in, and erasing personal data once an offering is long over."""

from __future__ import annotations

from bot.services.registration.check_in import CheckIn, CheckIns
from bot.services.registration.purge import purge_personal_data
from bot.services.registration.registrations import Registrations
from bot.services.registration.rules import (
    CONSENT_VERSION,
    AlreadyRegistered,
    RegistrationClosed,
    RegistrationError,
    Rules,
)
from bot.services.registration.waiting_list import Offer, WaitingList

__all__ = [
    "CONSENT_VERSION",
    "AlreadyRegistered",
    "CheckIn",
    "CheckIns",
    "Offer",
    "RegistrationClosed",
    "RegistrationError",
    "Registrations",
    "Rules",
    "WaitingList",
    "purge_personal_data",
]
