"""Vietnamese classes for diplomats: the list and each course's card."""

from __future__ import annotations

from bot.conversation import Context
from bot.core.content import Course, Level
from bot.core.i18n import N_, Locale, _
from bot.core.messages import Button, Incoming, Reply, make_payload
from bot.core.router import Router
from bot.services.offerings import class_ends, starts_at
from handlers.formatting import date_range, joined, site_buttons, time_range, venue
from handlers.paging import Entry, card_navigation, paged_list
from handlers.seats import availability

router = Router(name="classes")

LIST, CARD = "courses", "course"

LEVEL_NAMES = {
    Level.BEGINNER: N_("Beginner"),
    Level.INTERMEDIATE: N_("Intermediate"),
    Level.ADVANCED: N_("Advanced"),
}


def schedule(locale: Locale, course: Course) -> str:
    """``Tuesday and Thursday, 17:30–19:00`` in the reader's language."""
    start = starts_at(course, locale.timezone)
    end = class_ends(course, start)
    days = joined(locale, [locale.weekday(day) for day in course.weekdays])
    return f"{days}, {time_range(locale, start, end)}"


@router.button(LIST)
async def list_courses(message: Incoming, ctx: Context) -> list[Reply]:
    """One page of courses, with level and schedule."""
    lang = ctx.locale.language
    entries = [
        Entry(
            f"🇻🇳 {course.title(lang)}: {_(LEVEL_NAMES[course.level])}, {schedule(ctx.locale, course)}",
            Button(course.title(lang), make_payload(CARD, course_id)),
        )
        for course_id, course in ctx.content.courses.items.items()
    ]
    return [paged_list(_("🇻🇳 Vietnamese classes for diplomats"), entries, message.int_arg(0), LIST)]


@router.button(CARD)
async def show_course(message: Incoming, ctx: Context) -> list[Reply]:
    """A course's card: level, schedule, dates, venue, seats, fee, field trips."""
    course_id = message.arg(0)
    course = ctx.content.courses.get(course_id)
    locale, lang = ctx.locale, ctx.locale.language
    lines = [
        f"🇻🇳 {course.title(lang)}",
        course.summary(lang),
        "",
        _("📶 Level: {level}", level=_(LEVEL_NAMES[course.level])),
        _("🗓 Schedule: {schedule}", schedule=schedule(locale, course)),
        _("📅 Term: {dates}", dates=date_range(locale, course.starts, course.ends)),
        _("📍 Venue: {place}, {address}", place=course.venue.name(lang), address=course.venue.address(lang)),
        await availability(ctx, course_id, course.seats),
        _(
            "💵 Fee: {fee} for the whole course. Included: {includes}",
            fee=locale.money(course.fee),
            includes=course.fee_includes(lang),
        ),
        _("⏳ Registration closes on {deadline}", deadline=locale.datetime(course.registration_deadline)),
    ]
    if course.approval:
        lines.append(_("✅ Places are confirmed by staff after a short placement talk."))
    lines += ["", course.description(lang), "", _("🚌 Field trips: {note}", note=course.field_trips_note(lang))]
    buttons = (
        (Button(_("📝 Register"), make_payload("register", course_id)),),
        *site_buttons(locale, ctx.content, course.field_trips),
        card_navigation(_("◀ All classes"), LIST, ctx.content.courses.ids().index(course_id)),
    )
    return [Reply("\n".join(lines), buttons, venue=venue(locale, course.venue), replace=True)]
