"""Translators work in their own tools: ``content export`` writes a PO file, ``content import`` reads it back,
checked, into the YAML (its comments and layout kept)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from bot.config import PROJECT_ROOT
from bot.core.content import load_content

TOUR = "spring-2027-co-loa"


def _content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", folder)
    return folder


def _haufo_bot(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, check=False,
                          cwd=PROJECT_ROOT)  # fmt: skip


def _edit(po_file: Path, context: str, text: str) -> None:
    with po_file.open("rb") as handle:
        catalog = read_po(handle)
    message = next(m for m in catalog if m.context == context)
    message.string = text
    with po_file.open("wb") as handle:
        write_po(handle, catalog)


def test_a_korean_text_changed_in_po_comes_back_into_the_yaml(tmp_path: Path) -> None:
    folder = _content(tmp_path)
    before = (folder / "tours.yaml").read_text(encoding="utf-8")
    po_file = tmp_path / "ko.po"
    assert (
        _haufo_bot("content", "export", "--lang", "ko", "--all", "--dir", str(folder), "--out", str(po_file)).returncode
        == 0
    )
    with po_file.open("rb") as handle:
        exported = read_po(handle)
    summary = next(m for m in exported if m.context == f"tours.yaml:{TOUR}.summary")
    assert summary.id == load_content(folder).tours.get(TOUR).summary("en")
    assert any(comment.startswith("vi: ") for comment in summary.auto_comments), "the Vietnamese as context"

    new = "꼬로아 성과 밧짱 도자기 마을을 하루에 둘러보는 봄나들이입니다."
    _edit(po_file, f"tours.yaml:{TOUR}.summary", new)
    done = _haufo_bot("content", "import", str(po_file), "--dir", str(folder))
    assert done.returncode == 0, done.stderr
    assert load_content(folder).tours.get(TOUR).summary("ko") == new
    after = (folder / "tours.yaml").read_text(encoding="utf-8")
    changed = [line for line in after.splitlines() if line not in before.splitlines()]
    assert len(changed) == 1 and new in changed[0], "one line changed, the rest of the file as it was"
    assert after.splitlines()[0] == before.splitlines()[0], "comments kept"


def test_only_what_is_missing_is_exported_by_default(tmp_path: Path) -> None:
    folder = _content(tmp_path)
    done = _haufo_bot("content", "export", "--lang", "ja", "--dir", str(folder))
    assert done.returncode == 0
    assert "msgctxt" not in done.stdout, "the sample is fully translated: nothing to do"


def test_a_bad_import_names_its_problem_and_writes_nothing(tmp_path: Path) -> None:
    folder = _content(tmp_path)
    po_file = tmp_path / "ru.po"
    _haufo_bot("content", "export", "--lang", "ru", "--all", "--dir", str(folder), "--out", str(po_file))
    before = {name: (folder / name).read_text(encoding="utf-8") for name in ("tours.yaml", "faq.yaml")}
    _edit(po_file, f"tours.yaml:{TOUR}.summary", "Новый текст")
    text = po_file.read_text(encoding="utf-8").replace(
        'msgctxt "faq.yaml:contact.answer"', 'msgctxt "faq.yaml:no-such.answer"'
    )
    po_file.write_text(text, encoding="utf-8")
    done = _haufo_bot("content", "import", str(po_file), "--dir", str(folder))
    assert done.returncode == 1
    assert "faq.yaml:no-such.answer: no such text in the content" in done.stderr
    assert {name: (folder / name).read_text(encoding="utf-8") for name in before} == before
