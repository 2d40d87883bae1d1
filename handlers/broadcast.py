"""Composing a broadcast in chat (staff only): the audience, the text in one or more languages, a preview of
what each language group receives, a test send to yourself, then sending now or at a local time; scheduled
broadcasts can be listed and cancelled until they start."""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from bot.conversation import Context
from bot.core.i18n import _, ngettext
from bot.core.languages import LANGUAGES, NATIVE_NAMES, parse_language
from bot.core.messages import Button, Incoming, InvalidPayload, Reply, make_payload
from bot.core.notices import Notice
from bot.core.router import Router
from bot.services.broadcasts import STOPPED, Announcement, AudienceError, parse_audience, text_for
from bot.services.broadcasts.audience import STATUSES, Audience
from bot.services.broadcasts.broadcasts import readers
from bot.services.records import Broadcast, User
from handlers.menu import home_button
from handlers.notices import announcement, shown_as_text
from handlers.staff import staff_only

router = Router(name="broadcast", guard=staff_only)

START, KIND, ITEM, STATUS, LANGUAGE, ADD, PREVIEW, TEST, SEND, CONFIRM, LATER, URGENT, LIST, CANCEL = (
    "bc", "bckind", "bcitem", "bcstat", "bclang", "bcadd", "bcprev", "bctest", "bcsend", "bcok", "bclater",
    "bcurgent", "bclist", "bccancel",
)  # fmt: skip
SENT, FIX, FIX_LANGUAGE, WITHDRAW, WITHDRAW_CONFIRMED = "bcsent", "bcfix", "bcfixl", "bcdel", "bcdelok"
CANCEL_DRAFT: Final = "bcdrop"
WRITING, DRAFT, TIMING, FIXING = "broadcast:text", "broadcast:draft", "broadcast:time", "broadcast:fix"
MAX_TEXT: Final = 4000


def _cancel_row() -> tuple[Button, ...]:
    return (Button(_("✖ Cancel"), CANCEL_DRAFT),)


def _items(ctx: Context, kind: str) -> dict[str, str]:
    """The courses, tours or events by id, with their titles in the reader's language."""
    lang, content = ctx.locale.language, ctx.content
    if kind == "course":
        return {item_id: content.courses.get(item_id).title(lang) for item_id in content.courses.ids()}
    if kind == "tour":
        return {item_id: content.tours.get(item_id).title(lang) for item_id in content.tours.ids()}
    return {item_id: content.events.get(item_id).title(lang) for item_id in content.events.ids()}


def _draft(ctx: Context) -> dict[str, Any]:
    """The broadcast being composed, or an error when the dialog holds none (a stale button)."""
    data = ctx.dialog.data
    if "audience" not in data:
        raise InvalidPayload("no broadcast being composed")
    return data


def _audience_name(ctx: Context, audience: Audience) -> str:
    if audience.kind == "everyone":
        return _("everyone who receives announcements")
    if audience.kind == "subscribers":
        return _("subscribers of the bulletin")
    if audience.kind == "lang":
        return _("readers of {language}", language=NATIVE_NAMES[parse_language(audience.value) or "en"])
    if audience.kind == "quiz":
        contest = ctx.content.quiz.contests.get(audience.value or "")
        title = contest.title(ctx.locale.language) if contest else audience.value or ""
        return _("participants in {title}", title=title)
    title = _items(ctx, audience.kind).get(audience.value or "", audience.value or "")
    if audience.kind == "event":
        return _("people reminded of {title}", title=title)
    statuses = {None: _("every active registration"), "confirmed": _("confirmed"), "waiting": _("waiting list"),
                "pending": _("awaiting approval")}  # fmt: skip
    return _("registrants of {title} ({status})", title=title, status=statuses[audience.status])


