"""Content translated in part: Vietnamese and English are required, a missing language falls back to English
(then Vietnamese) with a note in the reader's language, and ``content status`` lists what is missing."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.app import App
from bot.config import PROJECT_ROOT, Settings
from bot.core.clock import FakeClock
from bot.core.content import check_content, load_content
from bot.core.content_status import untranslated
from bot.core.detection import LanguageDetector
from bot.core.translation import parse_fallback
from bot.services.answers import Answerer
from tests.chat import Chat
from tests.conftest import running_app

TOUR = "spring-2027-co-loa"


def _content_without(tmp_path: Path, *langs: str) -> Path:
    """The sample content with the Co Loa tour's description missing in ``langs``."""
    folder = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", folder)
    tours = yaml.safe_load((folder / "tours.yaml").read_text(encoding="utf-8"))
    for lang in langs:
        del tours[TOUR]["description"][lang]
    (folder / "tours.yaml").write_text(yaml.safe_dump(tours, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def test_a_missing_translation_falls_back_and_is_listed(tmp_path: Path) -> None:
    content = load_content(_content_without(tmp_path, "ko", "fr"))
    tour = content.tours.get(TOUR)
    assert tour.description("ko") == tour.description("en")
    assert tour.description.get("ko") is None
    assert untranslated(content)["tours.yaml"]["ko"] == [f"{TOUR}.description"]
    assert untranslated(content)["tours.yaml"]["ru"] == []


def test_vietnamese_and_english_are_required(tmp_path: Path) -> None:
    content, problems = check_content(_content_without(tmp_path, "en"))
    assert content is None
    assert any(p.file == "tours.yaml" and TOUR in p.key and "en" in p.key for p in problems), problems


def test_content_status_counts_per_file_and_language(tmp_path: Path) -> None:
    folder = _content_without(tmp_path, "ja")
    done = subprocess.run(
        [sys.executable, "-m", "bot", "content", "status", "--dir", str(folder), "--list"],
        capture_output=True, text=True, check=False, cwd=PROJECT_ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    header, *rows = done.stdout.splitlines()
    tours = next(row.split() for row in rows if row.startswith("tours.yaml"))
    assert tours[header.split().index("ja")] == "1" and tours[header.split().index("ko")] == "0"
    assert f"tours.yaml ja: {TOUR}.description" in done.stdout
    assert "1 texts wait for a translation" in done.stdout


@pytest.mark.parametrize("lang", ["ko", "fr"])
async def test_a_reader_gets_english_with_a_note_in_their_own_language(
    settings: Settings, clock: FakeClock, detector: LanguageDetector, answerer: Answerer, tmp_path: Path,
    lang: str,
) -> None:  # fmt: skip
    untranslated_settings = settings.model_copy(update={"content_dir": _content_without(tmp_path, "ko", "fr")})
    async with running_app(untranslated_settings, clock, detector, answerer) as app:
        chat = Chat(app.dispatcher, user_id=f"reader-{lang}", language_hint=lang)
        await chat.press_payload(f"tour:{TOUR}")
        tour = app.content.tours.get(TOUR)
        assert tour.description.get("en") in chat.text
        assert tour.summary(lang) in chat.text, "what is translated is shown in the reader's language"
        note = _note(app, lang)
        assert note in chat.text
        await chat.press_payload("tour:spring-2027-son-tay")
        assert note not in chat.text, "a fully translated card has no note"


def _note(app: App, lang: str) -> str:
    text = app.catalogs.locale(lang).gettext(  # type: ignore[arg-type]
        "ⓘ Part of this text is not yet translated into your language and is shown in {language}."
    )
    return text.format(language="English")


def test_the_fallback_order_is_configurable_and_checked() -> None:
    assert parse_fallback("vi, en") == ("vi", "en")
    with pytest.raises(ValueError, match="unknown language codes"):
        parse_fallback("vi,de")
