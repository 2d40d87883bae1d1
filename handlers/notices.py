"""Messages the bot starts itself, rendered at send time in the recipient's language."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from bot.core.content import Course, Event, Place, Tour
from bot.core.i18n import _, ngettext, use_locale
from bot.core.languages import Language
from bot.core.messages import Button, Reply, make_payload
from bot.core.notices import Notice, Template
from bot.core.problems import UnknownContent
from bot.services.broadcasts import (
    BROADCAST,
    CORRECTION,
    PAUSED,
    PROGRESS,
    STOPPED,
    WITHDRAWAL,
    card_kind,
    text_for,
)
from bot.services.digest import DIGEST
from bot.services.offerings import occasions, offering
from bot.services.reminders import EVENT_REMINDER, REMINDER, TIME_CHANGED
from handlers.content_notices import CONTENT_NOTICES
from handlers.formatting import day_with_lunar, joined, venue
from handlers.menu import home_button
from handlers.quiz import QUIZ_NOTICES
from handlers.subscriptions import STOP as STOP_ANNOUNCEMENTS


async def offer(params: dict[str, Any], notice: Notice) -> list[Reply]:
    """A place freed up: accept or decline before the deadline."""
    title = offering(notice.content, params["offering"]).title(notice.locale.language)
    deadline = notice.locale.datetime(dt.datetime.fromisoformat(params["expires_at"]))
    seats = ngettext("{n} seat", "{n} seats", int(params["seats"]))
    text = _("🎟 Good news: {seats} on {title} freed up for you. Please answer by {deadline}.",
             seats=seats, title=title, deadline=deadline)  # fmt: skip
    registration = params["registration"]
    buttons = (
        (Button(_("✅ Accept"), make_payload("offer", registration, "yes")),
         Button(_("✖ Decline"), make_payload("offer", registration, "no"))),
        (home_button(),),
    )  # fmt: skip
    return [Reply(text, buttons)]


async def offer_expired(params: dict[str, Any], notice: Notice) -> list[Reply]:
    """An offer was not answered in time and passed to the next person."""
    title = offering(notice.content, params["offering"]).title(notice.locale.language)
    return [Reply(_("The place offered to you on {title} was not taken in time and has passed to the next "
                    "person on the waiting list.", title=title), ((home_button(),),))]  # fmt: skip


async def approved(params: dict[str, Any], notice: Notice) -> list[Reply]:
    """Staff confirmed a place that needed approval."""
    title = offering(notice.content, params["offering"]).title(notice.locale.language)
    return [Reply(_("✅ Good news: your place for {title} is confirmed. See you there!", title=title),
                  ((Button(_("📋 My registrations"), "my"),),))]  # fmt: skip


async def rejected(params: dict[str, Any], notice: Notice) -> list[Reply]:
    """Staff could not offer a place that needed approval."""
    title = offering(notice.content, params["offering"]).title(notice.locale.language)
    return [Reply(_("We are sorry: we cannot offer you a place for {title} this time. Please contact us if you "
                    "have any questions.", title=title), ((home_button(),),))]  # fmt: skip


async def staff_reply(params: dict[str, Any], notice: Notice) -> list[Reply]:
    """A staff member answered a question the bot could not."""
    text = _("💬 Our staff answered your question “{question}”:", question=params["question"])
    return [Reply(f"{text}\n\n{params['reply']}", ((home_button(),),))]


def _when(notice: Notice, moment: dt.datetime) -> tuple[str, str]:
    """The date (with the lunar date around Tết) and the clock time of ``moment``, for the reader."""
    locale = notice.locale
    return day_with_lunar(locale, moment.astimezone(locale.timezone).date()), locale.time(moment)


async def reminder(params: dict[str, Any], notice: Notice) -> list[Reply]:
    """A reminder of a confirmed place, each with its own job: the day before, the plan and "still coming?";
    on the day, that it is today, how soon, exactly where and whom to call; a course's first class apart from
    the weekly ones."""
    item = offering(notice.content, params["offering"])
    moment = dt.datetime.fromisoformat(params["occasion"])
    on_the_day = bool(params.get("venue"))  # the reminder hours before, which brings the pin
    if isinstance(item, Tour):
        lines = _tour_on_the_day(item, moment, notice) if on_the_day else _tour_day_before(item, moment, notice)
    else:
        lines = _course_reminder(item, moment, notice, on_the_day)
    rows: list[tuple[Button, ...]] = []
    if params.get("ask"):
        lines += ["", _("Still coming?")]
        registration = params["registration"]
        rows.append((Button(_("✅ Yes, I'm coming"), make_payload("coming", registration)),
                     Button("✖ " + _("Cancel my place"), make_payload("mycancel", registration))))  # fmt: skip
    rows.append((Button(_("📋 My registrations"), "my"),))
    pin = venue(notice.locale, _place(item)) if on_the_day else None
    return [Reply("\n".join(lines), tuple(rows), venue=pin)]


def _place(item: Tour | Course) -> Place:
    return item.meeting_point if isinstance(item, Tour) else item.venue


def _where(item: Tour | Course, lang: Language, on_the_day: bool) -> list[str]:
    """The meeting point or venue; on the day, also exactly where to stand and what to look for."""
    place = _place(item)
    names = {"place": place.name(lang), "address": place.address(lang)}
    lines = [_("📍 Meeting point: {place}, {address}", **names) if isinstance(item, Tour)
             else _("📍 Venue: {place}, {address}", **names)]  # fmt: skip
    if on_the_day and place.spot is not None:
        lines.append("🧭 " + place.spot(lang))
    return lines


def _tour_day_before(tour: Tour, moment: dt.datetime, notice: Notice) -> list[str]:
    """Tomorrow's plan: when and where the coach leaves, when it is back, what to bring."""
    locale, lang = notice.locale, notice.locale.language
    date, time = _when(notice, moment)
    back = locale.time(dt.time.fromisoformat(tour.return_))
    return [
        f"⏰ {tour.title(lang)}",
        _("📅 Tomorrow, {date}", date=date),
        _("🕖 Departure at {departure}, back at about {back}", departure=time, back=back),
        *_where(tour, lang, on_the_day=False),
        _("🎒 What to bring: {items}", items=tour.what_to_bring(lang)),
    ]  # fmt: skip


