"""The staff question queue: questions users passed on, replies delivered to them, FAQ candidates."""

from __future__ import annotations

from bot.conversation import Context
from bot.core.i18n import _
from bot.core.messages import Button, Incoming, InvalidPayload, Reply, make_payload
from bot.core.router import Router
from bot.services.contact_details import InvalidField, long_text
from bot.services.records import Question
from handlers.menu import home_button
from handlers.staff import staff_only

router = Router(name="staff_questions", guard=staff_only)

QUEUE, REPLY, FAQ_CANDIDATE = "questions", "qreply", "qfaq"
REPLYING = "staff:reply"


async def _question(message: Incoming, ctx: Context) -> Question:
    question = await ctx.questions.get(message.int_arg(0, maximum=2**31))
    if question is None:
        raise InvalidPayload("no such question")
    return question


@router.command(QUEUE)
@router.button(QUEUE)
async def question_queue(message: Incoming, ctx: Context) -> list[Reply]:
    """Every question waiting for a staff reply, each with Reply."""
    queued = await ctx.questions.queued()
    if not queued:
        return [Reply(_("No questions are waiting for an answer."), ((home_button(),),))]
    replies = [Reply(_("Questions waiting for an answer: {n}", n=len(queued)))]
    for question in queued[:20]:
        asked = ctx.locale.datetime(question.created_at)
        replies.append(Reply(f"#{question.id} ({question.language}, {asked})\n{question.text}",
                             ((Button(_("✍️ Reply"), make_payload(REPLY, question.id)),),)))  # fmt: skip
    return replies


@router.button(REPLY)
async def start_reply(message: Incoming, ctx: Context) -> list[Reply]:
    """Ask staff to type the reply."""
    question = await _question(message, ctx)
    ctx.dialog.clear()
    ctx.dialog.enter(REPLYING, question=question.id)
    return [Reply(_("Type your reply to: “{question}”", question=question.text),
                  ((Button(_("✖ Cancel"), QUEUE),),))]  # fmt: skip


@router.state(REPLYING)
async def send_reply(message: Incoming, ctx: Context) -> list[Reply]:
    """Deliver the typed reply to the asker, quoting their question."""
    questions = ctx.questions
    question = await questions.get(int(ctx.dialog.data.get("question", 0)))
    if question is None:
        ctx.dialog.clear()
        raise InvalidPayload("the question is gone")
    try:
        text = long_text(message.text or "")
    except InvalidField as problem:
        return [Reply(str(problem))]
    await questions.reply(question, ctx.user, text)
    ctx.audit.record(ctx.user, "reply", f"question:{question.id}")
    ctx.dialog.clear()
    return [Reply(_("Sent. The user gets your reply with their question quoted."), (
        (Button(_("⭐ Keep as a FAQ candidate"), make_payload(FAQ_CANDIDATE, question.id)),),
        (Button(_("🙋 Questions"), QUEUE), home_button()),
    ))]  # fmt: skip


@router.button(FAQ_CANDIDATE)
async def keep_as_faq_candidate(message: Incoming, ctx: Context) -> list[Reply]:
    """Collect the question and its reply for the content editors."""
    question = await _question(message, ctx)
    first_time = not question.faq_candidate
    if not ctx.questions.keep_as_faq_candidate(question):
        raise InvalidPayload("only answered questions become FAQ candidates")
    if first_time:
        ctx.audit.record(ctx.user, "faq-candidate", f"question:{question.id}")
    return [Reply(_("Added to the FAQ candidates for the content editors."), ((Button(_("🙋 Questions"), QUEUE),),))]
