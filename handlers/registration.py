"""Signing up in chat: a form per course or tour, each step checked, with Back, Cancel and resume."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from bot.conversation import Context
from bot.core.content import Course
from bot.core.i18n import N_, _, ngettext
from bot.core.messages import Button, Incoming, InvalidPayload, Reply, make_payload
from bot.core.router import Router
from bot.services import contact_details
from bot.services.contact_details import InvalidField
from bot.services.offerings import offering
from bot.services.records import Registration, RegistrationStatus
from bot.services.registration import AlreadyRegistered, RegistrationClosed
from handlers.menu import home_button

router = Router(name="registration")

START, STEP = "register", "regstep"
STATE: Final = "reg"
MAX_GUESTS: Final = 3
SAVED_FIELDS: Final = ("name", "organisation", "position", "nationality", "email", "phone", "contact")

STATUS_NAMES = {
    RegistrationStatus.CONFIRMED: N_("✅ confirmed"),
    RegistrationStatus.PENDING: N_("⏳ waiting for staff approval"),
    RegistrationStatus.WAITING: N_("🕒 on the waiting list"),
    RegistrationStatus.OFFERED: N_("🎟 a place is offered to you"),
    RegistrationStatus.CANCELLED: N_("✖ cancelled"),
    RegistrationStatus.DECLINED: N_("✖ not confirmed"),
}

LEVELS = {
    "none": N_("Complete beginner"),
    "basic": N_("I know the basics"),
    "conversational": N_("I can hold a conversation"),
    "fluent": N_("Fluent"),
}


@dataclass(frozen=True)
class Step:
    """One question of a form: its prompt, how a typed answer is checked, and whether it may be skipped."""

    key: str
    prompt: Callable[[dict[str, Any]], str]
    check: Callable[[str], str] | None = None
    optional: bool = False


def _guest_prompt(answers: dict[str, Any]) -> str:
    number = len(answers.get("guest_names", [])) + 1
    return _("Full name of guest {number}, as in the passport:", number=number)


COURSE_STEPS: Final = (
    Step("name", lambda a: _("Your full name, as in your passport:"), contact_details.name),
    Step("organisation", lambda a: _("Your organisation or embassy:"), contact_details.short_text),
    Step("position", lambda a: _("Your position:"), contact_details.short_text),
    Step("nationality", lambda a: _("Your nationality:"), contact_details.short_text),
    Step("email", lambda a: _("Your e-mail address:"), contact_details.email),
    Step("phone", lambda a: _("Your phone number (optional):"), contact_details.phone, optional=True),
    Step("level", lambda a: _("How much Vietnamese do you know already?")),
    Step("consent", lambda a: _consent_text()),
)
TOUR_STEPS: Final = (
    Step("name", lambda a: _("Your full name, as in your passport:"), contact_details.name),
    Step("nationality", lambda a: _("Your nationality:"), contact_details.short_text),
    Step("guests", lambda a: _("How many guests will come with you?")),
    Step("guest_names", _guest_prompt, contact_details.name),
    Step("contact", lambda a: _("Your e-mail address or phone number:"), contact_details.email_or_phone),
    Step("needs", lambda a: _("Any dietary or access needs? (optional)"), contact_details.long_text, optional=True),
    Step("consent", lambda a: _consent_text()),
)


def _consent_text() -> str:
    return _(
        "We keep these details only to run the course or tour, and erase them 180 days after it ends. "
        "Do you agree? You can read the privacy notice first."
    )


def steps_of(data: dict[str, Any]) -> tuple[Step, ...]:
    """The form's questions."""
    return COURSE_STEPS if data["kind"] == "course" else TOUR_STEPS


def _applies(step: Step, answers: dict[str, Any]) -> bool:
    return step.key != "guest_names" or int(answers.get("guests", 0)) > 0


def offering_title(ctx: Context, offering_id: str) -> str:
    """The title of a course or tour in the reader's language."""
    return offering(ctx.content, offering_id).title(ctx.locale.language)


def _nav(*, back: bool) -> tuple[Button, ...]:
    previous = (Button(_("◀ Back"), make_payload(STEP, "back")),) if back else ()
    return (*previous, Button(_("✖ Cancel"), make_payload(STEP, "cancel")))


