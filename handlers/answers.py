"""Free-text questions: the answer card in the question's language, "did you mean", or a hand-off to staff."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

from bot.conversation import Context
from bot.core.content import Content, Course, Event, Faq, Section, Site, Tour
from bot.core.i18n import Locale, _, use_locale
from bot.core.languages import NATIVE_NAMES, Language, parse_language
from bot.core.messages import Button, Incoming, InvalidPayload, Reply, make_payload
from bot.core.metrics import ANSWERS
from bot.core.router import Router
from bot.services.answers import Answer
from bot.services.records import QuestionStatus
from handlers.cards import open_card
from handlers.formatting import date_range, day_with_lunar, faq_text, time_range
from handlers.menu import home_button
from handlers.requests import HANDOFF, carry_out, handoff_button

router = Router(name="answers")

FAQ = "faq"


def item_of(content: Content, kind: str, item_id: str) -> Tour | Course | Event | Site | Faq:
    """The content item of a kind and id."""
    sections: dict[str, Section[Any]] = {"faq": content.faq, "tour": content.tours, "course": content.courses,
                                         "event": content.events, "site": content.sites}  # fmt: skip
    item: Tour | Course | Event | Site | Faq = sections[kind].get(item_id)
    return item


def title_of(item: Tour | Course | Event | Site | Faq, lang: Language) -> str:
    """What a button for ``item`` says."""
    if isinstance(item, Faq):
        return item.question(lang)
    if isinstance(item, Site):
        return item.name(lang)
    return item.title(lang)


def field_line(locale: Locale, item: Tour | Course | Event | Site | Faq, field: str | None) -> str | None:
    """The one fact a question asked for (when, where, how much, what to bring), to say first."""
    lang = locale.language
    if isinstance(item, Tour):
        facts = {
            "date": lambda: _("📅 Date: {date}", date=day_with_lunar(locale, item.date)),
            "place": lambda: _("📍 Meeting point: {place}, {address}", place=item.meeting_point.name(lang),
                               address=item.meeting_point.address(lang)),
            "fee": lambda: _("💵 Fee: {fee} per person. Included: {includes}", fee=locale.money(item.fee),
                             includes=item.fee_includes(lang)),
            "bring": lambda: _("🎒 What to bring: {items}", items=item.what_to_bring(lang)),
        }  # fmt: skip
    elif isinstance(item, Course):
        facts = {
            "date": lambda: _("📅 Term: {dates}", dates=date_range(locale, item.starts, item.ends)),
            "place": lambda: _("📍 Venue: {place}, {address}", place=item.venue.name(lang),
                               address=item.venue.address(lang)),
            "fee": lambda: _("💵 Fee: {fee} for the whole course. Included: {includes}", fee=locale.money(item.fee),
                             includes=item.fee_includes(lang)),
        }  # fmt: skip
    elif isinstance(item, Event):
        facts = {
            "date": lambda: _("📅 Date: {date}", date=day_with_lunar(locale, item.starts.date()))
            + ", " + time_range(locale, item.starts, item.ends),
            "place": lambda: _("📍 Venue: {place}, {address}", place=item.venue.name(lang),
                               address=item.venue.address(lang)),
        }  # fmt: skip
    elif isinstance(item, Site):
        facts = {
            "place": lambda: _("📍 Address: {address}", address=item.address(lang)),
            "date": lambda: _("🕘 Opening: {opening}", opening=item.opening(lang)),
        }
    else:
        return None
    fact = facts.get(field or "")
    return fact() if fact is not None else None


def answer_text(content: Content, locale: Locale, answer: Answer) -> str:
    """The answer as plain text (the command line's ``answer``): the fact asked for, then the gist."""
    if answer.id is None or answer.kind is None:
        return _("I am sorry, I do not know the answer to that yet. Shall I pass your question to our staff?")
    item = item_of(content, answer.kind, answer.id)
    lang = locale.language
    if isinstance(item, Faq):
        return item.answer(lang)
    lines = [title_of(item, lang)]
    first = field_line(locale, item, answer.field)
    lines += [first] if first else []
    lines.append(item.summary(lang))
    return "\n".join(lines)


async def faq_card(ctx: Context, faq_id: str) -> list[Reply]:
    """An FAQ entry as a card."""
    return [Reply(faq_text(ctx.content, faq_id, ctx.locale.language), ((home_button(),),))]


@router.button(FAQ)
async def show_faq(message: Incoming, ctx: Context) -> list[Reply]:
    """An FAQ entry chosen from "did you mean"."""
    return await faq_card(ctx, message.arg(0))


async def _card(message: Incoming, ctx: Context, kind: str, item_id: str) -> list[Reply]:
    if kind == "faq":
        return await faq_card(ctx, item_id)
    return await open_card(message, ctx, kind, item_id)


def _language_offer(answer: Answer, ctx: Context) -> tuple[Button, ...]:
    language = parse_language(answer.lang)
    if language is None or ctx.user.language == language:
        return ()
    return (
        Button(_("🌐 Always answer in {language}", language=NATIVE_NAMES[language]), make_payload("lang", language)),
    )


@router.text()
async def answer_question(message: Incoming, ctx: Context) -> list[Reply]:
    """Answer free text from the content, in the language it was written in."""
    if ctx.answerer is None or not message.text or not message.text.strip():
        return [Reply(_("Sorry, I did not understand that. Please choose from the menu:"), ((home_button(),),))]
    # Some 10 ms of CPU (the re-ranker lets go of the GIL): in a thread, so other users' replies never wait.
    answer = await asyncio.to_thread(ctx.answerer.answer, message.text, ctx.user.language)
    language = parse_language(answer.lang) or ctx.locale.language
    questions = ctx.questions
    ctx.locale = ctx.locale.switch(language)
    with use_locale(ctx.locale):
        if answer.id is None or answer.kind is None:
            ANSWERS.labels("unanswered").inc()
            logged = await questions.log(
                ctx.user, message.text, language, QuestionStatus.UNANSWERED, None, answer.score
            )
            return [Reply(
                _("I am sorry, I do not know the answer to that yet. Shall I pass your question to our staff?"),
                ((handoff_button(logged.id),), (home_button(),)),
            )]  # fmt: skip
        ANSWERS.labels("answered" if answer.sure else "low_confidence").inc()
        done = await carry_out(answer.id, message, ctx, answer.score)
        if done is not None:
            return done
        if not answer.sure:
            await questions.log(
                ctx.user, message.text, language, QuestionStatus.LOW_CONFIDENCE, answer.id, answer.score
            )
        replies = await _card(message, ctx, answer.kind, answer.id)
        first = field_line(ctx.locale, item_of(ctx.content, answer.kind, answer.id), answer.field)
        head = replies[0]
        offer = _language_offer(answer, ctx)
        head = replace(head, text=f"{first}\n\n{head.text}" if first else head.text,
                       buttons=(*head.buttons, offer) if offer else head.buttons, replace=False)  # fmt: skip
        replies = [head, *replies[1:]]
        if answer.alternatives:
            rows = [(Button(title_of(item_of(ctx.content, kind, item_id), language), make_payload(kind, item_id)),)
                    for kind, item_id in answer.alternatives[:3]]  # fmt: skip
            replies.append(Reply(_("Did you mean:"), tuple(rows)))
        return replies


@router.button(HANDOFF)
async def hand_off(message: Incoming, ctx: Context) -> list[Reply]:
    """Queue the user's unanswered question for staff."""
    if await ctx.questions.hand_to_staff(message.int_arg(0, maximum=2**31), ctx.user) is None:
        raise InvalidPayload("not the user's question")
    ANSWERS.labels("handed_off").inc()
    return [Reply(_("Thank you! I passed your question to our staff; their answer will come here."),
                  ((home_button(),),))]  # fmt: skip
