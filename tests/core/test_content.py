"""Content: the sample is valid and complete; broken content is reported by file and key."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from bot.config import PROJECT_ROOT
from bot.core.content import check_content, load_content
from bot.core.languages import LANGUAGES

CONTENT = PROJECT_ROOT / "content"

DESIGN_IDS = {
    "sites": [
        "duong-lam",
        "son-tay-citadel",
        "den-va",
        "chua-mia",
        "den-phu-dong",
        "co-loa",
        "bat-trang",
        "chua-thay",
        "den-hat-mon",
        "thang-long-citadel",
    ],
    "tours": ["spring-2027-son-tay", "spring-2027-co-loa", "spring-2027-chua-thay"],
    "courses": ["vietnamese-beginner", "vietnamese-intermediate", "vietnamese-advanced"],
    "events": [
        "new-year-gala",
        "peace-tree-planting",
        "asian-new-year-festival",
        "run-for-children",
        "peace-culture-day",
    ],
    "faq": [
        "about-haufo",
        "register-class",
        "class-schedule",
        "class-fee",
        "class-field-trips",
        "register-tour",
        "tour-meeting-point",
        "tour-what-to-bring",
        "tour-guests",
        "cancel-registration",
        "my-registrations",
        "waitlist",
        "reminders",
        "change-language",
        "privacy",
        "contact",
        "newsletter",
        "member-associations",
        "donate",
    ],
}


def test_sample_content_has_every_id_from_the_design() -> None:
    content = load_content(CONTENT)
    for section, ids in DESIGN_IDS.items():
        assert set(ids) <= set(getattr(content, section).ids()), section


def test_every_content_text_exists_in_all_seven_languages() -> None:
    content = load_content(CONTENT)
    items = [item for section in content.by_file().values() for item in section.items.values()]
    texts = [text for _file, _path, text in content.texts()]
    for text in texts:
        assert [lang for lang, body in text.items() if body.strip()] == list(LANGUAGES)
    assert len(texts) >= 2 * len(items)
    assert len({text.vi for text in texts}) > len(items), "texts are not copies of one another"


def test_every_item_has_example_questions_in_every_language() -> None:
    """The answer engine's weights are fitted on them (bench/calibrate.py): none may be missing."""
    content = load_content(CONTENT)
    ids = [item_id for section in (content.faq, content.events, content.courses, content.tours, content.sites)
           for item_id in section.ids()]  # fmt: skip
    for lang in LANGUAGES:
        for item_id in ids:
            assert len(content.asked.of(item_id, lang)) >= 5, (item_id, lang)
        assert len(content.asked.out_of_scope.get(lang, ())) >= 20, lang


def test_tours_are_after_tet_2027_and_in_order() -> None:
    content = load_content(CONTENT)
    tet_2027 = dt.date(2027, 2, 6)
    for tour in content.tours.items.values():
        assert tet_2027 < tour.date < dt.date(2027, 6, 1)
        assert tour.registration_deadline.date() < tour.date


def _broken_copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    sites = yaml.safe_load((target / "sites.yaml").read_text(encoding="utf-8"))
    del sites["co-loa"]["name"]["en"]  # Vietnamese and English are required; the others may come later
    sites["bat-trang"]["location"]["lat"] = 123
    (target / "sites.yaml").write_text(yaml.safe_dump(sites, allow_unicode=True), encoding="utf-8")
    tours = yaml.safe_load((target / "tours.yaml").read_text(encoding="utf-8"))
    tours["spring-2027-co-loa"]["sites"].append("atlantis")
    tours["spring-2027-son-tay"]["colour"] = "red"
    (target / "tours.yaml").write_text(yaml.safe_dump(tours, allow_unicode=True), encoding="utf-8")
    (target / "faq.yaml").write_text("about-haufo: [unclosed\n", encoding="utf-8")
    asked = yaml.safe_load((target / "asked" / "fr.yaml").read_text(encoding="utf-8"))
    asked["items"]["co-loa"].append("")
    (target / "asked" / "fr.yaml").write_text(yaml.safe_dump(asked, allow_unicode=True), encoding="utf-8")
    (target / "asked" / "ja.yaml").write_text("items: {co-loa: [unclosed\n", encoding="utf-8")
    return target


def test_example_questions_name_content_items(tmp_path: Path) -> None:
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    (target / "asked" / "ru.yaml").write_text('items:\n  atlantis: ["Где Атлантида?"]\n', encoding="utf-8")
    content, problems = check_content(target)
    assert content is None
    assert [(p.file, p.key, p.message) for p in problems] == [
        ("asked/ru.yaml", "items.atlantis", "unknown content id 'atlantis'")
    ]


def test_every_problem_is_reported_with_file_and_key(tmp_path: Path) -> None:
    content, problems = check_content(_broken_copy(tmp_path))
    assert content is None
    reported = {(p.file, p.key) for p in problems}
    assert ("sites.yaml", "co-loa.name.en") in reported
    assert ("sites.yaml", "bat-trang.location.lat") in reported
    assert ("tours.yaml", "spring-2027-co-loa.sites.3") in reported
    assert ("tours.yaml", "spring-2027-son-tay.colour") in reported
    assert any(p.file == "faq.yaml" and "not valid YAML" in p.message for p in problems)
    assert any(p.file == "asked/fr.yaml" and p.key.startswith("items.co-loa.") for p in problems)
    assert any(p.file == "asked/ja.yaml" and "not valid YAML" in p.message for p in problems)


def test_content_check_command_exits_non_zero_on_problems(tmp_path: Path) -> None:
    broken = _broken_copy(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "content", "check", "--dir", str(broken)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "sites.yaml: co-loa.name.en: missing the en text" in result.stdout
    ok = subprocess.run(
        [sys.executable, "-m", "bot", "content", "check", "--dir", str(CONTENT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
