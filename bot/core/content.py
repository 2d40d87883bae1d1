"""Content staff edit: sites, tours, courses, events and FAQ, loaded from YAML and validated."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Generic, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from bot.core.asked import Asked, load_asked
from bot.core.languages import LANGUAGES, Language
from bot.core.problems import Problem, ProblemKind, UnknownContent, validation_problems, yaml_problem
from bot.core.quiz import Quiz, check_quiz
from bot.core.translation import fallback_order, stood_in
from bot.core.weekdays import Weekday
from bot.core.yaml_text import read_yaml

ContentId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=40)]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
ClockTime = Annotated[str, StringConstraints(pattern=r"^(?:[01]\d|2[0-3]):[0-5]\d$")]


class Strict(BaseModel):
    """Base for content models: unknown keys are mistakes, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Localized(Strict):
    """One text in Vietnamese and English, and in the other languages once they are translated."""

    vi: NonEmpty
    en: NonEmpty
    fr: NonEmpty | None = None
    ru: NonEmpty | None = None
    zh: NonEmpty | None = None
    ja: NonEmpty | None = None
    ko: NonEmpty | None = None

    def __call__(self, lang: Language) -> str:
        """The text in ``lang``; where it is not translated yet, in the first fallback language that has it
        (noted, so that the reader is told)."""
        text = self.get(lang)
        if text is not None:
            return text
        for other in fallback_order():  # ends with vi and en, which every text has
            text = self.get(other)
            if text is not None:
                stood_in(other)
                return text
        raise AssertionError("vi and en are required")

    def get(self, lang: Language) -> str | None:
        """The text in ``lang``, or None while it is not translated."""
        text = getattr(self, lang)
        return None if text is None else str(text)

    def items(self) -> Iterator[tuple[Language, str]]:
        """Every (language, text) pair that is translated."""
        for lang in LANGUAGES:
            text = self.get(lang)
            if text is not None:
                yield lang, text


class Location(Strict):
    """Coordinates in degrees (WGS 84)."""

    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)

    @property
    def map_url(self) -> str:
        """A map link anyone can open."""
        return f"https://www.openstreetmap.org/?mlat={self.lat:.5f}&mlon={self.lon:.5f}#map=17/{self.lat:.5f}/{self.lon:.5f}"


PhoneNumber = Annotated[str, StringConstraints(pattern=r"^\+[0-9][0-9 ]{6,18}[0-9]$")]
"""An international phone number: "+84 904 123 456"."""


class Place(Strict):
    """A named place with an address, sent as a venue."""

    name: Localized
    """The place itself ("Hanoi Opera House"), not where at it: templates say "from {place}"."""
    address: Localized
    spot: Localized | None = None
    """Where exactly at the place, and what to look for (the morning reminder says it)."""
    location: Location


class Site(Strict):
    """A heritage site or craft village."""

    name: Localized
    summary: Localized
    description: Localized
    address: Localized
    location: Location
    opening: Localized
    getting_there: Localized

    @property
    def place(self) -> Place:
        """The site as a venue."""
        return Place(name=self.name, address=self.address, location=self.location)


class Tour(Strict):
    """A spring friendship tour with limited seats."""

    title: Localized
    summary: Localized
    description: Localized
    date: dt.date
    day_phone: PhoneNumber | None = None
    """The staff member's phone on the day of the tour."""
    departure: ClockTime
    return_: ClockTime = Field(alias="return")
    meeting_point: Place
    sites: list[ContentId] = Field(min_length=1)
    seats: int = Field(gt=0)
    fee: int = Field(ge=0, description="VND per person")
    fee_includes: Localized
    what_to_bring: Localized
    registration_deadline: dt.datetime


class Level(StrEnum):
    """Course level; its label is an interface string."""

    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


class Course(Strict):
    """A Vietnamese course for diplomats."""

    title: Localized
    summary: Localized
    description: Localized
    level: Level
    weekdays: list[Weekday] = Field(min_length=1)
    class_time: ClockTime
    class_minutes: int = Field(gt=0, le=480)
    starts: dt.date
    ends: dt.date
    venue: Place
    seats: int = Field(gt=0)
    fee: int = Field(ge=0, description="VND for the whole course")
    fee_includes: Localized
    registration_deadline: dt.datetime
    approval: bool = False
    field_trips: list[ContentId] = Field(default_factory=list)
    field_trips_note: Localized

    @model_validator(mode="after")
    def _dates_in_order(self) -> Course:
        if self.ends < self.starts:
            raise ValueError("ends is before starts")
        return self


class Event(Strict):
    """A public event."""

    title: Localized
    summary: Localized
    description: Localized
    starts: dt.datetime
    ends: dt.datetime | None = None
    venue: Place
    organisers: Localized

    @model_validator(mode="after")
    def _times_in_order(self) -> Event:
        if self.ends is not None and self.ends < self.starts:
            raise ValueError("ends is before starts")
        return self


class Faq(Strict):
    """A frequently asked question and its answer."""

    question: Localized
    answer: Localized


Item = TypeVar("Item", Site, Tour, Course, Event, Faq)


