"""Participant lists for staff, as CSV and XLSX, which cannot attack the computer that opens them: what
strangers typed never becomes a formula (OWASP's CSV-injection rule)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Final
from zoneinfo import ZoneInfo

from bot.db.models import Registration

FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
"""A cell beginning with one of these is a formula to a spreadsheet program (or the start of one)."""

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


def neutralised(cell: str) -> str:
    """``cell`` as text a spreadsheet shows and never evaluates: one beginning like a formula gets a leading
    apostrophe (``=HYPERLINK(…)`` → ``'=HYPERLINK(…)``; a phone ``+84 …`` → ``'+84 …``)."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def to_csv(registrations: Sequence[Registration], zone: ZoneInfo) -> bytes:
    """UTF-8 CSV with a byte-order mark, so spreadsheet programs read the diacritics right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows([neutralised(cell) for cell in row] for row in rows(registrations, zone))
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(registrations: Sequence[Registration], zone: ZoneInfo, title: str) -> bytes:
    """An Excel workbook with one sheet; a cell that looks like a formula is text with Excel's quote prefix
    (shown as typed, never evaluated)."""
    from openpyxl import Workbook  # imported when first needed: 9 MB a process otherwise

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(list(COLUMNS))
    for row in rows(registrations, zone):
        sheet.append(row)
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if str(cell.value).startswith(FORMULA_STARTS):  # openpyxl would store "=…" as a formula
                cell.data_type = "s"
                cell.quotePrefix = True  # as Excel marks text typed after an apostrophe
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
