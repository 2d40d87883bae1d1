"""The Bot API specification (api.json) as an oracle: decodes and validates the parameters of a call."""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.fake_bot_api import limits

API_JSON = Path(__file__).with_name("api.json")
ARRAY = "Array of "
PRIMITIVES = frozenset({"Integer", "Float", "String", "Boolean", "InputFile"})
CONSTANT_RE = re.compile(r'(?:must be|always) "?([A-Za-z0-9_]+)"?\s*$')
INTEGER_RE = re.compile(r"[+-]?\d+")
FLOAT_RE = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
ATTACH = "attach://"
INT64 = 2**63


@dataclass(frozen=True)
class Field:
    """One parameter of a method or field of a type."""

    name: str
    types: tuple[str, ...]
    required: bool


@dataclass(frozen=True)
class TypeSpec:
    """An object type: its fields, or the subtypes it is a union of; and the constant that tells subtypes apart."""

    name: str
    fields: Mapping[str, Field] | None
    subtypes: tuple[str, ...] = ()
    discriminator: tuple[str, str] | None = None


def _fields(entries: Sequence[Mapping[str, Any]]) -> dict[str, Field]:
    """Fields of api.json, by name."""
    return {e["name"]: Field(e["name"], tuple(e["types"]), bool(e["required"])) for e in entries}


def _discriminator(entry: Mapping[str, Any]) -> tuple[str, str] | None:
    """For a subtype, the field that must hold a constant ("type": "chat", "status": "kicked", ...)."""
    if not entry.get("subtype_of"):
        return None
    for field in entry.get("fields", ()):
        match = CONSTANT_RE.search(field["description"])
        if field["name"] in ("type", "status", "source") and match:
            return field["name"], match.group(1)
    return None


def describe(value: object) -> str:
    """A short description of a JSON value for error messages."""
    kinds = {bool: "Boolean", int: "Integer", float: "Float", str: "String", list: "Array", dict: "object"}
    text = json.dumps(value, ensure_ascii=False)
    return f"{kinds.get(type(value), type(value).__name__)} {text if len(text) <= 60 else text[:57] + '...'}"


def attach_names(value: object) -> Iterator[str]:
    """The names of uploaded files referenced as attach://<name> anywhere in `value`."""
    if isinstance(value, str) and value.startswith(ATTACH):
        yield value.removeprefix(ATTACH)
    elif isinstance(value, dict):
        for item in value.values():
            yield from attach_names(item)
    elif isinstance(value, list):
        for item in value:
            yield from attach_names(item)


