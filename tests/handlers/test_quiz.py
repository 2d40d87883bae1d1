"""The quiz in chat: a whole round in three languages, late answers, one counted result, the leaderboard with
and without consent, and what staff do with a contest (open, close, results, the winners' announcement)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from bot.app import App
from bot.content_reloading import ContentReloader, Outcome
from bot.core.clock import FakeClock
from bot.core.i18n import Catalogs
from bot.core.messages import Reply
from bot.core.notices import Notice
from bot.db.models import Broadcast, QuizAnswer, QuizRound
from bot.scheduling.delivery import Delivery
from bot.services.broadcasts.announcement import announcement_from
from handlers.notices import NOTICES
from handlers.notices import announcement as announcement_reply
from tests.chat import Chat, CollectingChannel

CONTEST = "thang-long-2027"
NUMBERED = ("console", "zalo")


def t(catalogs: Catalogs, language: str, message: str) -> str:
    return catalogs.locale(language).gettext(message)  # type: ignore[arg-type]


def question_of(chat: Chat) -> Reply:
    """The quiz question among the latest replies."""
    asked = [reply for reply in chat.last if reply.poll is not None]
    assert len(asked) == 1, chat.text
    return asked[0]


async def choose(chat: Chat, index: int) -> None:
    """Choose the button at ``index`` of the latest replies: typing its number where buttons are numbered."""
    if chat.channel in NUMBERED:
        await chat.send(str(index + 1))
    else:
        await chat.press_payload(chat.buttons()[index].payload or "")


async def answer(chat: Chat, *, right: bool) -> Reply:
    """Choose the right option of the question shown (or the first wrong one)."""
    question = question_of(chat)
    assert question.poll is not None
    options = question.all_buttons()
    await choose(chat, next(i for i in range(len(options)) if (i in question.poll.correct) == right))
    return question


async def open_contest(app: App) -> None:
    """An administrator opens the contest (its dates are in 2027; the tests' clock is in 2026)."""
    admin = Chat(app.dispatcher, user_id="admin")
    await admin.press_payload("sqz")
    await admin.press_payload(f"sqzc:{CONTEST}")
    await admin.press("Open now")
    assert "🟢" in admin.text


async def play_round(chat: Chat, clock: FakeClock, *, right: list[bool], show_name: str = "yes") -> list[Reply]:
    """Start the quiz, agree or not to show the name, and answer every question, five seconds each."""
    await chat.send("/quiz")
    await chat.press_payload(f"qzgo:{CONTEST}")
    if not any(reply.poll for reply in chat.last):
        await chat.press_payload(f"qzname:{CONTEST}:{show_name}:play")
    return await answer_round(chat, clock, right=right)


async def answer_round(chat: Chat, clock: FakeClock, *, right: list[bool]) -> list[Reply]:
    """Answer the question shown and every one after it, five seconds each; the questions asked."""
    asked = []
    for index, correct in enumerate(right):
        clock.advance(dt.timedelta(seconds=5))
        asked.append(await answer(chat, right=correct))
        await chat.press_payload(chat.buttons()[-1].payload or "")  # next question, or the score after the last
        if index < len(right) - 1:
            question_of(chat)
    return asked


@pytest.mark.parametrize(("language", "channel"), [("fr", "console"), ("ru", "test"), ("ja", "zalo")])
async def test_a_whole_round_in_the_players_language(
    app: App, clock: FakeClock, catalogs: Catalogs, language: str, channel: str
) -> None:
    """Typed numbers on the console and Zalo, buttons elsewhere (Telegram's polls: tests/channels/telegram)."""
    await open_contest(app)
    contest = app.content.quiz.contests[CONTEST]
    player = Chat(app.dispatcher, user_id=f"player-{language}", channel=channel, language_hint=language,
                  display_name="Ana Lima")  # fmt: skip
    await player.send("/quiz")
    assert contest.title(language) in player.text and contest.theme(language) in player.text
    await choose(player, player.buttons().index(player.button(t(catalogs, language, "▶ Start the quiz"))))
    assert "Ana Lima" in player.text
    await choose(player, player.buttons().index(player.button(t(catalogs, language, "✅ Yes, show my name"))))
    seen: list[str] = []
    for number in range(1, contest.round + 1):
        question = question_of(player)
        assert question.poll is not None
        assert question.poll.header in question.text and question.poll.question in question.text
        seen.append(question.poll.question)
        asked = next(q for q in contest.questions.values() if q.text(language) == question.poll.question)
        labels = [button.label for button in question.all_buttons()]
        assert sorted(labels) == sorted(option(language) for option in asked.options.values())
        clock.advance(dt.timedelta(seconds=4))
        await answer(player, right=number % 2 == 1)
        said = t(catalogs, language, "✅ Right!") if number % 2 else "❌"
        assert player.text.startswith(said) and asked.explanation(language) in player.text
        assert t(catalogs, language, "🏛 See this place") in [b.label for b in player.buttons()]
        await choose(player, len(player.buttons()) - 1)
    assert len(set(seen)) == contest.round, "no question twice in a round"
    result = player.text
    assert "5" in result and str(contest.round) in result
    assert "🌸" in result, "the invitation to a tour"
    tours = [b for b in player.buttons() if (b.payload or "").startswith("tour:")]
    assert len(tours) == 1
    await choose(player, player.buttons().index(player.button(t(catalogs, language, "🏆 Leaderboard"))))
    mine = next(line for line in player.text.splitlines() if "Ana Lima" in line)
    assert mine.startswith("1") and mine.endswith("◀") and "5" in mine


async def test_a_late_answer_is_not_counted(app: App, clock: FakeClock) -> None:
    await open_contest(app)
    player = Chat(app.dispatcher, user_id="slow", language_hint="en")
    await player.send("/quiz")
    await player.press("Start the quiz")
    await player.press("No, a number is enough")
    clock.advance(dt.timedelta(seconds=45))
    await answer(player, right=True)
    assert "after the time was up" in player.text and "does not count" in player.text
    again = await player.press_payload(question_of_payload := player.buttons()[-1].payload or "")
    assert question_of_payload.startswith("qznext:") and again
    async with app.sessions() as session:
        first = await session.scalar(select(QuizAnswer).where(QuizAnswer.position == 1))
    assert first is not None and first.outcome == "late"


async def test_the_leaderboard_shows_names_only_with_consent(app: App, clock: FakeClock) -> None:
    await open_contest(app)
    named = Chat(app.dispatcher, user_id="named", language_hint="en", display_name="Ana Lima")
    hidden = Chat(app.dispatcher, user_id="hidden", language_hint="en", display_name="Boris Secret")
    await play_round(named, clock, right=[True] * 10, show_name="yes")
    await play_round(hidden, clock, right=[True] * 9 + [False], show_name="no")
    await hidden.press("Leaderboard")
    board = hidden.text
    assert "1. Ana Lima: 10 of 10" in board
    assert "Boris" not in board and "2. Participant " in board and "◀" in board.splitlines()[3]
    await hidden.press("My result")
    assert "place 2 of 2" in hidden.text and "as participant" in hidden.text
    await hidden.press("Show my name")
    await hidden.press_payload(f"qzlb:{CONTEST}")
    assert "2. Boris Secret: 9 of 10" in hidden.text
    await named.send("/quiz")
    await named.press("My result")
    await named.press("Show a number instead")
    await named.press_payload(f"qzlb:{CONTEST}")
    assert "Ana" not in named.text and "1. Participant " in named.text


async def test_a_replay_is_for_practice_and_the_first_result_stands(app: App, clock: FakeClock) -> None:
    await open_contest(app)
    player = Chat(app.dispatcher, user_id="again", language_hint="en")
    await play_round(player, clock, right=[False] * 10)
    assert "This is your counted result: place 1 of 1" in player.text
    await player.press("Play again for practice")
    await answer_round(player, clock, right=[True] * 10)
    assert "for practice" in player.text and "stays 0 of 10" in player.text
    async with app.sessions() as session:
        rounds = (await session.scalars(select(QuizRound).order_by(QuizRound.id))).all()
    assert [(r.counted, r.score) for r in rounds] == [(True, 0), (False, 10)]
    await player.press("Leaderboard")
    assert ": 0 of 10" in player.text


async def test_options_are_shuffled_per_person_and_one_answer_per_question(app: App, clock: FakeClock) -> None:
    await open_contest(app)
    orders = []
    for number in range(3):
        player = Chat(app.dispatcher, user_id=f"shuffled-{number}", language_hint="en")
        asked = await play_round(player, clock, right=[True] * 10)
        orders.append([tuple(button.label for button in question.all_buttons()) for question in asked])
    async with app.sessions() as session:
        shown = (await session.scalars(select(QuizAnswer.shown))).all()
    assert len(set(shown)) > 1 and any(order != "".join(sorted(order)) for order in shown)
    assert len({tuple(order) for order in orders}) == 3
    player = Chat(app.dispatcher, user_id="twice", language_hint="en")
    await player.send("/quiz")
    await player.press("Start the quiz")
    await player.press("No, a number is enough")
    options = question_of(player).all_buttons()
    await player.press_payload(options[0].payload or "")
    await player.press_payload(options[1].payload or "")
    assert "only the first one counts" in player.text
    intruder = Chat(app.dispatcher, user_id="intruder", language_hint="en")
    await intruder.press_payload(options[0].payload or "")
    assert "out of date" in intruder.text
    async with app.sessions() as session:
        row = await session.get(QuizAnswer, int((options[0].payload or "").split(":")[1]))
    assert row is not None and row.chosen == options[0].payload.split(":")[2]  # type: ignore[union-attr]


async def test_an_unanswered_question_is_announced_when_its_time_is_up(app: App, clock: FakeClock) -> None:
    await open_contest(app)
    channel = CollectingChannel()
    deliver = Delivery(app.sessions, app.catalogs, lambda: app.content, NOTICES, {"test": channel}, clock)
    player = Chat(app.dispatcher, user_id="away", language_hint="fr")
    await player.send("/quiz")
    await player.press_payload(f"qzgo:{CONTEST}")
    await player.press_payload(f"qzname:{CONTEST}:no:play")
    first = question_of(player)
    clock.advance(dt.timedelta(seconds=10))
    assert await deliver.send_due() == 0
    await answer(player, right=True)
    clock.advance(dt.timedelta(seconds=60))
    assert await deliver.send_due() == 0, "an answered question's notice is cancelled"
    await player.press_payload(player.buttons()[-1].payload or "")
    second = question_of(player)
    clock.advance(dt.timedelta(seconds=33))
    assert await deliver.send_due() == 1
    ((_chat, replies),) = channel.sent
    assert replies[0].text.startswith("⌛") and "2" in replies[0].text
    assert first.poll is not None and second.poll is not None
    notice = Chat(app.dispatcher, user_id="away", language_hint="fr")
    notice.last = replies
    await notice.press_payload(notice.buttons()[-1].payload or "")
    assert question_of(notice).poll.header.startswith("🧩")  # type: ignore[union-attr]
    async with app.sessions() as session:
        outcomes = (await session.scalars(select(QuizAnswer.outcome).where(QuizAnswer.asked_at.is_not(None))
                                          .order_by(QuizAnswer.position))).all()  # fmt: skip
    assert list(outcomes) == ["right", "timeout", None]


async def test_staff_open_close_read_results_with_a_mistranslation_flag_and_announce_the_winners(
    editable_app: App, content_dir: Path, clock: FakeClock, catalogs: Catalogs
) -> None:
    app = editable_app
    contest = app.content.quiz.contests[CONTEST]
    question_id, original = next(iter(contest.questions.items()))
    # a small pool so that the question is asked often, and its French translation gives the wrong answer
    mistranslate(content_dir / "quiz.yaml", question_id, original.correct_keys[0])
    assert (await ContentReloader(app).reload()).outcome == Outcome.RELOADED
    contest = app.content.quiz.contests[CONTEST]
    assert len(contest.questions) == 3
    admin = Chat(app.dispatcher, user_id="admin", language_hint="en")
    visitor = Chat(app.dispatcher, user_id="curious", language_hint="en")
    await visitor.press_payload(f"sqzset:{CONTEST}:open")
    assert "only for HAUFO staff" in visitor.text
    await open_contest(app)
    players = [(f"{lang}-{n}", lang) for lang in ("fr", "en", "vi") for n in range(6)]
    for user_id, lang in players:
        chat = Chat(app.dispatcher, user_id=user_id, language_hint=lang, display_name=f"Player {user_id}")
        await play_until_asked(chat, clock, question_id, truth=original.options[original.correct_keys[0]](lang))
    await admin.press_payload(f"sqzc:{CONTEST}")
    assert "Announce the winners" not in admin.text, "only a closed contest's winners are announced"
    await admin.press("Close now")
    assert "🔴" in admin.text
    await Chat(app.dispatcher, user_id="late", language_hint="en").send("/quiz")
    await admin.press("Results by question")
    results = admin.text
    assert f"⚠️ {question_id}" in results and "fr 0%" in results and "Français" in results
    flagged = [line for line in results.splitlines() if line.startswith("⚠️ ") and ":" in line and "%" in line]
    assert len(flagged) == 1, results
    await admin.press_payload(f"sqzc:{CONTEST}")
    await admin.press("Announce the winners")
    assert "18 participants" in admin.text and "🥇" in admin.text
    await admin.press("Send")
    assert "on its way to 18 participants" in admin.text
    await admin.press_payload(f"sqzsend:{CONTEST}")
    assert "already been announced" in admin.text
    channel = CollectingChannel()
    deliver = Delivery(app.sessions, app.catalogs, lambda: app.content, NOTICES, {"test": channel}, clock)
    clock.advance(dt.timedelta(minutes=10))
    await deliver.send_due()
    received = {chat_id: replies[0].text for chat_id, replies in channel.sent if "🏆" in replies[0].text}
    assert len(received) == 18
    french = t(catalogs, "fr", "🏆 Results of the quiz “{title}”").format(title=contest.title("fr"))
    vietnamese = t(catalogs, "vi", "🏆 Results of the quiz “{title}”").format(title=contest.title("vi"))
    assert french in received["fr-0"] and vietnamese in received["vi-0"]
    async with app.sessions() as session:
        broadcast = await session.scalar(select(Broadcast))
    assert broadcast is not None and broadcast.audience == f"quiz:{CONTEST}"


def mistranslate(path: Path, question_id: str, correct: str) -> None:
    """Keep three questions (two a round), and swap the French texts of ``question_id``'s right option and
    another one: French players who know the answer now pick a wrong option."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    contest = data["contests"][CONTEST]
    kept = [question_id, *[q for q in contest["questions"] if q != question_id][:2]]
    contest["questions"] = {q: contest["questions"][q] for q in kept}
    contest["round"] = 2
    options = contest["questions"][question_id]["options"]
    other = next(key for key in options if key != correct)
    options[correct]["fr"], options[other]["fr"] = options[other]["fr"], options[correct]["fr"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


async def play_until_asked(chat: Chat, clock: FakeClock, question_id: str, *, truth: str) -> None:
    """Play rounds (the first counts, then practice) until ``question_id`` was asked, answering every other
    question right and that one with the option that reads ``truth`` in the player's language."""
    await chat.send("/quiz")
    await chat.press_payload(f"qzgo:{CONTEST}")
    if not any(reply.poll for reply in chat.last):
        await chat.press_payload(f"qzname:{CONTEST}:yes:play")
    asked = False
    while True:
        while any(reply.poll for reply in chat.last):
            shown = question_of(chat)
            clock.advance(dt.timedelta(seconds=5))
            chosen = [b for b in shown.all_buttons() if b.label == truth]
            if chosen:
                asked = True
                await chat.press_payload(chosen[0].payload or "")
            else:
                await answer(chat, right=True)
            await chat.press_payload(chat.buttons()[-1].payload or "")
        if asked:
            return
        await chat.press_payload(f"qzgo:{CONTEST}")


async def test_an_announcement_can_open_the_quiz(app: App, clock: FakeClock) -> None:
    """Staff announce a contest with a broadcast whose button is the contest's id; it opens the quiz."""
    announcement = announcement_from({"en": "The quiz is open: test your knowledge of Hanoi!", "button": CONTEST},
                                     app.content)  # fmt: skip
    reply = announcement_reply(announcement.texts, announcement.button,
                               Notice(app.catalogs.locale("en"), app.content, clock.now()))  # fmt: skip
    reader = Chat(app.dispatcher, user_id="reader", language_hint="en")
    reader.last = [reply]
    await reader.press_payload(next(b.payload for b in reply.all_buttons() if b.payload == f"quiz:{CONTEST}"))
    assert app.content.quiz.contests[CONTEST].title("en") in reader.text


@pytest.mark.parametrize(
    ("language", "question"),
    [("en", "is there a quiz about Hanoi?"), ("vi", "Có cuộc thi tìm hiểu Hà Nội trên bot không?")],
)
async def test_asking_about_the_quiz_in_words_opens_it(app: App, language: str, question: str) -> None:
    await open_contest(app)
    player = Chat(app.dispatcher, user_id=f"asks-{language}", language_hint=language)
    await player.send(question)
    assert app.content.faq.get("quiz").answer(language) in player.text
    assert app.content.quiz.contests[CONTEST].title(language) in player.text
    assert f"qzgo:{CONTEST}" in [button.payload for button in player.buttons()]
