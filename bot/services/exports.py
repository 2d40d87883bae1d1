"""Participant lists for staff, as CSV and XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from bot.db.models import Registration

COLUMNS = ("id", "status", "seats", "name", "guests", "nationality", "organisation", "position", "email", "phone",
           "contact", "level", "needs", "registered", "checked in")  # fmt: skip


def rows(registrations: Sequence[Registration], zone: ZoneInfo) -> list[list[str]]:
    """One row per registration, in the order of ``COLUMNS``."""
    table = []
    for registration in registrations:
        details = registration.details or {}
        checked_in = registration.checked_in_at
        table.append([
            str(registration.id), registration.status, str(registration.seats), details.get("name", ""),
            ", ".join(details.get("guest_names", [])), details.get("nationality", ""),
            details.get("organisation", ""), details.get("position", ""), details.get("email", ""),
            details.get("phone", ""), details.get("contact", ""), details.get("level", ""), details.get("needs", ""),
            registration.created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            checked_in.astimezone(zone).strftime("%Y-%m-%d %H:%M") if checked_in else "",
        ])  # fmt: skip
    return table


def to_csv(registrations: Sequence[Registration], zone: ZoneInfo) -> bytes:
    """UTF-8 CSV with a byte-order mark, so spreadsheet programs read the diacritics right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(rows(registrations, zone))
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(registrations: Sequence[Registration], zone: ZoneInfo, title: str) -> bytes:
    """An Excel workbook with one sheet."""
    from openpyxl import Workbook  # imported when first needed: 9 MB a process otherwise

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(list(COLUMNS))
    for row in rows(registrations, zone):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
