"""Lists longer than a screen, shown a page at a time with previous/next buttons."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from bot.core.i18n import _
from bot.core.messages import Button, InvalidPayload, Reply, make_payload
from handlers.menu import home_button

PAGE_SIZE: Final = 5


@dataclass(frozen=True)
class Entry:
    """One line of a list: its text, and the button that opens it."""

    line: str
    button: Button


def page_of(index: int) -> int:
    """The page that shows entry ``index``."""
    return index // PAGE_SIZE


def paged_list(title: str, entries: Sequence[Entry], page: int, page_prefix: str) -> Reply:
    """Page ``page`` of ``entries`` under ``title``, with navigation; ``InvalidPayload`` past the end."""
    pages = max(1, -(-len(entries) // PAGE_SIZE))
    if not 0 <= page < pages:
        raise InvalidPayload(f"page {page} of a {pages}-page list")
    shown = entries[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    lines = [title, ""]
    lines += [entry.line for entry in shown] if shown else [_("Nothing here yet. Please check again later.")]
    rows: list[tuple[Button, ...]] = [(entry.button,) for entry in shown]
    navigation: list[Button] = []
    if page > 0:
        navigation.append(Button(_("◀ Previous"), make_payload(page_prefix, page - 1)))
    if page + 1 < pages:
        navigation.append(Button(_("Next ▶"), make_payload(page_prefix, page + 1)))
    if pages > 1:
        lines += ["", _("Page {page} of {pages}", page=page + 1, pages=pages)]
    if navigation:
        rows.append(tuple(navigation))
    rows.append((home_button(),))
    return Reply("\n".join(lines), tuple(rows), replace=True)


def card_navigation(back_label: str, list_prefix: str, index: int) -> tuple[Button, ...]:
    """The row under a card: back to the list page it came from, and home."""
    return (Button(back_label, make_payload(list_prefix, page_of(index))), home_button())