def _tour_on_the_day(tour: Tour, moment: dt.datetime, notice: Notice) -> list[str]:
    """The morning of the tour: it is today, how soon the coach leaves, exactly where, whom to call."""
    locale, lang = notice.locale, notice.locale.language
    _date, time = _when(notice, moment)
    if notice.now is not None and moment > notice.now:
        lines = [_("🚌 Today: {title}. The coach leaves at {time}, in about {left}.", title=tour.title(lang),
                   time=time, left=locale.duration(moment - notice.now))]  # fmt: skip
    else:
        lines = [_("🚌 Today: {title}. The coach leaves at {time}.", title=tour.title(lang), time=time)]
    lines += _where(tour, lang, on_the_day=True)
    if tour.day_phone is not None:
        lines.append(_("📞 Staff on duty today: {phone}", phone=tour.day_phone))
    return lines


def _course_reminder(course: Course, moment: dt.datetime, notice: Notice, on_the_day: bool) -> list[str]:
    """The day before the course begins; on a class day, the first class told apart from the weekly ones."""
    lang = notice.locale.language
    date, time = _when(notice, moment)
    first = moment == occasions(course, notice.locale.timezone)[0]
    if not on_the_day:
        text = _("⏰ Your course {title} begins tomorrow, {date}, at {time}.", title=course.title(lang), date=date,
                 time=time)  # fmt: skip
    elif first:
        text = _("📚 Today at {time}: the first class of your course {title}. We look forward to welcoming you.",
                 time=time, title=course.title(lang))  # fmt: skip
    else:
        text = _("📚 Class today at {time}: {title}.", time=time, title=course.title(lang))
    return [text, *_where(course, lang, on_the_day)]


