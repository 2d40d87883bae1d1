"""The quiz for staff: open and close a contest, read the results per question and language (a question
answered far worse in one language is flagged as a probable mistranslation), and announce the winners to
every participant as a broadcast in their own language."""

from __future__ import annotations

from bot.conversation import Context
from bot.core.i18n import Locale, _, ngettext, use_locale
from bot.core.languages import LANGUAGES, NATIVE_NAMES, parse_language
from bot.core.messages import Button, Incoming, InvalidPayload, Reply, make_payload
from bot.core.quiz import Contest
from bot.core.router import Router
from bot.services.broadcasts import Announcement
from bot.services.broadcasts.audience import Audience
from bot.services.broadcasts.broadcasts import readers
from bot.services.quiz import ContestStatus, QuestionResult, Standing
from bot.services.quiz.statistics import Tally
from handlers.formatting import date_range, elapsed
from handlers.menu import home_button
from handlers.quiz import BOARD, contest_named, participant
from handlers.staff import MENU, staff_only

router = Router(name="quiz_staff", guard=staff_only)

LIST, CARD, SET, RESULTS, ANNOUNCE, SEND = "sqz", "sqzc", "sqzset", "sqzres", "sqzann", "sqzsend"
WINNERS = 3
"""Places named in the winners' announcement (more people when they tie)."""
STATUS_NAMES = {ContestStatus.UPCOMING: "🕓", ContestStatus.OPEN: "🟢", ContestStatus.CLOSED: "🔴"}


def _status_name(status: ContestStatus) -> str:
    names = {ContestStatus.UPCOMING: _("not open yet"), ContestStatus.OPEN: _("open"),
             ContestStatus.CLOSED: _("closed")}  # fmt: skip
    return f"{STATUS_NAMES[status]} {names[status]}"


@router.button(LIST)
async def contests(message: Incoming, ctx: Context) -> list[Reply]:
    """Every contest with where it stands."""
    now, lang = ctx.clock.now(), ctx.locale.language
    lines, rows = [_("🧩 Quiz contests"), ""], list[tuple[Button, ...]]()
    for contest_id, contest in ctx.content.quiz.contests.items():
        status = await ctx.contests.status(contest_id, now)
        lines.append(f"{contest.title(lang)}: {_status_name(status)}")
        rows.append((Button(contest.title(lang), make_payload(CARD, contest_id)),))
    if not rows:
        lines.append(_("There are no contests in quiz.yaml."))
    rows.append((Button(_("◀ Staff menu"), MENU), home_button()))
    return [Reply("\n".join(lines), tuple(rows), replace=True)]


@router.button(CARD)
async def contest_card(message: Incoming, ctx: Context) -> list[Reply]:
    """One contest: its dates, status, participants, and what staff can do with it."""
    contest_id, contest = contest_named(message, ctx)
    status = await ctx.contests.status(contest_id, ctx.clock.now())
    standings = await ctx.standings.leaderboard(contest_id)
    lines = [
        f"🧩 {contest.title(ctx.locale.language)}",
        _("Dates: {dates}", dates=date_range(ctx.locale, contest.opens, contest.closes)),
        _("Status: {status}", status=_status_name(status)),
        ngettext("{count} participant has finished a counted round.",
                 "{count} participants have finished a counted round.", len(standings), count=len(standings)),
    ]  # fmt: skip
    announced = await ctx.contests.announcement(contest_id)
    if announced is not None:
        lines.append(_("The winners were announced (broadcast #{id}).", id=announced))
    toggle = (Button(_("⏹ Close now"), make_payload(SET, contest_id, ContestStatus.CLOSED))
              if status == ContestStatus.OPEN else
              Button(_("▶ Open now"), make_payload(SET, contest_id, ContestStatus.OPEN)))  # fmt: skip
    rows: list[tuple[Button, ...]] = [
        (toggle,),
        (Button(_("📊 Results by question"), make_payload(RESULTS, contest_id)),
         Button(_("🏆 Leaderboard"), make_payload(BOARD, contest_id))),
    ]  # fmt: skip
    if status == ContestStatus.CLOSED and standings and announced is None:
        rows.append((Button(_("📣 Announce the winners"), make_payload(ANNOUNCE, contest_id)),))
    rows.append((Button(_("◀ All contests"), LIST), home_button()))
    return [Reply("\n".join(lines), tuple(rows), replace=True)]


@router.button(SET)
async def set_status(message: Incoming, ctx: Context) -> list[Reply]:
    """Open or close a contest now."""
    contest_id, _contest_found = contest_named(message, ctx)
    wanted = message.arg(1)
    if wanted not in (ContestStatus.OPEN, ContestStatus.CLOSED):
        raise InvalidPayload(f"unknown status {wanted!r}")
    await ctx.contests.set(contest_id, ContestStatus(wanted), ctx.user, ctx.clock.now())
    return await contest_card(message, ctx)


def _share(tally: Tally) -> str:
    return f"{round(100 * tally.share)}% ({tally.right}/{tally.answered})"


