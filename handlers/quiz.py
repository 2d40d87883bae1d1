"""The Thăng Long – Hà Nội quiz for everyone: a round of timed questions (native quiz polls on Telegram,
buttons elsewhere), the explanation and the place after each answer, then the score, the rank and the tour
that visits those places; the leaderboard and one's own result."""

from __future__ import annotations

import dataclasses
from typing import Any

from bot.conversation import Context
from bot.core.content import Content
from bot.core.i18n import _, current_locale, ngettext
from bot.core.languages import Language
from bot.core.messages import Button, Incoming, InvalidPayload, QuizPoll, Reply, make_payload
from bot.core.notices import Notice, Template
from bot.core.quiz import Contest, Question
from bot.core.router import Router
from bot.services.broadcasts import card_kind
from bot.services.quiz import Asked, ContestStatus, Standing, Verdict, standing_of
from bot.services.quiz.play import TIME_UP
from bot.services.records import QuizOutcome, QuizRound
from handlers.cards import CARDS, open_card
from handlers.formatting import day_with_lunar, elapsed
from handlers.menu import home_button

router = Router(name="quiz")

INTRO, START, NAME, ANSWER, NEXT, RESULT, SEE, BOARD, MINE = (
    "quiz", "qzgo", "qzname", "qa", "qznext", "qzend", "qzsee", "qzlb", "qzme",
)  # fmt: skip
SHOWN_ON_BOARD = 10
POLL_SECONDS = (5, 600)
"""The open period a native poll takes (Telegram: at least 5 seconds); the server keeps the real time."""


def participant(standing: Standing) -> str:
    """A leaderboard name: the person's own when they agreed, else their participant number."""
    return standing.name or _("Participant {number}", number=standing.number)


def contest_named(message: Incoming, ctx: Context) -> tuple[str, Contest]:
    """The contest a button names (its first argument), with its id."""
    contest_id = message.arg(0)
    return contest_id, ctx.content.quiz.get(contest_id)


async def _round_of(message: Incoming, ctx: Context) -> tuple[str, QuizRound]:
    """The round a button names, when it is the sender's."""
    found = await ctx.quiz.round_of(ctx.user, message.int_arg(0, maximum=2**31))
    if found is None:
        raise InvalidPayload("no such round of this person")
    return found


@router.command("quiz")
@router.button(INTRO)
async def intro(message: Incoming, ctx: Context) -> list[Reply]:
    """The current contest: its theme and rules, and what the person can do now."""
    now = ctx.clock.now()
    contest_id = message.args[0] if message.payload and message.args else await ctx.contests.current(now)
    contest = ctx.content.quiz.contests.get(contest_id) if contest_id else None
    if contest_id is None or contest is None:
        return [Reply(_("There is no quiz at the moment. We will announce the next one."), ((home_button(),),))]
    lang, status = ctx.locale.language, await ctx.contests.status(contest_id, now)
    lines = [f"🧩 {contest.title(lang)}", contest.theme(lang), ""]
    rows: list[tuple[Button, ...]] = []
    if status == ContestStatus.UPCOMING:
        lines.append(_("The contest opens on {date}.", date=day_with_lunar(ctx.locale, contest.opens)))
    elif status == ContestStatus.CLOSED:
        lines.append(_("The contest is closed. Thank you to everyone who took part."))
    else:
        lines.append(ngettext(
            "Each round has {count} question drawn from {pool}, with {seconds} seconds for each.",
            "Each round has {count} questions drawn from {pool}, with {seconds} seconds for each.",
            contest.round, count=contest.round, pool=len(contest.questions), seconds=contest.seconds,
        ))  # fmt: skip
        lines.append(_("Your first round counts for the leaderboard; you are welcome to play again for practice."))
        rows.append((Button(await _start_label(ctx, contest_id), make_payload(START, contest_id)),))
    rows.append((Button(_("🏆 Leaderboard"), make_payload(BOARD, contest_id)),
                 Button(_("📊 My result"), make_payload(MINE, contest_id))))  # fmt: skip
    rows.append((home_button(),))
    return [Reply("\n".join(lines), tuple(rows), replace=True)]


async def _start_label(ctx: Context, contest_id: str) -> str:
    entry = await ctx.quiz.entry(contest_id, ctx.user)
    if entry is None:
        return _("▶ Start the quiz")
    if await ctx.quiz.unfinished(entry) is not None:
        return _("▶ Continue my round")
    return _("🔁 Play again for practice")