async def event_reminder(params: dict[str, Any], notice: Notice) -> list[Reply]:
    """A reminder of an event the person asked to be reminded of."""
    event, lang = notice.content.events.get(params["event"]), notice.locale.language
    date, time = _when(notice, dt.datetime.fromisoformat(params["occasion"]))
    text = _("⏰ Reminder: {title}, {date} at {time}, {place}, {address}.", title=event.title(lang), date=date,
             time=time, place=event.venue.name(lang), address=event.venue.address(lang))  # fmt: skip
    buttons = ((Button(_("📄 Details"), make_payload("event", params["event"])),), (home_button(),))
    return [Reply(text, buttons, venue=venue(notice.locale, event.venue) if params.get("venue") else None)]


async def time_changed(params: dict[str, Any], notice: Notice) -> list[Reply]:
    """The content moved the time of something the person registered for or wants a reminder of."""
    item_id, content, lang = params["item"], notice.content, notice.locale.language
    item: Tour | Course | Event
    if item_id in content.events.items:
        item, card = content.events.get(item_id), make_payload("event", item_id)
    else:
        item = offering(content, item_id)
        card = make_payload("tour" if isinstance(item, Tour) else "course", item_id)
    now = params.get("now")  # rows queued by an earlier version lack it
    starts = dt.datetime.fromisoformat(now) if now else occasions(item, notice.locale.timezone)[0]
    date, time = _when(notice, starts)
    text = _("🕒 New time: {title} is now on {date} at {time}.", title=item.title(lang), date=date, time=time)
    if params.get("previous"):
        previous = notice.locale.datetime(dt.datetime.fromisoformat(params["previous"]))
        text += "\n" + _("It was planned for {previous}.", previous=previous)
    return [Reply(text, ((Button(_("📄 Details"), card),), (Button(_("📋 My registrations"), "my"),)))]


def _per_offering(notice: Notice, counts: dict[str, int]) -> str:
    """``Cổ Loa 2, Beginners 1``: counts with the titles the reader knows."""
    titles = []
    for offering_id, count in counts.items():
        try:
            titles.append(f"{offering(notice.content, offering_id).title(notice.locale.language)} {count}")
        except UnknownContent:
            titles.append(f"{offering_id} {count}")
    return joined(notice.locale, titles)


async def digest(params: dict[str, Any], notice: Notice) -> list[Reply]:
    """The staff's morning digest, in the staff member's language."""
    registrations, waiting = params["registrations"], params["waiting"]
    new = sum(registrations.values())
    lines = [_("☀️ Good morning! Since yesterday:")]
    line = ngettext("• {n} new registration", "• {n} new registrations", new)
    lines.append(f"{line}: {_per_offering(notice, registrations)}" if new else line)
    if waiting:
        lines.append(_("• Waiting lists: {lists}", lists=_per_offering(notice, waiting)))
    if params["approval"]:
        lines.append(ngettext("• {n} place awaits approval", "• {n} places await approval", params["approval"]))
    lines.append(ngettext("• {n} question waits for a staff reply", "• {n} questions wait for a staff reply",
                          params["queued"]))  # fmt: skip
    lines.append(_("• Questions the bot could not answer: {unanswered}; answered without confidence: {low}",
                   unanswered=params["unanswered"], low=params["low"]))  # fmt: skip
    lines += [f"   “{example}”" for example in params["examples"]]
    buttons = ((Button(_("💬 Questions"), "questions"), Button(_("📊 Registrations"), "staff")),)
    return [Reply("\n".join(lines), buttons)]


async def broadcast(params: dict[str, Any], notice: Notice) -> list[Reply]:
    """An announcement from HAUFO in the reader's language (else English, else Vietnamese, said so), with
    its card button and a one-tap way to stop announcements."""
    return [_announcement(params, notice)]


async def broadcast_correction(params: dict[str, Any], notice: Notice) -> list[Reply]:
    """A corrected announcement: the delivered copy is edited where the platform can, else sent anew."""
    reply = _announcement(params, notice, corrected=True)
    return [replace(reply, edits=params["message_id"])]


async def broadcast_withdrawal(params: dict[str, Any], notice: Notice) -> list[Reply]:
    """A withdrawn announcement: deleted where the platform can; else this notice says so."""
    return [Reply(_("📣 An announcement sent to you earlier has been withdrawn; please disregard it."),
                  withdraws=params["message_id"])]  # fmt: skip