def _result_line(ctx: Context, contest: Contest, result: QuestionResult) -> str:
    question = contest.questions.get(result.question_id)
    title = question.text(ctx.locale.language) if question else result.question_id
    by_language = " · ".join(
        f"{language} {_share(tally)}" + (" ⚠" if language in result.flagged else "")
        for language, tally in sorted(result.by_language.items())
    )
    line = f"{'⚠️ ' if result.flagged else ''}{result.question_id}: {_share(result.total)}\n{title}\n{by_language}"
    if result.flagged:
        names = ", ".join(NATIVE_NAMES[language] for language in result.flagged if language in NATIVE_NAMES)
        line += "\n" + _("Answered far worse in {languages} than in the other languages: please check the "
                         "translation.", languages=names)  # fmt: skip
    return line


@router.button(RESULTS)
async def results(message: Incoming, ctx: Context) -> list[Reply]:
    """Each question's share of right answers, overall and per language; flagged questions first."""
    contest_id, contest = contest_named(message, ctx)
    found = await ctx.quiz_statistics.results(contest_id)
    lines = [_("📊 Results by question: {title}", title=contest.title(ctx.locale.language)), ""]
    if not found:
        lines.append(_("No question has been answered yet."))
    flagged = sum(bool(result.flagged) for result in found)
    if flagged:
        lines += [ngettext("⚠️ {count} question is probably mistranslated.",
                           "⚠️ {count} questions are probably mistranslated.", flagged, count=flagged), ""]  # fmt: skip
    lines += [_result_line(ctx, contest, result) + "\n" for result in found]
    back = (Button(_("◀ Back"), make_payload(CARD, contest_id)), home_button())
    return [Reply("\n".join(lines).rstrip(), (back,))]


def winners_text(locale: Locale, contest: Contest, standings: list[Standing]) -> str:
    """The winners' announcement in ``locale`` (the current one)."""
    medals = {1: "🥇", 2: "🥈", 3: "🥉"}
    lines = [_("🏆 Results of the quiz “{title}”", title=contest.title(locale.language)), "",
             ngettext("Thank you to the {count} participant. The winners:",
                      "Thank you to the {count} participants. The winners:", len(standings),
                      count=len(standings))]  # fmt: skip
    for standing in standings:
        if standing.rank > WINNERS:
            break
        lines.append(_("{medal} {name}: {score} of {count}, {time}", medal=medals[standing.rank],
                       name=participant(standing), score=standing.score, count=contest.round,
                       time=elapsed(locale, standing.seconds)))  # fmt: skip
    lines += ["", _("Your own result and the whole leaderboard are under /quiz.")]
    return "\n".join(lines)


@router.button(ANNOUNCE)
async def announce(message: Incoming, ctx: Context) -> list[Reply]:
    """A preview of the winners' announcement and who receives it, before it is sent."""
    contest_id, contest = contest_named(message, ctx)
    standings = await ctx.standings.leaderboard(contest_id)
    people = await ctx.broadcasts.audience(Audience("quiz", contest_id), urgent=False, channels=None)
    counts = sorted(readers(people).items())
    by_language = ", ".join(f"{NATIVE_NAMES[parse_language(lang) or 'en']} {count}" for lang, count in counts)
    lines = [
        _("📣 The announcement, as it goes out in your language:"), "",
        winners_text(ctx.locale, contest, standings), "",
        ngettext("It goes to {count} participant, each in their language: {languages}.",
                 "It goes to {count} participants, each in their language: {languages}.", len(people),
                 count=len(people), languages=by_language or "—"),
    ]  # fmt: skip
    rows = ((Button(_("✅ Send"), make_payload(SEND, contest_id)),
             Button(_("✖ Cancel"), make_payload(CARD, contest_id))),)  # fmt: skip
    return [Reply("\n".join(lines), rows)]


@router.button(SEND)
async def send_announcement(message: Incoming, ctx: Context) -> list[Reply]:
    """Send the winners' announcement as a broadcast, each participant in their language; once."""
    contest_id, contest = contest_named(message, ctx)
    back = ((Button(_("◀ Back"), make_payload(CARD, contest_id)), home_button()),)
    if await ctx.contests.announcement(contest_id) is not None:
        return [Reply(_("The winners of this contest have already been announced."), back)]
    standings = await ctx.standings.leaderboard(contest_id)
    texts: dict[str, str] = {}
    for language in LANGUAGES:
        with use_locale(ctx.locale.switch(language)) as locale:
            texts[language] = winners_text(locale, contest, standings)
    broadcast = await ctx.broadcasts.send(Announcement(texts, contest_id), Audience("quiz", contest_id), urgent=False,
                                          channels=None, by=ctx.user)  # fmt: skip
    await ctx.contests.announced(contest_id, broadcast.id, ctx.clock.now())
    return [Reply(ngettext("📣 The winners' announcement is on its way to {count} participant (broadcast #{id}).",
                           "📣 The winners' announcement is on its way to {count} participants (broadcast #{id}).",
                           broadcast.recipients, count=broadcast.recipients, id=broadcast.id), back)]  # fmt: skip