class BotApiSpec:
    """Methods and types of the Bot API with a validator of calls."""

    def __init__(
        self,
        methods: Mapping[str, Mapping[str, Field]],
        types: Mapping[str, TypeSpec],
        returns: Mapping[str, tuple[str, ...]],
        version: str = "",
    ) -> None:
        self.methods = methods
        self.types = types
        self.version = version
        self._returns = returns
        self._by_lower = {name.lower(): name for name in methods}

    @classmethod
    def load(cls, path: Path | str | None = None) -> BotApiSpec:
        """Load api.json (by default the copy next to this module)."""
        data = json.loads(Path(path or API_JSON).read_text(encoding="utf-8"))
        methods = {name: _fields(entry.get("fields", ())) for name, entry in data["methods"].items()}
        types = {
            name: TypeSpec(
                name,
                _fields(entry["fields"]) if "fields" in entry else None,
                tuple(entry.get("subtypes", ())),
                _discriminator(entry),
            )
            for name, entry in data["types"].items()
        }
        returns = {name: tuple(entry.get("returns", ())) for name, entry in data["methods"].items()}
        return cls(methods, types, returns, data.get("version", ""))

    def canonical(self, method: str) -> str | None:
        """The method's name as documented (Telegram matches method names case-insensitively), or None."""
        return self._by_lower.get(method.lower())

    def returns(self, method: str) -> tuple[str, ...]:
        """The documented result types of a method (such as ("Message", "Boolean"))."""
        return self._returns.get(self.canonical(method) or "", ())

    # Decoding of form and query values

    def decode(self, method: str, form: Mapping[str, str]) -> tuple[dict[str, Any], list[str]]:
        """Decode form/query string values by the parameter types; unknown parameters stay strings."""
        fields = self.methods.get(self.canonical(method) or "", {})
        params: dict[str, Any] = {}
        errors = []
        for key, raw in form.items():
            field = fields.get(key)
            try:
                params[key] = raw if field is None else decode_value(field.types, raw)
            except ValueError as error:
                errors.append(f"{key}: {error}")
        return params, errors

    # Validation

    def validate(self, method: str, params: Mapping[str, Any], files: Collection[str] = ()) -> list[str]:
        """Violations of the call (empty if it is valid); `files` names the uploaded multipart parts."""
        name = self.canonical(method)
        if name is None:
            return [f"unknown method {method!r}"]
        fields = self.methods[name]
        errors = [f"unknown parameter {key!r}" for key in params if key not in fields]
        attached = set(attach_names(dict(params)))
        errors += [
            f"unknown parameter {key!r} (an uploaded file)" for key in files if key not in fields.keys() | attached
        ]
        for field in fields.values():
            value = params.get(field.name)
            if field.name in files and value is None:
                if "InputFile" not in field.types:
                    errors.append(f"{field.name}: a file was uploaded, but the type is {' or '.join(field.types)}")
            elif value is None:
                if field.required:
                    errors.append(f"missing required parameter {field.name!r}")
            else:
                errors += self.check_union(field.types, value, field.name)
        errors += [f"attach://{ref} refers to no uploaded file" for ref in sorted(attached - set(files))]
        return errors or limits.method_rules(name, params)

    def check_union(self, types: Sequence[str], value: object, path: str, label: str | None = None) -> list[str]:
        """Violations of `value` against the first alternative it fits, or of the best candidate."""
        if len(types) == 1:
            return self.check(types[0], value, path)
        candidates = []
        for type_expr in types:
            errors = self.check(type_expr, value, path)
            if not errors:
                return []
            if self.shape_matches(type_expr, value):
                candidates.append(errors)
        if candidates:
            return min(candidates, key=len)
        return [f"{path}: expected {label or ' or '.join(types)}, got {describe(value)}"]

    def check(self, type_expr: str, value: object, path: str) -> list[str]:
        """Violations of `value` against one type expression such as "Array of Array of InlineKeyboardButton"."""
        if type_expr.startswith(ARRAY):
            if not isinstance(value, list):
                return [f"{path}: expected {type_expr}, got {describe(value)}"]
            inner = type_expr.removeprefix(ARRAY)
            return [error for index, item in enumerate(value) for error in self.check(inner, item, f"{path}[{index}]")]
        if type_expr in PRIMITIVES:
            return [] if _primitive_ok(type_expr, value) else [f"{path}: expected {type_expr}, got {describe(value)}"]
        spec = self.types.get(type_expr)
        if spec is None:
            return []
        if spec.subtypes:
            return self.check_union(spec.subtypes, value, path, label=spec.name)
        return self.check_object(spec, value, path)

    def check_object(self, spec: TypeSpec, value: object, path: str) -> list[str]:
        """Violations of an object: unknown and missing fields, field types, constants, then Telegram's limits."""
        if not isinstance(value, dict):
            return [f"{path}: expected {spec.name}, got {describe(value)}"]
        if spec.fields is None:
            return []
        errors = [f"{path}.{key}: unknown field of {spec.name}" for key in value if key not in spec.fields]
        for field in spec.fields.values():
            item = value.get(field.name)
            if item is None:
                if field.required:
                    errors.append(f"{path}: {spec.name} lacks required field {field.name!r}")
            else:
                errors += self.check_union(field.types, item, f"{path}.{field.name}")
        if spec.discriminator and value.get(spec.discriminator[0]) != spec.discriminator[1]:
            key, constant = spec.discriminator
            errors.append(f"{path}.{key}: must be {constant!r} in {spec.name}")
        return errors or limits.object_rules(spec.name, value, path)

    def shape_matches(self, type_expr: str, value: object) -> bool:
        """Whether `value` is of the kind of `type_expr` (so its violations are worth reporting)."""
        if type_expr.startswith(ARRAY):
            return isinstance(value, list)
        if type_expr in PRIMITIVES:
            return _primitive_ok(type_expr, value)
        spec = self.types.get(type_expr)
        if spec is None or not isinstance(value, dict):
            return False
        if spec.subtypes:
            return any(self.shape_matches(subtype, value) for subtype in spec.subtypes)
        return spec.discriminator is None or value.get(spec.discriminator[0]) == spec.discriminator[1]


def _primitive_ok(type_name: str, value: object) -> bool:
    """Whether a decoded JSON value is of a primitive Bot API type (uploads are checked apart)."""
    if type_name == "Integer":
        return isinstance(value, int) and not isinstance(value, bool) and -INT64 <= value < INT64
    if type_name == "Float":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if type_name == "Boolean":
        return isinstance(value, bool)
    if type_name == "String":
        return isinstance(value, str)
    return False


def decode_value(types: Sequence[str], raw: str) -> Any:
    """Decode a form value the way Telegram reads it for a parameter of `types` (strings are sent raw)."""
    for type_expr in sorted(types, key=lambda t: t in ("String", "InputFile")):
        if type_expr == "Integer" and INTEGER_RE.fullmatch(raw):
            return int(raw)
        if type_expr == "Float" and FLOAT_RE.fullmatch(raw):
            return float(raw)
        if type_expr == "Boolean" and raw in ("true", "false"):
            return raw == "true"
        if type_expr == "String":
            return raw
        if type_expr not in PRIMITIVES:
            try:
                return json.loads(raw)
            except ValueError:
                continue
    expected = " or ".join(types)
    hint = " (JSON-serialized)" if any(t not in PRIMITIVES for t in types) else ""
    raise ValueError(f"expected {expected}{hint}, can't decode {raw[:60]!r}")