def _ask(ctx: Context, data: dict[str, Any], error: str | None = None) -> list[Reply]:
    """Show the current question (after what was wrong with the last answer, if anything)."""
    steps = steps_of(data)
    if data["index"] >= len(steps):
        return [_summary(ctx, data)]
    step = steps[data["index"]]
    ctx.dialog.state, ctx.dialog.data, ctx.dialog.changed = f"{STATE}:{step.key}", data, True
    rows: list[tuple[Button, ...]] = []
    if step.key == "level":
        rows += [(Button(_(label), make_payload(STEP, "level", key)),) for key, label in LEVELS.items()]
    elif step.key == "guests":
        rows.append(tuple(Button(str(n), make_payload(STEP, "guests", n)) for n in range(MAX_GUESTS + 1)))
    elif step.key == "consent":
        rows.append((Button(_("✅ I agree"), make_payload(STEP, "agree")),))
        rows.append((Button(_("🔒 Privacy notice"), "privacy"),))
    if step.optional:
        rows.append((Button(_("Skip"), make_payload(STEP, "skip")),))
    rows.append(_nav(back=data["index"] > 0))
    heading = _("📝 {title}: question {number} of {total}", title=offering_title(ctx, data["offering"]),
                number=data["index"] + 1, total=len(steps))  # fmt: skip
    text = "\n".join([*([f"⚠️ {error}", ""] if error else []), heading, "", step.prompt(data["answers"])])
    return [Reply(text, tuple(rows))]


def _answered(step: Step, answers: dict[str, Any]) -> bool:
    if step.key == "guest_names":
        return len(answers.get("guest_names", [])) >= int(answers.get("guests", 0))
    return step.key in answers


def _first_unanswered(data: dict[str, Any]) -> int:
    """The next question to ask: answers kept from saved details or before going back are not asked again."""
    steps = steps_of(data)
    answers = data["answers"]
    return next((i for i, step in enumerate(steps) if _applies(step, answers) and not _answered(step, answers)),
                len(steps))  # fmt: skip


def _advance(ctx: Context, data: dict[str, Any]) -> list[Reply]:
    data["index"] = _first_unanswered(data)
    return _ask(ctx, data)


def _summary(ctx: Context, data: dict[str, Any]) -> Reply:
    ctx.dialog.state, ctx.dialog.data, ctx.dialog.changed = f"{STATE}:summary", data, True
    answers = data["answers"]
    labels = {
        "name": _("Name"), "organisation": _("Organisation"), "position": _("Position"),
        "nationality": _("Nationality"), "email": _("E-mail"), "phone": _("Phone"), "contact": _("Contact"),
        "needs": _("Needs"),
    }  # fmt: skip
    lines = [_("📝 Please check your registration for {title}:", title=offering_title(ctx, data["offering"])), ""]
    lines += [f"{label}: {answers[key]}" for key, label in labels.items() if answers.get(key)]
    level = answers.get("level")
    if level in LEVELS:
        lines.append(_("Level: {level}", level=_(LEVELS[level])))
    if data["kind"] == "tour":
        guests = answers.get("guest_names", [])
        lines.append(ngettext("{n} guest", "{n} guests", len(guests)) + (f": {', '.join(guests)}" if guests else ""))
        lines.append("💺 " + ngettext("{n} seat", "{n} seats", 1 + len(guests)))
    rows = ((Button(_("✅ Confirm"), make_payload(STEP, "confirm")),), _nav(back=True))
    return Reply("\n".join(lines), rows)


@router.button(START)
async def start_registration(message: Incoming, ctx: Context) -> list[Reply]:
    """Open the form for a course or tour, or resume it, or say why it cannot be opened."""
    offering_id = message.arg(0)
    item = offering(ctx.content, offering_id)
    title = item.title(ctx.locale.language)
    existing = await ctx.registrations.active(ctx.user.id, offering_id)
    if existing is not None:
        return [Reply(_("You are already registered for {title}.", title=title), ((my_button(),), (home_button(),)))]
    if not ctx.registrations.is_open(offering_id):
        deadline = ctx.locale.datetime(ctx.registrations.deadline(offering_id))
        return [Reply(_("Registration for {title} closed on {deadline}.", title=title, deadline=deadline),
                      ((home_button(),),))]  # fmt: skip
    if ctx.dialog.paused(STATE) and ctx.dialog.data.get("offering") == offering_id:
        return [Reply(_("Welcome back! Let us continue where you left off.")), *_ask(ctx, ctx.dialog.data)]
    kind = "course" if isinstance(item, Course) else "tour"
    data: dict[str, Any] = {"offering": offering_id, "kind": kind, "index": 0, "answers": {}}
    saved = await ctx.registrations.latest_details(ctx.user.id)
    reusable = {key: saved[key] for key in SAVED_FIELDS if saved.get(key) and key in {s.key for s in steps_of(data)}}
    if reusable:
        data["saved"] = reusable
        ctx.dialog.state, ctx.dialog.data, ctx.dialog.changed = f"{STATE}:saved", data, True
        lines = [_("📝 Registration for {title}", title=title), "", _("Use the details you gave last time?")]
        lines += [f"• {value}" for value in reusable.values()]
        rows = (
            (Button(_("✅ Use my saved details"), make_payload(STEP, "saved", "yes")),),
            (Button(_("✏️ Type them again"), make_payload(STEP, "saved", "no")),),
            _nav(back=False),
        )
        return [Reply("\n".join(lines), rows)]
    return [Reply(_("📝 Registration for {title}. A few short questions:", title=title)), *_ask(ctx, data)]