@router.button(START)
async def start(message: Incoming, ctx: Context) -> list[Reply]:
    """Start (or continue) a round; a first-time player is asked whether their name may appear."""
    contest_id, _contest = contest_named(message, ctx)
    now = ctx.clock.now()
    if await ctx.contests.status(contest_id, now) != ContestStatus.OPEN:
        return await intro(dataclasses.replace(message, payload=make_payload(INTRO, contest_id)), ctx)
    entry = await ctx.quiz.entry(contest_id, ctx.user)
    if entry is None:
        name = ctx.user.display_name
        question = (_("Before the first question: may we show your name, {name}, on the leaderboard? Otherwise "
                      "you will appear there under a participant number.", name=name) if name else
                    _("Before the first question: may we show your name on the leaderboard? Otherwise you will "
                      "appear there under a participant number."))  # fmt: skip
        return [Reply(question, (
            (Button(_("✅ Yes, show my name"), make_payload(NAME, contest_id, "yes", "play")),),
            (Button(_("🔢 No, a number is enough"), make_payload(NAME, contest_id, "no", "play")),),
        ))]  # fmt: skip
    played = await ctx.quiz.unfinished(entry) or await ctx.quiz.start(entry, now)
    return await _ask(ctx, contest_id, played)


@router.button(NAME)
async def choose_name(message: Incoming, ctx: Context) -> list[Reply]:
    """Record whether the person's name may appear on the leaderboard; then play, or show their result."""
    contest_id, _contest = contest_named(message, ctx)
    choice, then = message.arg(1), message.arg(2)
    if choice not in ("yes", "no") or then not in ("play", "me"):
        raise InvalidPayload(f"unknown choice {choice!r} or {then!r}")
    await ctx.quiz.join(contest_id, ctx.user, show_name=choice == "yes", now=ctx.clock.now())
    if then == "play":
        return await start(dataclasses.replace(message, payload=make_payload(START, contest_id)), ctx)
    return await my_result(dataclasses.replace(message, payload=make_payload(MINE, contest_id)), ctx)


async def _ask(ctx: Context, contest_id: str, played: QuizRound) -> list[Reply]:
    """The next question of ``played``, or its result when none is left."""
    asked = await ctx.quiz.next_question(played, ctx.user, ctx.locale.language, ctx.clock.now())
    if asked is None:
        return await _result(ctx, contest_id, played)
    return [question_reply(ctx, asked)]


def question_reply(ctx: Context, asked: Asked) -> Reply:
    """A question as buttons with its timer, and as a native quiz poll where the platform has one."""
    lang = ctx.locale.language
    header = _("🧩 Question {number} of {count} · ⏱ {seconds} s", number=asked.number, count=asked.size,
               seconds=asked.seconds_left)  # fmt: skip
    options = tuple((Button(asked.question.options[key](lang), make_payload(ANSWER, asked.row.id, key)),)
                    for key in asked.keys)  # fmt: skip
    correct = tuple(i for i, key in enumerate(asked.keys) if key in asked.question.correct_keys)
    low, high = POLL_SECONDS
    poll = QuizPoll(asked.question.text(lang), correct, asked.question.explanation(lang),
                    min(max(asked.seconds_left, low), high), header)  # fmt: skip
    return Reply(f"{header}\n\n{asked.question.text(lang)}", options, poll=poll)


@router.button(ANSWER)
async def answer(message: Incoming, ctx: Context) -> list[Reply]:
    """Score an answer (a button, a typed number or a poll's option) and explain the question."""
    row_id, key = message.int_arg(0, maximum=2**31), message.arg(1)
    verdict = await ctx.quiz.answer(ctx.user, row_id, key, ctx.clock.now())
    if not verdict.first:
        return [Reply(_("This question already has your answer: only the first one counts."),
                      ((_next_button(verdict.round),),))]  # fmt: skip
    return [_verdict_reply(ctx, verdict)]


def _right_answer(question: Question, lang: Language) -> str:
    return ", ".join(question.options[key](lang) for key in question.correct_keys)


