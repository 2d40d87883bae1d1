"""Bad input never crashes the dispatcher: arbitrary text, empty and huge messages, forged buttons."""

from __future__ import annotations

import asyncio
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import build_app
from bot.config import PROJECT_ROOT, Settings
from bot.core.clock import FakeClock
from bot.core.detection import LanguageDetector
from bot.core.languages import LANGUAGES
from bot.core.messages import Incoming
from bot.services.answers import Answerer
from tests.conftest import NOW

APOLOGY = "Sorry, something went wrong on our side. Please try again in a moment, or send /start."
PREFIXES = ["home", "help", "lang", "events", "event", "courses", "course", "tours", "tour", "sites", "site", "x", ""]
KNOWN_IDS = ["co-loa", "new-year-gala", "vietnamese-beginner", "spring-2027-co-loa", "0", "1", "99", "-1", "fr"]

payload_parts = st.one_of(st.sampled_from(KNOWN_IDS), st.text(max_size=20))
forged_payloads = st.builds(
    lambda prefix, args: ":".join([prefix, *args]),
    st.sampled_from(PREFIXES),
    st.lists(payload_parts, max_size=3),
).filter(lambda p: len(p.encode()) <= 64)

texts = st.one_of(
    st.text(),
    st.just(""),
    st.text(min_size=5000, max_size=20000),
    st.builds(lambda t: "/" + t, st.text()),
    st.sampled_from(["/start", "/help", "/language", "/language xx", "/language " + "é" * 100, "/", "//", "/start@"]),
)


def test_arbitrary_input_always_gets_a_sensible_reply(
    tmp_path: Path, detector: LanguageDetector, answerer: Answerer
) -> None:
    config = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'fuzz.db'}",
        content_dir=PROJECT_ROOT / "content",
        flood_burst=0,
        _env_file=None,  # hypothesis types faster than anyone: flood control has its own tests
    )  # type: ignore[call-arg]
    with asyncio.Runner() as runner:
        app = runner.run(build_app(config, clock=FakeClock(NOW), detector=detector, answerer=answerer))
        apologies = {app.catalogs.locale(lang).gettext(APOLOGY) for lang in LANGUAGES}

        def check(message: Incoming) -> None:
            replies = runner.run(app.dispatcher.handle(message))
            assert replies, message
            for reply in replies:
                assert reply.text.strip()
                assert reply.text not in apologies, message
            assert any(reply.buttons for reply in replies), "every answer leaves a way on"

        @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(
            text=st.one_of(st.none(), texts),
            payload=st.one_of(st.none(), forged_payloads),
            user=st.sampled_from(["1", "2", "üñí"]),
            hint=st.one_of(
                st.none(), st.sampled_from([*LANGUAGES, "zh-hans", "pt-BR", "", "xx-yy"]), st.text(max_size=8)
            ),
        )
        def send(text: str | None, payload: str | None, user: str, hint: str | None) -> None:
            check(Incoming("test", user, user, text=None if payload else text, payload=payload, language_hint=hint))

        send()
        runner.run(app.close())
