"""Every button prefix the bot registers, pressed forged by a stranger and by another user, with the ids of
someone else's registration and question: refused where it is staff's, and nothing is revealed or changed."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import App
from bot.db.models import AuditEntry, OutboxMessage, Question, Registration
from handlers import ROUTERS
from tests.chat import Chat
from tests.handlers.test_registration import fill_course, fill_tour

REFUSALS = {"Sorry, this is only for HAUFO staff.", "Sorry, only administrators manage the team."}
OWNER = ["Lan Nguyen", "lan@example.org", "Jean Dupont", "jean@diplomatie.gouv.fr"]


async def _state(app: App) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]], int, int]:
    async with app.sessions() as session:
        registrations = [
            (r.id, r.status, r.seats, r.checked_in_at, str(r.details))
            for r in (await session.scalars(select(Registration).order_by(Registration.id))).all()
        ]
        questions = [(q.id, q.status, q.reply) for q in (await session.scalars(select(Question))).all()]
        audit = len((await session.scalars(select(AuditEntry))).all())
        outbox = len((await session.scalars(select(OutboxMessage))).all())
    return registrations, questions, audit, outbox  # fmt: skip


async def test_every_button_forged_by_a_stranger_or_another_user_is_refused_and_reveals_nothing(app: App) -> None:
    owner = Chat(app.dispatcher, user_id="owner")
    await fill_tour(owner, "spring-2027-co-loa", "Lan Nguyen")
    await fill_course(Chat(app.dispatcher, user_id="diplomat"), "vietnamese-advanced", "Fluent")  # pending
    await owner.send("Can my driver wait inside the citadel grounds during the visit?")
    await owner.press("staff")
    before = await _state(app)
    [registration_ids, [(question_id, *_)], *_] = before
    ids = [str(registration_id) for registration_id, *_ in registration_ids]
    arguments = [
        "",
        *ids,
        *(f"{i}:yes" for i in ids),
        f"{question_id}",
        "spring-2027-co-loa",
        "vietnamese-advanced:all",
    ]
    guarded = {prefix: router.name for router in ROUTERS if router.guard is not None for prefix in router.buttons}
    prefixes = sorted({prefix for router in ROUTERS for prefix in router.buttons})
    assert len(prefixes) > 40 and {"staffcsv", "qreply", "bcsend", "teamrevoke", "mycancel"} <= set(prefixes)

    stranger = Chat(app.dispatcher, user_id="stranger")
    other = Chat(app.dispatcher, user_id="other")
    await fill_tour(other, "spring-2027-chua-thay", "Other Person")
    before, pressed = await _state(app), 0
    for person in (stranger, other):
        for prefix in prefixes:
            for argument in arguments:
                await person.press_payload(f"{prefix}:{argument}" if argument else prefix)
                files = b"".join(reply.attachment.content for reply in person.last if reply.attachment is not None)
                shown = person.text + " ".join(b.label for b in person.buttons()) + files.decode("utf-8", "replace")
                assert not [value for value in OWNER if value in shown], (prefix, argument, shown)  # fmt: skip
                if prefix in guarded:
                    assert person.text in REFUSALS, (prefix, argument, person.text)
                pressed += 1  # /mydata sends each their own data only
    assert pressed == 2 * len(prefixes) * len(arguments)
    after = await _state(app)
    assert after[:3] == before[:3], "no registration, question or audit entry changed"