def _explained(said: str, question: Question, round_id: int, content: Content, next_button: Button) -> Reply:
    """What was said of an answer, the question's explanation, the place it was about and the way on."""
    rows: list[tuple[Button, ...]] = []
    if card_kind(content, question.about) in CARDS:
        rows.append((Button(_("🏛 See this place"), make_payload(SEE, round_id, question.about)),))
    rows.append((next_button,))
    return Reply(f"{said}\n\n💡 {question.explanation(current_locale().language)}", tuple(rows))


def _verdict_reply(ctx: Context, verdict: Verdict) -> Reply:
    question, outcome = verdict.question, verdict.outcome
    right = _right_answer(question, ctx.locale.language)
    if outcome == QuizOutcome.RIGHT:
        said = _("✅ Right!")
    elif outcome == QuizOutcome.WRONG:
        said = _("❌ Not quite. The right answer: {answer}.", answer=right)
    else:
        said = _("⌛ Your answer came after the time was up, so it does not count. The right answer: {answer}.",
                 answer=right)  # fmt: skip
    return _explained(said, question, verdict.round.id, ctx.content, _next_button(verdict.round))


def _next_button(played: QuizRound) -> Button:
    if played.finished_at is not None:
        return Button(_("🏁 My score"), make_payload(RESULT, played.id))
    return Button(_("▶ Next question"), make_payload(NEXT, played.id))


async def time_up(params: dict[str, Any], notice: Notice) -> list[Reply]:
    """A question's time ran out unanswered: the right answer, the explanation and the way on."""
    contest = notice.content.quiz.contests.get(params["contest"])
    question = contest.questions.get(params["question"]) if contest else None
    number, size, round_id = params["number"], params["size"], params["round"]
    last = number == size
    on = Button(_("🏁 My score") if last else _("▶ Next question"), make_payload(NEXT, round_id))
    if question is None:  # the question left the content since
        return [Reply(_("⌛ The time for question {number} of {count} is up.", number=number, count=size), ((on,),))]
    said = _("⌛ The time for question {number} of {count} is up. The right answer: {answer}.", number=number,
             count=size, answer=_right_answer(question, notice.locale.language))  # fmt: skip
    return [_explained(said, question, round_id, notice.content, on)]


QUIZ_NOTICES: dict[str, Template] = {TIME_UP: time_up}


@router.button(NEXT)
async def next_question(message: Incoming, ctx: Context) -> list[Reply]:
    """The next question of the person's round (a question whose time ran out ends unanswered)."""
    contest_id, played = await _round_of(message, ctx)
    return await _ask(ctx, contest_id, played)


@router.button(SEE)
async def see_place(message: Incoming, ctx: Context) -> list[Reply]:
    """The card of the place a question was about, with the way back to the round."""
    _contest_id, played = await _round_of(message, ctx)
    about = message.arg(1)
    kind = card_kind(ctx.content, about)
    if kind not in CARDS:
        raise InvalidPayload(f"no card for {about!r}")
    card = (await open_card(message, ctx, kind, about))[0]
    return [dataclasses.replace(card, replace=False, buttons=((_next_button(played),),))]


@router.button(RESULT)
async def round_result(message: Incoming, ctx: Context) -> list[Reply]:
    """A finished round's score, time and rank, and the tour to the places it asked about."""
    contest_id, played = await _round_of(message, ctx)
    if played.finished_at is None:
        raise InvalidPayload("the round is not finished")
    return await _result(ctx, contest_id, played)


async def _result(ctx: Context, contest_id: str, played: QuizRound) -> list[Reply]:
    rows = await ctx.quiz.rows(played)
    lines = [_("🏁 Round over: {score} of {count} right, in {time}.", score=played.score, count=len(rows),
               time=elapsed(ctx.locale, played.seconds))]  # fmt: skip
    standings = await ctx.standings.leaderboard(contest_id)
    mine = standing_of(standings, ctx.user.id)
    if played.counted and mine is not None:
        lines.append(_("This is your counted result: place {rank} of {count}.", rank=mine.rank, count=len(standings)))
    elif mine is not None:
        lines.append(_("This round was for practice. Your counted result stays {score} of {count}, place {rank}.",
                       score=mine.score, count=len(rows), rank=mine.rank))  # fmt: skip
    buttons: list[tuple[Button, ...]] = []
    tour_id = _tour_for(ctx, ctx.content.quiz.get(contest_id), [row.question_id for row in rows])
    if tour_id is not None:
        tour = ctx.content.tours.get(tour_id)
        lines += ["", _("🌸 Many of these places are on the spring friendship tour “{title}” on {date}. We would be "
                        "delighted to show them to you.", title=tour.title(ctx.locale.language),
                        date=day_with_lunar(ctx.locale, tour.date))]  # fmt: skip
        buttons.append((Button(f"🌸 {tour.title(ctx.locale.language)}", make_payload("tour", tour_id)),))
    buttons.append((Button(_("🏆 Leaderboard"), make_payload(BOARD, contest_id)),
                    Button(_("🔁 Play again for practice"), make_payload(START, contest_id))))  # fmt: skip
    buttons.append((home_button(),))
    return [Reply("\n".join(lines), tuple(buttons))]


