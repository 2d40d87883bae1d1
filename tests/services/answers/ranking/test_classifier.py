"""The item classifier over example vectors: it learns which item an example asks for, and is fitted once."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.services.answers.ranking.classifier import ItemClassifier


def _examples(seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    """Three items, each asked about in directions around its own centre."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(3, 16))
    labels = np.repeat(np.arange(3), 20)
    vectors = centres[labels] + 0.3 * rng.normal(size=(60, 16))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors.astype(np.float32), labels.astype(np.intp)


def test_the_classifier_names_the_item_of_a_new_question() -> None:
    vectors, labels = _examples()
    classifier = ItemClassifier.fit(vectors[1:], labels[1:], 3)
    probabilities = classifier.probabilities(vectors[0])
    assert int(probabilities.argmax()) == labels[0]
    assert probabilities.sum() == pytest.approx(1.0, abs=1e-5)


def test_a_fitted_classifier_is_read_back_not_fitted_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    vectors, labels = _examples()
    first = ItemClassifier.fit_cached(vectors, labels, 3, tmp_path)
    (stored,) = tmp_path.glob("classifier-*.npz")
    monkeypatch.setattr(ItemClassifier, "fit", classmethod(lambda *_: pytest.fail("fitted again")))
    again = ItemClassifier.fit_cached(vectors, labels, 3, tmp_path)
    assert np.array_equal(again.probabilities(vectors[5]), first.probabilities(vectors[5]))
    monkeypatch.undo()
    ItemClassifier.fit_cached(vectors, labels[::-1].copy(), 3, tmp_path)  # other examples: another classifier
    assert len(list(tmp_path.glob("classifier-*.npz"))) == 2
    assert stored.exists()