@router.command("broadcast")
@router.button(START)
async def start(message: Incoming, ctx: Context) -> list[Reply]:
    """Choose who receives the announcement."""
    ctx.dialog.clear()
    rows = (
        (Button(_("👥 Everyone"), make_payload(KIND, "everyone")),
         Button(_("🌐 One language"), make_payload(KIND, "lang"))),
        (Button(_("🇻🇳 A course"), make_payload(KIND, "course")), Button(_("🌸 A tour"), make_payload(KIND, "tour"))),
        (Button(_("🎉 An event"), make_payload(KIND, "event")),
         Button(_("📰 Bulletin subscribers"), make_payload(KIND, "subscribers"))),
        (Button(_("🗓 Scheduled broadcasts"), LIST), home_button()),
    )  # fmt: skip
    return [Reply(_("📣 New announcement. Who should receive it?"), rows)]


@router.button(KIND)
async def choose_kind(message: Incoming, ctx: Context) -> list[Reply]:
    """Everyone and subscribers are an audience at once; the others need a language or an item."""
    kind = message.arg(0)
    if kind in ("everyone", "subscribers"):
        return await _set_audience(ctx, kind)
    if kind == "lang":
        rows = [(Button(NATIVE_NAMES[code], make_payload(ITEM, "lang", code)),) for code in LANGUAGES]
    elif kind in ("course", "tour", "event"):
        rows = [(Button(title, make_payload(ITEM, kind, item_id)),) for item_id, title in _items(ctx, kind).items()]
    else:
        raise InvalidPayload(f"no audience kind {kind!r}")
    return [Reply(_("Which one?"), (*rows, (Button(_("◀ Back"), START),)))]


@router.button(ITEM)
async def choose_item(message: Incoming, ctx: Context) -> list[Reply]:
    """A language or an event is an audience; a course or tour asks which registrations."""
    kind, value = message.arg(0), message.arg(1)
    if kind in ("lang", "event"):
        return await _set_audience(ctx, f"{kind}:{value}")
    rows = [(Button(_("Every active registration"), make_payload(STATUS, kind, value, "all")),)]
    labels = {"confirmed": _("Confirmed"), "waiting": _("Waiting list"), "pending": _("Awaiting approval")}
    rows += [(Button(labels[status], make_payload(STATUS, kind, value, status)),) for status in STATUSES]
    return [Reply(_("Which registrations?"), (*rows, (Button(_("◀ Back"), make_payload(KIND, kind)),)))]


@router.button(STATUS)
async def choose_status(message: Incoming, ctx: Context) -> list[Reply]:
    """Registrants of a course or tour, of one status or all."""
    kind, value, status = message.arg(0), message.arg(1), message.arg(2)
    return await _set_audience(ctx, f"{kind}:{value}" + ("" if status == "all" else f":{status}"))


async def _set_audience(ctx: Context, audience: str) -> list[Reply]:
    try:
        parse_audience(audience, ctx.content)
    except AudienceError as problem:
        raise InvalidPayload(str(problem)) from None
    ctx.dialog.clear()
    ctx.dialog.enter(WRITING, audience=audience, texts={}, urgent=False, writing=ctx.locale.language)
    return [Reply(_("Write the announcement in {language}:", language=NATIVE_NAMES[ctx.locale.language]),
                  (_cancel_row(),))]  # fmt: skip


@router.state(WRITING)
async def write(message: Incoming, ctx: Context) -> list[Reply]:
    """The text of one language; then the draft."""
    data = _draft(ctx)
    text = (message.text or "").strip()
    if not text:
        return [Reply(_("Please send the announcement as text."), (_cancel_row(),))]
    if len(text) > MAX_TEXT:
        return [Reply(_("That is {n} characters; an announcement may have at most {limit}. Please shorten it.",
                        n=len(text), limit=MAX_TEXT), (_cancel_row(),))]  # fmt: skip
    ctx.dialog.enter(DRAFT, texts={**data["texts"], data["writing"]: text})
    return await _show_draft(ctx)


@router.state(DRAFT)
async def draft(message: Incoming, ctx: Context) -> list[Reply]:
    """Text typed while the draft is shown: the draft again, with the way to add a language."""
    return [Reply(_("To write another language, press ➕ Add a language.")), *(await _show_draft(ctx))]