class ContentError(Exception):
    """Content that cannot be used; ``problems`` names each file and key."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Section(Generic[Item]):
    """The items of one kind, in file order, looked up by id."""

    kind: str
    items: Mapping[str, Item]

    def get(self, item_id: str) -> Item:
        """The item with ``item_id``, or ``UnknownContent``."""
        try:
            return self.items[item_id]
        except KeyError:
            raise UnknownContent(f"no {self.kind} with id {item_id!r}") from None

    def ids(self) -> list[str]:
        """Ids in file order."""
        return list(self.items)

    def __len__(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class Content:
    """Everything staff publish through the bot."""

    sites: Section[Site]
    tours: Section[Tour]
    courses: Section[Course]
    events: Section[Event]
    faq: Section[Faq]
    asked: Asked = field(default_factory=Asked)
    """How people ask for each item, in their words (``asked/<lang>.yaml``)."""
    quiz: Quiz = field(default_factory=Quiz)
    """The Thăng Long – Hà Nội quiz contests (``quiz.yaml``)."""

    def by_file(self) -> dict[str, Section[Any]]:
        """The sections by the file each is read from, in ``FILES`` order."""
        return {"sites.yaml": self.sites, "tours.yaml": self.tours, "courses.yaml": self.courses,
                "events.yaml": self.events, "faq.yaml": self.faq}  # fmt: skip

    def texts(self) -> Iterator[tuple[str, str, Localized]]:
        """Every text with its file and key path (``co-loa.description``, ``x.meeting_point.name``)."""
        for file_name, section in self.by_file().items():
            for item_id, item in section.items.items():
                for path, text in _localized_texts(item, item_id):
                    yield file_name, path, text


def _localized_texts(value: Any, path: str) -> Iterator[tuple[str, Localized]]:
    if isinstance(value, Localized):
        yield path, value
    elif isinstance(value, BaseModel):
        for name, inner in value:
            yield from _localized_texts(inner, f"{path}.{name}")
    elif isinstance(value, list | tuple):
        for index, element in enumerate(value):
            yield from _localized_texts(element, f"{path}[{index}]")


FILES: dict[str, type[Strict]] = {
    "sites.yaml": Site,
    "tours.yaml": Tour,
    "courses.yaml": Course,
    "events.yaml": Event,
    "faq.yaml": Faq,
}


def _load_file(path: Path, model: type[Strict], problems: list[Problem]) -> dict[str, Any]:
    try:
        raw = read_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(Problem(path.name, "", "file is missing", ProblemKind.FILE_MISSING))
        return {}
    except yaml.YAMLError as exc:
        problems.append(yaml_problem(path.name, exc))
        return {}
    if not isinstance(raw, dict):
        problems.append(Problem(path.name, "", "must be a mapping of id to item", ProblemKind.NOT_MAPPING))
        return {}
    items: dict[str, Any] = {}
    for item_id, body in raw.items():
        if not isinstance(item_id, str) or not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", item_id) or len(item_id) > 40:
            problems.append(
                Problem(
                    path.name,
                    str(item_id),
                    "id must be lowercase words joined by '-', at most 40 characters",
                    ProblemKind.BAD_ID,
                )
            )
            continue
        try:
            items[item_id] = model.model_validate(body)
        except ValidationError as exc:
            problems.extend(validation_problems(path.name, exc, item_id))
    return items


def _unknown_site(file: str, key: str, site: str) -> Problem:
    return Problem(file, key, f"unknown site {site!r}", ProblemKind.UNKNOWN_REFERENCE, site)


def _check_references(content: dict[str, dict[str, Any]], problems: list[Problem]) -> None:
    site_ids = set(content["sites.yaml"])
    for tour_id, tour in content["tours.yaml"].items():
        for index, site in enumerate(tour.sites):
            if site not in site_ids:
                problems.append(_unknown_site("tours.yaml", f"{tour_id}.sites.{index}", site))
    for course_id, course in content["courses.yaml"].items():
        for index, site in enumerate(course.field_trips):
            if site not in site_ids:
                problems.append(_unknown_site("courses.yaml", f"{course_id}.field_trips.{index}", site))


def check_content(directory: Path) -> tuple[Content | None, list[Problem]]:
    """Load ``directory``; return the content (None if unusable) and every problem found."""
    problems: list[Problem] = []
    loaded = {name: _load_file(directory / name, model, problems) for name, model in FILES.items()}
    _check_references(loaded, problems)
    known = None if problems else {item_id for items in loaded.values() for item_id in items}
    asked, asked_problems = load_asked(directory, known)
    problems.extend(asked_problems)
    quiz, quiz_problems = check_quiz(directory, known)
    problems.extend(quiz_problems)
    if problems:
        return None, problems
    content = Content(
        sites=Section("site", loaded["sites.yaml"]),
        tours=Section("tour", loaded["tours.yaml"]),
        courses=Section("course", loaded["courses.yaml"]),
        events=Section("event", loaded["events.yaml"]),
        faq=Section("faq", loaded["faq.yaml"]),
        asked=asked,
        quiz=quiz,
    )
    return content, []


def load_content(directory: Path) -> Content:
    """Load and validate ``directory``, raising ``ContentError`` listing every problem."""
    content, problems = check_content(directory)
    if content is None:
        raise ContentError(problems)
    return content