def my_button() -> Button:
    """A button to the user's registrations."""
    return Button(_("📋 My registrations"), "my")


def _form(ctx: Context) -> dict[str, Any]:
    """The form in progress; a form button pressed outside one is stale."""
    if ctx.dialog.state is None or not ctx.dialog.state.startswith(f"{STATE}:"):
        raise InvalidPayload("no registration form in progress")
    return ctx.dialog.data


FORM_STATES: Final = (*dict.fromkeys(f"{STATE}:{step.key}" for step in (*COURSE_STEPS, *TOUR_STEPS)),
                      f"{STATE}:summary", f"{STATE}:saved")  # fmt: skip


@router.state(*FORM_STATES)
async def answer(message: Incoming, ctx: Context) -> list[Reply]:
    """A typed answer to the current question."""
    data = _form(ctx)
    if ctx.dialog.state == f"{STATE}:saved":
        return [Reply(_("Please use the buttons above."))]
    if data["index"] >= len(steps_of(data)):
        return [Reply(_("Please use the buttons below.")), _summary(ctx, data)]
    step = steps_of(data)[data["index"]]
    if step.check is None:
        return _ask(ctx, data, _("Please choose one of the buttons."))
    try:
        value = step.check(message.text or "")
    except InvalidField as problem:
        return _ask(ctx, data, str(problem))
    if step.key == "guest_names":
        data["answers"].setdefault("guest_names", []).append(value)
    else:
        data["answers"][step.key] = value
    return _advance(ctx, data)


@router.button(STEP)
async def form_button(message: Incoming, ctx: Context) -> list[Reply]:
    """Back, Cancel, Skip, a choice, consent, saved details, and Confirm."""
    data = _form(ctx)
    action = message.arg(0)
    steps = steps_of(data)
    if action == "cancel":
        ctx.dialog.clear()
        return [Reply(_("Registration cancelled. Nothing was saved."), ((home_button(),),))]
    if action == "back":
        return _back(ctx, data)
    if action == "saved":
        if message.arg(1) == "yes":
            data["answers"].update(data.get("saved", {}))
        data.pop("saved", None)
        data["index"] = _first_unanswered(data)
        return _ask(ctx, data)
    if action == "confirm":
        if data["index"] < len(steps):
            raise InvalidPayload("confirm before the summary")
        return await _confirm(ctx, data)
    if data["index"] >= len(steps):
        raise InvalidPayload(f"{action} after the last question")
    step = steps[data["index"]]
    if action == "skip" and step.optional:
        data["answers"][step.key] = ""
    elif action == "level" and step.key == "level" and message.arg(1) in LEVELS:
        data["answers"]["level"] = message.arg(1)
    elif action == "guests" and step.key == "guests":
        data["answers"]["guests"] = message.int_arg(1, maximum=MAX_GUESTS)
        data["answers"]["guest_names"] = []
    elif action == "agree" and step.key == "consent":
        data["answers"]["consent"] = True
    else:
        raise InvalidPayload(f"{action} does not answer {step.key}")
    return _advance(ctx, data)


def _back(ctx: Context, data: dict[str, Any]) -> list[Reply]:
    steps = steps_of(data)
    answers = data["answers"]
    index = min(data["index"], len(steps)) - 1
    while index > 0 and not _applies(steps[index], answers):
        index -= 1
    index = max(index, 0)
    if steps[index].key == "guest_names" and answers.get("guest_names"):
        answers["guest_names"].pop()
    else:
        answers.pop(steps[index].key, None)
    data["index"] = index
    return _ask(ctx, data)


async def _confirm(ctx: Context, data: dict[str, Any]) -> list[Reply]:
    answers = dict(data["answers"])
    answers.pop("consent", None)
    seats = 1 + len(answers.get("guest_names", []))
    ctx.dialog.clear()
    try:
        registration = await ctx.registrations.register(ctx.user, data["offering"], seats, answers)
    except AlreadyRegistered:
        return [Reply(_("You are already registered for {title}.", title=offering_title(ctx, data["offering"])),
                      ((my_button(),),))]  # fmt: skip
    except RegistrationClosed:
        return [Reply(_("Sorry, registration has just closed."), ((home_button(),),))]
    return [Reply(await outcome_text(ctx, registration), ((my_button(),), (home_button(),)))]


async def outcome_text(ctx: Context, registration: Registration) -> str:
    """What became of a registration, in a sentence."""
    title = offering_title(ctx, registration.offering_id)
    if registration.status == RegistrationStatus.CONFIRMED:
        return _("✅ Your place for {title} is confirmed. See you there!", title=title)
    if registration.status == RegistrationStatus.PENDING:
        return _("⏳ Thank you! Staff will confirm your place for {title} after a short placement talk.", title=title)
    position = await ctx.registrations.waiting_list.position(registration)
    return _(
        "{title} is full. You are number {position} on the waiting list; I will write to you as soon as "
        "a place frees up.",
        title=title,
        position=position,
    )