async def _recipients(ctx: Context, data: dict[str, Any]) -> list[User]:
    """Who the draft reaches now."""
    audience = parse_audience(data["audience"], ctx.content)
    return await ctx.broadcasts.audience(audience, urgent=data["urgent"], channels=None)


async def _show_draft(ctx: Context) -> list[Reply]:
    data = _draft(ctx)
    audience = parse_audience(data["audience"], ctx.content)
    people = await _recipients(ctx, data)
    groups, texts = readers(people), data["texts"]
    lines = [_("📣 Draft announcement"), _("To: {audience}", audience=_audience_name(ctx, audience)),
             ngettext("{n} recipient", "{n} recipients", len(people))]  # fmt: skip
    lines += [f"• {NATIVE_NAMES[code]}: {groups[code]}" + (" ✓" if code in texts else "")
              for code in LANGUAGES if groups[code] or code in texts]  # fmt: skip
    missing = [code for code in LANGUAGES if groups[code] and code not in texts]
    if missing:
        fallback = text_for(texts, missing[0])[0]
        lines.append(_("Without a text in their language, {languages} will get the {fallback} text.",
                       languages=", ".join(NATIVE_NAMES[code] for code in missing),
                       fallback=NATIVE_NAMES[parse_language(fallback) or "en"]))  # fmt: skip
    for channel, (needed, left) in (await ctx.quotas.shortfalls(people)).items():
        lines.append(ngettext(
            "⚠️ {platform}: {n} message is left this month and this broadcast needs {needed}. Broadcasts stop when "
            "a tenth of the monthly quota is left, so that replies and reminders still go out; the remaining copies "
            "will not be sent.",
            "⚠️ {platform}: {n} messages are left this month and this broadcast needs {needed}. Broadcasts stop when "
            "a tenth of the monthly quota is left, so that replies and reminders still go out; the remaining copies "
            "will not be sent.",
            left, platform=channel.capitalize(), needed=needed))  # fmt: skip
    rows: list[tuple[Button, ...]] = [
        (Button(_("➕ Add a language"), ADD), Button(_("👁 Preview"), PREVIEW)),
        (Button(_("🧪 Send it to me"), TEST),),
    ]
    if audience.kind in ("course", "tour"):
        label = _("⚠️ Urgent: on") if data["urgent"] else _("Urgent: off")
        rows.append((Button(label, make_payload(URGENT, "off" if data["urgent"] else "on")),))
    rows.append((Button(_("📤 Send now"), SEND), Button(_("🕒 Send later"), LATER)))
    rows.append(_cancel_row())
    return [Reply("\n".join(lines), tuple(rows))]


@router.button(ADD)
async def add_language(message: Incoming, ctx: Context) -> list[Reply]:
    """Choose another language to write the announcement in."""
    texts = _draft(ctx)["texts"]
    rows = [(Button(NATIVE_NAMES[code], make_payload(LANGUAGE, code)),) for code in LANGUAGES if code not in texts]
    return [Reply(_("Which language?"), (*rows, _cancel_row()))]


@router.button(LANGUAGE)
async def write_language(message: Incoming, ctx: Context) -> list[Reply]:
    """Write (or rewrite) the text of one language."""
    data = _draft(ctx)
    language = parse_language(message.arg(0))
    if language is None:
        raise InvalidPayload(f"no language {message.arg(0)!r}")
    ctx.dialog.enter(WRITING, **{**data, "writing": language})
    return [Reply(_("Write the announcement in {language}:", language=NATIVE_NAMES[language]), (_cancel_row(),))]


@router.button(URGENT)
async def urgent(message: Incoming, ctx: Context) -> list[Reply]:
    """An urgent notice about a course or tour also reaches registrants who left announcements."""
    _draft(ctx)
    ctx.dialog.enter(DRAFT, urgent=message.arg(0) == "on")
    return await _show_draft(ctx)


