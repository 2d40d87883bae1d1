"""Each reminder has its own job: the plan the day before, the exact meeting on the morning, the first class."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.core.content import Content
from bot.core.i18n import Catalogs, use_locale
from bot.core.languages import Language
from bot.core.messages import Reply
from bot.core.notices import Notice
from bot.services.offerings import occasions
from handlers.notices import reminder

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
TOUR = "spring-2027-co-loa"
COURSE = "vietnamese-beginner"


async def _render(
    catalogs: Catalogs, content: Content, lang: Language, item: str, occasion: dt.datetime, rule: dict[str, object]
) -> tuple[Reply, str]:
    locale = catalogs.locale(lang)
    params = {"offering": item, "registration": 7, "occasion": occasion.isoformat(), **rule}
    now = occasion - dt.timedelta(hours=2)
    with use_locale(locale):
        (reply,) = await reminder(params, Notice(locale, content, now))
    return reply, reply.text


DAY_BEFORE = {"rule": "day-before", "ask": True, "venue": False, "every_class": False}
ON_THE_DAY = {"rule": "departure", "ask": False, "venue": True, "every_class": False}


@pytest.mark.parametrize("lang", ["en", "vi", "ko"])
async def test_the_day_before_gives_the_plan_and_the_morning_the_exact_meeting(
    catalogs: Catalogs, content: Content, lang: Language
) -> None:
    tour = content.tours.get(TOUR)
    departure = occasions(tour, ZONE)[0]
    t = catalogs.locale(lang).gettext
    before, before_text = await _render(catalogs, content, lang, TOUR, departure, DAY_BEFORE)
    morning, morning_text = await _render(catalogs, content, lang, TOUR, departure, ON_THE_DAY)

    assert t("Still coming?") in before_text and tour.what_to_bring(lang) in before_text
    assert before.venue is None and len(before.buttons) == 2, "yes / cancel, then My registrations"
    assert t("Still coming?") not in morning_text and tour.what_to_bring(lang) not in morning_text
    left = catalogs.locale(lang).duration(dt.timedelta(hours=2))
    assert left in morning_text, "how soon the coach leaves"
    assert tour.meeting_point.spot is not None and tour.meeting_point.spot(lang) in morning_text
    assert tour.day_phone is not None and tour.day_phone in morning_text
    assert morning.venue is not None, "the pin"
    assert tour.meeting_point.name(lang) in before_text and tour.meeting_point.name(lang) in morning_text
    for text in (before_text, morning_text):
        assert "{" not in text and ".." not in text and "((" not in text


@pytest.mark.parametrize("lang", ["en", "fr", "ja"])
async def test_a_courses_first_class_is_announced_apart_from_the_weekly_ones(
    catalogs: Catalogs, content: Content, lang: Language
) -> None:
    course = content.courses.get(COURSE)
    first, second = occasions(course, ZONE)[:2]
    rule = {"rule": "class", "ask": False, "venue": True, "every_class": True}
    _, first_text = await _render(catalogs, content, lang, COURSE, first, rule)
    _, weekly_text = await _render(catalogs, content, lang, COURSE, second, rule)
    _, eve_text = await _render(catalogs, content, lang, COURSE, first, {**DAY_BEFORE, "rule": "day-before"})
    assert len({first_text.splitlines()[0], weekly_text.splitlines()[0], eve_text.splitlines()[0]}) == 3
    assert all(course.title(lang) in text for text in (first_text, weekly_text, eve_text))
    assert course.venue.address(lang) in weekly_text