def _tour_for(ctx: Context, contest: Contest, question_ids: list[str]) -> str | None:
    """The tour that visits most of the sites the questions were about."""
    abouts = [contest.questions[q].about for q in question_ids if q in contest.questions]
    visits = {tour_id: sum(about in tour.sites or about == tour_id for about in abouts)
              for tour_id, tour in ctx.content.tours.items.items()}  # fmt: skip
    best = max(visits, key=lambda tour_id: visits[tour_id], default=None)
    return best if best is not None and visits[best] else None


@router.button(BOARD)
async def leaderboard(message: Incoming, ctx: Context) -> list[Reply]:
    """The best counted rounds of a contest; names only of those who agreed, numbers for the others."""
    contest_id, contest = contest_named(message, ctx)
    standings = await ctx.standings.leaderboard(contest_id)
    lines = [_("🏆 Leaderboard: {title}", title=contest.title(ctx.locale.language)), ""]
    if not standings:
        lines.append(_("Nobody has finished a round yet. Be the first!"))
    shown = standings[:SHOWN_ON_BOARD]
    mine = standing_of(standings, ctx.user.id)
    if mine is not None and mine not in shown:
        shown.append(mine)
    for standing in shown:
        line = _("{rank}. {name}: {score} of {count}, {time}", rank=standing.rank, name=participant(standing),
                 score=standing.score, count=contest.round, time=elapsed(ctx.locale, standing.seconds))  # fmt: skip
        lines.append(f"{line} ◀" if standing is mine else line)
    if standings:
        lines += ["", ngettext("{count} participant so far.", "{count} participants so far.", len(standings),
                               count=len(standings))]  # fmt: skip
    rows = ((Button(_("📊 My result"), make_payload(MINE, contest_id)),
             Button(_("◀ The quiz"), make_payload(INTRO, contest_id))), (home_button(),))  # fmt: skip
    return [Reply("\n".join(lines), rows, replace=True)]


@router.button(MINE)
async def my_result(message: Incoming, ctx: Context) -> list[Reply]:
    """The person's counted result, their rank, and whether their name shows on the leaderboard."""
    contest_id, contest = contest_named(message, ctx)
    entry = await ctx.quiz.entry(contest_id, ctx.user)
    back = (Button(_("◀ The quiz"), make_payload(INTRO, contest_id)), home_button())
    if entry is None:
        return [Reply(_("You have not played this quiz yet."), (back,))]
    standings = await ctx.standings.leaderboard(contest_id)
    mine = standing_of(standings, ctx.user.id)
    lines = [f"📊 {contest.title(ctx.locale.language)}", ""]
    if mine is None:
        lines.append(_("Your first round is not finished yet: it counts once you have answered every question."))
    else:
        lines.append(_("Your counted result: {score} of {count}, in {time}; place {rank} of {total}.",
                       score=mine.score, count=contest.round, time=elapsed(ctx.locale, mine.seconds),
                       rank=mine.rank, total=len(standings)))  # fmt: skip
    played = await ctx.quiz.rounds_played(entry)
    lines.append(ngettext("Rounds played: {count}.", "Rounds played: {count}.", played, count=played))
    if entry.show_name:
        lines.append(_("Your name appears on the leaderboard."))
        toggle = Button(_("🔢 Show a number instead"), make_payload(NAME, contest_id, "no", "me"))
    else:
        lines.append(_("You appear on the leaderboard as participant {number}.", number=entry.id))
        toggle = Button(_("✅ Show my name"), make_payload(NAME, contest_id, "yes", "me"))
    return [Reply("\n".join(lines), ((toggle,), back), replace=True)]