def _rendered(ctx: Context, language: str) -> Reply:
    data = _draft(ctx)
    locale = ctx.locale.switch(language)  # type: ignore[arg-type]
    return announcement(data["texts"], data.get("button"), Notice(locale, ctx.content))


@router.button(PREVIEW)
async def preview(message: Incoming, ctx: Context) -> list[Reply]:
    """Exactly what each language group of the audience receives (buttons shown in brackets)."""
    data = _draft(ctx)
    people = await _recipients(ctx, data)
    groups = readers(people)
    replies = []
    for code in [code for code in LANGUAGES if groups[code]] or list(data["texts"]):
        head = _("Preview for {language} ({n}):", language=NATIVE_NAMES[parse_language(code) or "en"], n=groups[code])
        replies.append(Reply(f"{head}\n\n{shown_as_text(_rendered(ctx, code))}"))
    return [*replies, *(await _show_draft(ctx))]


@router.button(TEST)
async def test_send(message: Incoming, ctx: Context) -> list[Reply]:
    """The announcement as you would receive it, sent to you alone."""
    return [_rendered(ctx, ctx.locale.language), *(await _show_draft(ctx))]


@router.button(SEND)
async def ask_to_send(message: Incoming, ctx: Context) -> list[Reply]:
    """The last look: how many people it goes to."""
    data = _draft(ctx)
    people = await _recipients(ctx, data)
    text = ngettext("Send this announcement now to {n} person?", "Send this announcement now to {n} people?",
                    len(people))  # fmt: skip
    return [Reply(text, ((Button(_("📤 Yes, send it"), CONFIRM), Button(_("◀ Back"), make_payload(PREVIEW))),))]


@router.button(CONFIRM)
async def send(message: Incoming, ctx: Context) -> list[Reply]:
    """Queue the broadcast now."""
    return await _queue(ctx, None)


@router.button(LATER)
async def ask_time(message: Incoming, ctx: Context) -> list[Reply]:
    """Ask for the local time to send at."""
    ctx.dialog.enter(TIMING, **_draft(ctx))
    return [Reply(_("When should it go out? Type the local time as YYYY-MM-DD HH:MM, for example {example}.",
                    example=(ctx.clock.now() + dt.timedelta(days=1)).astimezone(ctx.locale.timezone)
                    .strftime("%Y-%m-%d 08:00")), (_cancel_row(),))]  # fmt: skip


@router.state(TIMING)
async def schedule(message: Incoming, ctx: Context) -> list[Reply]:
    """Queue the broadcast for the time typed."""
    try:
        due = dt.datetime.strptime((message.text or "").strip(), "%Y-%m-%d %H:%M").replace(tzinfo=ctx.locale.timezone)
    except ValueError:
        return [Reply(_("Please type the time as YYYY-MM-DD HH:MM."), (_cancel_row(),))]
    if due <= ctx.clock.now():
        return [Reply(_("That time has passed. Please type a time to come."), (_cancel_row(),))]
    return await _queue(ctx, due)


async def _queue(ctx: Context, due_at: dt.datetime | None) -> list[Reply]:
    data = _draft(ctx)
    audience = parse_audience(data["audience"], ctx.content)
    broadcast = await ctx.broadcasts.send(Announcement(data["texts"], data.get("button")), audience,
                                          urgent=data["urgent"], channels=None, due_at=due_at, by=ctx.user)  # fmt: skip
    ctx.dialog.clear()
    if due_at is None:
        text = ngettext("📤 Sending to {n} person.", "📤 Sending to {n} people.", broadcast.recipients)
    else:
        text = ngettext("🗓 Scheduled for {time}, to {n} person.", "🗓 Scheduled for {time}, to {n} people.",
                        broadcast.recipients, time=ctx.locale.datetime(due_at))  # fmt: skip
    return [Reply(text, ((Button(_("🗓 Scheduled broadcasts"), LIST), home_button()),))]


