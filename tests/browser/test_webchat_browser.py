"""The web chat in a real headless browser (Debian's chromium and chromium-driver, driven by Selenium) against
``haufo-bot run`` with ``WEBCHAT=true``: greetings in three languages, a button walk, a free-text answer, a
tour registration with its ticket, a reload that keeps the history, markup shown literally, and axe-core's
accessibility check. CI installs the browser (``.ci/run``) and requires these tests; elsewhere they are
skipped when no browser is installed."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from bot.config import PROJECT_ROOT
from bot.core.content import load_content
from bot.core.i18n import Catalogs
from tests.channels.telegram.test_process import bot_process, free_port

T = TypeVar("T")
AXE = Path(__file__).with_name("node_modules") / "axe-core" / "axe.min.js"
SCREENSHOT = PROJECT_ROOT / "docs" / "webchat-demo.png"
HOSTILE = "<img src=x onerror=alert(1)>"
WAIT = 20.0

browser_missing = not (shutil.which("chromium") and shutil.which("chromedriver") and AXE.exists())
if browser_missing and os.environ.get("REQUIRE_BROWSER"):
    raise RuntimeError("REQUIRE_BROWSER is set, but chromium, chromedriver or axe-core is missing (see .ci/run)")
pytestmark = pytest.mark.skipif(browser_missing, reason="chromium, chromium-driver and npm's axe-core are needed")


PARTNER_PORT = free_port()
PARTNER = f"http://localhost:{PARTNER_PORT}"
"""A partner's site: another origin (localhost is not 127.0.0.1), listed in WEBCHAT_ORIGINS."""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``haufo-bot run`` serving the web chat only, and its address."""
    port = free_port()
    with bot_process(tmp_path_factory.mktemp("webchat"), WEBCHAT="true", PORT=str(port), WEBCHAT_ORIGINS=PARTNER):
        base = f"http://127.0.0.1:{port}"
        _until(lambda: _answers(f"{base}/healthz"), "the bot did not start")
        yield base