async def broadcast_progress(params: dict[str, Any], notice: Notice) -> list[Reply]:
    """The sender's progress report, edited in place as it moves: sent, blocked, failed, remaining, the time
    to finish, and Pause / Resume / Stop while it runs."""
    elapsed = dt.datetime.fromisoformat(params["at"]) - dt.datetime.fromisoformat(params["started"])
    lines = [_("📣 Broadcast #{id}: {sent} of {n} sent, {blocked} blocked, {failed} failed, {remaining} remaining.",
               id=params["broadcast"], sent=params["sent"], n=params["recipients"], blocked=params["blocked"],
               failed=params["failed"], remaining=params["remaining"])]  # fmt: skip
    rows: tuple[tuple[Button, ...], ...] = ()
    broadcast_id, status = params["broadcast"], params["status"]
    if status == STOPPED:
        lines.append(ngettext("⏹ Stopped: {n} delivery was cancelled.", "⏹ Stopped: {n} deliveries were cancelled.",
                              params["stopped"]))  # fmt: skip
    elif params["remaining"] == 0:
        lines.append(_("✅ Finished in {minutes} min.", minutes=max(1, round(elapsed.total_seconds() / 60))))
    elif status == PAUSED:
        lines.append(_("⏸ Paused."))
        rows = ((Button(_("▶ Resume"), make_payload("bcresume", broadcast_id)),
                 Button(_("⏹ Stop"), make_payload("bcstop", broadcast_id))),)  # fmt: skip
    else:
        done = params["sent"] + params["blocked"] + params["failed"]
        if done and elapsed.total_seconds() > 0:
            left = dt.timedelta(seconds=elapsed.total_seconds() / done * params["remaining"])
            lines.append(_("About {minutes} min to go.", minutes=max(1, round(left.total_seconds() / 60))))
        rows = ((Button(_("⏸ Pause"), make_payload("bcpause", broadcast_id)),
                 Button(_("⏹ Stop"), make_payload("bcstop", broadcast_id))),)  # fmt: skip
    return [Reply("\n".join(lines), rows, edits=params.get("edits"))]


def announcement(texts: dict[str, str], button: str | None, notice: Notice) -> Reply:
    """An announcement exactly as a reader in ``notice``'s language receives it (previews, test sends)."""
    with use_locale(notice.locale):
        return _announcement({"texts": texts, "button": button}, notice)


def shown_as_text(reply: Reply) -> str:
    """A reply's text with its buttons as ``[Label]``: a preview that presses nothing."""
    buttons = "  ".join(f"[{button.label}]" for button in reply.all_buttons())
    return "\n".join(part for part in (reply.text, buttons) if part)


def _announcement(params: dict[str, Any], notice: Notice, *, corrected: bool = False) -> Reply:
    language, text = text_for(params["texts"], notice.locale.language)
    if corrected:
        text = _("✏️ Corrected:") + "\n" + text
    if language != notice.locale.language:
        text += "\n\n" + _("(This announcement is not available in your language.)")
    rows: list[tuple[Button, ...]] = []
    button = params.get("button")
    kind = card_kind(notice.content, button) if button else None
    if button and kind:
        rows.append((Button(_("📄 Details"), make_payload(kind, button)),))
    rows.append((Button(_("🔕 Stop these announcements"), STOP_ANNOUNCEMENTS),))
    return Reply(f"📣 {text}", tuple(rows))


NOTICES: dict[str, Template] = {
    "offer": offer, "offer_expired": offer_expired, "approved": approved, "rejected": rejected,
    "staff_reply": staff_reply, REMINDER: reminder, EVENT_REMINDER: event_reminder, TIME_CHANGED: time_changed,
    DIGEST: digest, BROADCAST: broadcast, CORRECTION: broadcast_correction, WITHDRAWAL: broadcast_withdrawal,
    PROGRESS: broadcast_progress, **CONTENT_NOTICES, **QUIZ_NOTICES,
}  # fmt: skip