@router.command("broadcasts")
@router.button(LIST)
async def scheduled(message: Incoming, ctx: Context) -> list[Reply]:
    """Broadcasts still to start, each with Cancel."""
    upcoming = await ctx.broadcasts.scheduled()
    if not upcoming:
        return [Reply(_("No broadcast is scheduled."), (
            (Button(_("📣 New announcement"), START), Button(_("📜 Sent broadcasts"), SENT)), (home_button(),),
        ))]  # fmt: skip
    replies = []
    for broadcast in upcoming:
        audience = parse_audience(broadcast.audience, ctx.content)
        first = text_for(broadcast.texts, ctx.locale.language)[1]
        text = _("🗓 {time}: to {audience} ({n})", time=ctx.locale.datetime(broadcast.due_at),
                 audience=_audience_name(ctx, audience), n=broadcast.recipients) + f"\n{first[:200]}"  # fmt: skip
        replies.append(Reply(text, ((Button(_("✖ Cancel this broadcast"), make_payload(CANCEL, broadcast.id)),),)))
    return replies


@router.button(CANCEL)
async def cancel(message: Incoming, ctx: Context) -> list[Reply]:
    """Cancel a scheduled broadcast before it starts."""
    cancelled = await ctx.broadcasts.cancel(message.int_arg(0, maximum=2**31), ctx.user)
    if not cancelled:
        return [
            Reply(
                _("This broadcast has already started or was cancelled."),
                ((Button(_("🗓 Scheduled broadcasts"), LIST),),),
            )
        ]
    return [
        Reply(_("Cancelled; nobody will receive it."), ((Button(_("🗓 Scheduled broadcasts"), LIST), home_button()),))
    ]


@router.button(CANCEL_DRAFT)
async def drop(message: Incoming, ctx: Context) -> list[Reply]:
    """Throw the draft away."""
    ctx.dialog.clear()
    return [Reply(_("The draft is discarded."), ((home_button(),),))]


@router.button(SENT)
async def sent(message: Incoming, ctx: Context) -> list[Reply]:
    """The latest broadcasts that went out, each with Correct and Withdraw."""
    recent = await ctx.broadcasts.recent()
    if not recent:
        return [Reply(_("No broadcast has gone out yet."), ((home_button(),),))]
    replies = []
    for broadcast in recent:
        progress = await ctx.broadcasts.progress(broadcast)
        audience = _audience_name(ctx, parse_audience(broadcast.audience, ctx.content))
        head = _("📜 {time}: to {audience}; sent {sent}, blocked {blocked}, failed {failed}, remaining {remaining}",
                 time=ctx.locale.datetime(broadcast.due_at), audience=audience, sent=progress.sent,
                 blocked=progress.blocked, failed=progress.failed, remaining=progress.remaining)  # fmt: skip
        first = text_for(broadcast.texts, ctx.locale.language)[1]
        replies.append(Reply(f"{head}\n{first[:200]}", ((
            Button(_("✏️ Correct"), make_payload(FIX, broadcast.id)),
            Button(_("🗑 Withdraw"), make_payload(WITHDRAW, broadcast.id)),
        ),)))  # fmt: skip
    return replies


async def _broadcast(message: Incoming, ctx: Context) -> Broadcast:
    broadcast = await ctx.broadcasts.get(message.int_arg(0, maximum=2**31))
    if broadcast is None:
        raise InvalidPayload("no such broadcast")
    return broadcast


@router.button(FIX)
async def choose_correction(message: Incoming, ctx: Context) -> list[Reply]:
    """Which language's text to correct."""
    broadcast = await _broadcast(message, ctx)
    rows = [(Button(NATIVE_NAMES[code], make_payload(FIX_LANGUAGE, broadcast.id, code)),)
            for code in LANGUAGES if code in broadcast.texts]  # fmt: skip
    return [Reply(_("Which text needs correcting?"), (*rows, (Button(_("◀ Back"), SENT),)))]