@pytest.fixture(scope="module")
def partner(site: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A page of a partner's site embedding the chat with its one tag, served from another origin."""
    folder = tmp_path_factory.mktemp("partner")
    (folder / "index.html").write_text(
        "<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>Partenaire</title></head><body>"
        f"<main><h1>Association partenaire</h1></main><script src='{site}/chat/widget.js' data-lang='fr' "
        "data-open async></script></body></html>", encoding="utf-8")  # fmt: skip
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", PARTNER_PORT), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield PARTNER
    server.shutdown()


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    """Headless Chromium."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or ""
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(argument)
    browser = webdriver.Chrome(service=Service(shutil.which("chromedriver") or ""), options=options)
    yield browser
    browser.quit()


@pytest.fixture(scope="module")
def catalogs() -> Catalogs:
    from zoneinfo import ZoneInfo

    return Catalogs(PROJECT_ROOT / "locales", ZoneInfo("Asia/Ho_Chi_Minh"))


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _until(found: Callable[[], T], problem: str) -> T:
    deadline = time.time() + WAIT
    while time.time() < deadline:
        result = found()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(problem)


def fresh(driver: Any, site: str, lang: str = "en") -> None:
    """A first visit: the demo page with no token kept."""
    driver.get(f"{site}/chat/?lang={lang}")
    driver.execute_script("localStorage.clear()")
    driver.get(f"{site}/chat/?lang={lang}")
    _until(lambda: driver.find_elements("css selector", "[role=log]"), "the widget did not appear")
    _until(lambda: driver.execute_script("return !!localStorage.getItem('haufo-chat-token')"), "no session")


def bot_messages(driver: Any) -> list[Any]:
    return list(driver.find_elements("css selector", '[role=log] [data-from="bot"]'))


def type_in(driver: Any, text: str) -> int:
    """Type ``text`` and press Enter; returns how many bot messages there were before."""
    before = len(bot_messages(driver))
    field = driver.find_element("css selector", "input[id=hc-input]")
    field.send_keys(text)
    field.send_keys("\n")
    return before


def answer_after(driver: Any, before: int, containing: str = "") -> str:
    """The text of the bot's messages after the first ``before``, once one contains ``containing``."""

    def arrived() -> str:
        texts = [message.text for message in bot_messages(driver)[before:]]
        return "\n".join(texts) if texts and containing in "\n".join(texts) else ""

    return _until(arrived, f"no answer containing {containing!r}")


def press(driver: Any, label: str) -> int:
    """Press the last enabled button whose label contains ``label``."""
    before = len(bot_messages(driver))
    buttons = [
        b for b in driver.find_elements("css selector", "[role=log] button") if label in b.text and b.is_enabled()
    ]
    assert buttons, f"no button {label!r}"
    buttons[-1].click()
    return before


@pytest.mark.parametrize("lang", ["en", "vi", "ja"])
def test_start_is_answered_in_the_visitors_language(driver: Any, site: str, catalogs: Catalogs, lang: str) -> None:
    fresh(driver, site, lang)
    assert driver.find_element("css selector", "input[id=hc-input]").accessible_name
    before = type_in(driver, "/start")
    text = answer_after(driver, before, "HAUFO")
    menu = catalogs.locale(lang).gettext("🎉 Events")  # type: ignore[arg-type]
    assert menu in " ".join(b.text for b in driver.find_elements("css selector", "[role=log] button"))
    assert text


def test_a_button_walk_a_free_text_answer_and_markup_shown_literally(driver: Any, site: str) -> None:
    fresh(driver, site)
    answer_after(driver, type_in(driver, "/start"), "HAUFO")
    before = press(driver, "Spring tours")
    answer_after(driver, before, "Cổ Loa")
    [group] = [g for g in driver.find_elements("css selector", "[role=log] .hc-buttons")
               if "You chose: " in g.get_attribute("textContent")]  # fmt: skip
    assert "Spring tours" in group.get_attribute("textContent")
    assert all(not b.is_enabled() for b in group.find_elements("css selector", "button")), "a used group is disabled"
    users = driver.find_elements("css selector", '[role=log] [data-from="user"]')
    assert "Spring tours" in users[-1].text, "the pressed button shows as the visitor's message"

    bring = load_content(PROJECT_ROOT / "content").faq.get("tour-what-to-bring").answer("en")
    answer_after(driver, type_in(driver, "What should I bring on the tour?"), bring[:40])
    driver.execute_script("window.alert = function () { window.__alerted = true; };")
    before = type_in(driver, HOSTILE)
    answer_after(driver, before)
    mine = driver.find_elements("css selector", '[role=log] [data-from="user"]')[-1]
    assert HOSTILE in mine.text, "shown as text"
    assert driver.find_elements("css selector", '[role=log] img[src="x"]') == []
    assert driver.execute_script("return window.__alerted === undefined")


def test_a_tour_registration_shows_its_ticket_and_a_reload_keeps_the_history(
    driver: Any, site: str, tmp_path: Path
) -> None:
    fresh(driver, site)
    answer_after(driver, type_in(driver, "/start tour-spring-2027-co-loa"), "Cổ Loa")
    answer_after(driver, press(driver, "Register"))
    for answer in ["Anna Schmidt", "German"]:
        answer_after(driver, type_in(driver, answer))
    answer_after(driver, press(driver, "0"))
    answer_after(driver, type_in(driver, "anna@example.org"))
    answer_after(driver, press(driver, "Skip"))
    answer_after(driver, press(driver, "I agree"))
    confirmed = answer_after(driver, press(driver, "Confirm"), "confirmed")
    assert "Cổ Loa" in confirmed
    answer_after(driver, press(driver, "My registrations"), "Cổ Loa")
    answer_after(driver, press(driver, "Cổ Loa"))
    answer_after(driver, press(driver, "Ticket"), "ticket")
    ticket = _until(lambda: [img for img in driver.find_elements("css selector", '[role=log] [data-from="bot"] img')
                             if driver.execute_script("return arguments[0].naturalWidth", img) > 0],
                    "the ticket's QR code did not show")  # fmt: skip
    assert ticket
    # docs/webchat-demo.png when asked (UPDATE_SCREENSHOT=1), so that a test run leaves the tree as it was
    shot = SCREENSHOT if os.environ.get("UPDATE_SCREENSHOT") else tmp_path / SCREENSHOT.name
    assert driver.save_screenshot(str(shot))

    count = len(driver.find_elements("css selector", "[role=log] [data-from]"))
    driver.refresh()
    _until(lambda: len(driver.find_elements("css selector", "[role=log] [data-from]")) >= count,
           "the history did not come back after a reload")  # fmt: skip
    assert "Anna Schmidt" in driver.find_element("css selector", "[role=log]").text


def test_the_chat_works_embedded_on_a_listed_partner_site(driver: Any, partner: str) -> None:
    driver.get(f"{partner}/index.html")
    driver.execute_script("localStorage.clear()")
    driver.get(f"{partner}/index.html")
    _until(lambda: driver.find_elements("css selector", "[role=log]"), "the widget did not appear")
    _until(lambda: driver.execute_script("return !!localStorage.getItem('haufo-chat-token')"), "no session")
    text = answer_after(driver, type_in(driver, "/start"), "HAUFO")
    assert "Bonjour" in text, "in the language of the partner's page, through CORS and the event stream"


def test_axe_finds_no_serious_accessibility_violation(driver: Any, site: str) -> None:
    fresh(driver, site)
    answer_after(driver, type_in(driver, "/start"), "HAUFO")
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}).then(done);"
    )
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
               if v["impact"] in ("serious", "critical")]  # fmt: skip
    assert serious == []
