"""Free-text requests that are actions, not questions: a person, another language, no more reminders, cancelling,
how my registrations stand, my place on the waiting list, playing the quiz.

The answer engine finds the FAQ item such a message asks for; instead of that item's card the bot does what
was asked (or opens the screen where it is done).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Final

from bot.conversation import Context
from bot.core.i18n import _
from bot.core.languages import languages_named
from bot.core.messages import Button, Incoming, Reply, make_payload
from bot.services.records import QuestionStatus, RegistrationStatus
from handlers import language, my_registrations, quiz
from handlers.formatting import faq_text
from handlers.menu import home_button
from handlers.registration import my_button, offering_title

Request = Callable[[Incoming, Context, float], Awaitable[list[Reply]]]
"""Carries out a request: the message, the context, the engine's confidence."""
HANDOFF: Final = "handoff"


def handoff_button(question_id: int) -> Button:
    """The button that passes the user's logged question to staff."""
    return Button(_("🙋 Ask our staff"), make_payload(HANDOFF, question_id))


async def person(message: Incoming, ctx: Context, score: float) -> list[Reply]:
    """Asking for a person: the hand-off to staff at once, and the office's contact details."""
    logged = await ctx.questions.log(
        ctx.user, message.text or "", ctx.locale.language, QuestionStatus.UNANSWERED, "contact", score
    )
    contact = ctx.content.faq.get("contact").answer(ctx.locale.language)
    text = _("🙋 Our staff will gladly help you. Tap the button below and your message will reach them, "
             "or contact the office directly:")  # fmt: skip
    return [Reply(f"{text}\n\n{contact}", ((handoff_button(logged.id),), (home_button(),)))]


async def switch_language(message: Incoming, ctx: Context, score: float) -> list[Reply]:
    """Asking to be answered in another language: switched and confirmed when the message names one."""
    named = [lang for lang in languages_named(message.text or "") if lang != ctx.user.language]
    if len(named) != 1:
        return await language.choose_language(replace(message, text=None, payload=language.PREFIX), ctx)
    return await language.choose_language(replace(message, payload=make_payload(language.PREFIX, named[0])), ctx)


async def reminder_switches(message: Incoming, ctx: Context, score: float) -> list[Reply]:
    """Asking about reminders (or to stop them): a switch for each confirmed place, under the FAQ's answer."""
    confirmed = [r for r in await ctx.registrations.of_user(ctx.user.id) if r.status == RegistrationStatus.CONFIRMED]
    rows: list[tuple[Button, ...]] = []
    for registration in confirmed:
        title = offering_title(ctx, registration.offering_id)
        if registration.reminders:
            label, switch = _("🔕 Turn off reminders: {title}", title=title), "off"
        else:
            label, switch = _("🔔 Turn on reminders: {title}", title=title), "on"
        rows.append((Button(label, make_payload(my_registrations.REMINDERS, registration.id, switch)),))
    text = faq_text(ctx.content, "reminders", ctx.locale.language)
    if rows:
        text += "\n\n" + _("Your confirmed places: tap one to switch its reminders off or on.")
    return [Reply(text, (*rows, (my_button(), home_button())))]


async def waiting_places(message: Incoming, ctx: Context, score: float) -> list[Reply]:
    """Asking about the waiting list: the user's own place on it, for each offering they wait for, above how
    the list works."""
    waiting = [r for r in await ctx.registrations.of_user(ctx.user.id) if r.status == RegistrationStatus.WAITING]
    lines: list[str] = []
    rows: list[tuple[Button, ...]] = []
    for registration in waiting:
        title = offering_title(ctx, registration.offering_id)
        position = await ctx.registrations.waiting_list.position(registration)
        lines.append(_("📝 {title}: you are number {position} on the waiting list.", title=title, position=position))
        rows.append((Button(title, make_payload(my_registrations.SHOW, registration.id)),))
    faq = faq_text(ctx.content, "waitlist", ctx.locale.language)
    text = "\n".join([*lines, "", faq]) if lines else faq
    return [Reply(text, (*rows, (my_button(), home_button())))]


async def my_places(message: Incoming, ctx: Context, score: float) -> list[Reply]:
    """Asking to cancel, or how one's registrations stand: each of them with its status, from the database (an
    active one opens to be cancelled)."""
    return await my_registrations.my_registrations(replace(message, text=None, payload=my_registrations.LIST), ctx)


async def play_quiz(message: Incoming, ctx: Context, score: float) -> list[Reply]:
    """Asking about the quiz: the current contest's card, with its rules and the button that starts a round,
    under the FAQ's answer."""
    cards = await quiz.intro(replace(message, text=None, payload=quiz.INTRO), ctx)
    head = cards[0]
    text = f"{ctx.content.faq.get('quiz').answer(ctx.locale.language)}\n\n{head.text}"
    return [replace(head, text=text, replace=False), *cards[1:]]


REQUESTS: Final[dict[str, Request]] = {
    "contact": person,
    "change-language": switch_language,
    "reminders": reminder_switches,
    "cancel-registration": my_places,
    "my-registrations": my_places,
    "waitlist": waiting_places,
    "quiz": play_quiz,
}
"""FAQ items whose question is a request, and what carries it out."""


async def carry_out(item_id: str, message: Incoming, ctx: Context, score: float) -> list[Reply] | None:
    """The request ``item_id`` names carried out (within the caller's locale); None when it names none."""
    request = REQUESTS.get(item_id)
    return None if request is None else await request(message, ctx, score)