@router.button(FIX_LANGUAGE)
async def ask_correction(message: Incoming, ctx: Context) -> list[Reply]:
    """Ask for the corrected text."""
    broadcast = await _broadcast(message, ctx)
    language = parse_language(message.arg(1))
    if language is None or language not in broadcast.texts:
        raise InvalidPayload(f"broadcast {broadcast.id} has no {language!r} text")
    ctx.dialog.clear()
    ctx.dialog.enter(FIXING, broadcast=broadcast.id, language=language)
    return [Reply(_("Send the corrected text in {language}. It was:\n{text}", language=NATIVE_NAMES[language],
                    text=broadcast.texts[language]), (_cancel_row(),))]  # fmt: skip


@router.state(FIXING)
async def correct(message: Incoming, ctx: Context) -> list[Reply]:
    """Correct the text: delivered copies are edited where the platform allows, the rest go out corrected."""
    data = ctx.dialog.data
    broadcast = await ctx.broadcasts.get(int(data.get("broadcast", 0)))
    text = (message.text or "").strip()
    if broadcast is None:
        ctx.dialog.clear()
        raise InvalidPayload("the broadcast is gone")
    if not text or len(text) > MAX_TEXT:
        return [Reply(_("Please send the corrected text (at most {limit} characters).", limit=MAX_TEXT),
                      (_cancel_row(),))]  # fmt: skip
    copies = await ctx.broadcasts.correct(broadcast, str(data["language"]), text, ctx.user)
    ctx.dialog.clear()
    return [Reply(ngettext("✏️ Corrected. {n} delivered copy is being corrected.",
                           "✏️ Corrected. {n} delivered copies are being corrected.", copies),
                  ((Button(_("📜 Sent broadcasts"), SENT), home_button()),))]  # fmt: skip


@router.button(WITHDRAW)
async def ask_withdrawal(message: Incoming, ctx: Context) -> list[Reply]:
    """The last look before withdrawing."""
    broadcast = await _broadcast(message, ctx)
    return [Reply(_("Withdraw this broadcast? Copies not sent yet are cancelled, delivered ones deleted where "
                    "the platform allows, and a short notice goes out where it does not."),
                  ((Button(_("🗑 Yes, withdraw it"), make_payload(WITHDRAW_CONFIRMED, broadcast.id)),
                    Button(_("◀ Back"), SENT)),))]  # fmt: skip


@router.button(WITHDRAW_CONFIRMED)
async def withdraw(message: Incoming, ctx: Context) -> list[Reply]:
    """Withdraw the broadcast."""
    copies = await ctx.broadcasts.withdraw(await _broadcast(message, ctx), ctx.user)
    return [Reply(ngettext("🗑 Withdrawn. {n} delivered copy is being removed.",
                           "🗑 Withdrawn. {n} delivered copies are being removed.", copies),
                  ((Button(_("📜 Sent broadcasts"), SENT), home_button()),))]  # fmt: skip


@router.button("bcpause", "bcresume", "bcstop")
async def control(message: Incoming, ctx: Context) -> list[Reply]:
    """Pause, resume or stop a running broadcast from its progress report."""
    broadcast = await _broadcast(message, ctx)
    if message.prefix == "bcpause":
        changed = await ctx.broadcasts.pause(broadcast, ctx.user)
        text = _("⏸ Paused; nothing more goes out until you resume.") if changed else None
    elif message.prefix == "bcresume":
        changed = await ctx.broadcasts.resume(broadcast, ctx.user)
        text = _("▶ Resumed.") if changed else None
    elif broadcast.status != STOPPED:
        stopped = await ctx.broadcasts.stop(broadcast, ctx.user)
        text = ngettext("⏹ Stopped: {n} delivery was cancelled.", "⏹ Stopped: {n} deliveries were cancelled.",
                        stopped)  # fmt: skip
    else:
        text = None
    return [Reply(text or _("This broadcast is no longer in that state."), ((Button(_("📜 Sent broadcasts"), SENT),),))]
