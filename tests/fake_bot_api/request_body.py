"""Reading a Bot API request: query string, JSON, url-encoded or multipart body, and uploaded files."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request

PARAM_RE = re.compile(r';\s*([\w*-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


@dataclass(frozen=True)
class Upload:
    """One uploaded file (a multipart part with a filename)."""

    filename: str
    content_type: str
    content: bytes


@dataclass
class RequestBody:
    """What a client sent: string values to decode by type, JSON values, and files."""

    form: dict[str, str] = field(default_factory=dict)
    json: dict[str, Any] = field(default_factory=dict)
    files: dict[str, Upload] = field(default_factory=dict)
    error: str | None = None


def header_params(value: str) -> dict[str, str]:
    """The parameters of a header like `form-data; name="x"; filename="y"`."""
    params = {}
    for key, raw in PARAM_RE.findall(value):
        raw = raw.strip()
        if raw.startswith('"'):
            raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
        params[key.lower()] = raw
    return params


def parse_multipart(body: bytes, content_type: str) -> tuple[dict[str, str], dict[str, Upload]]:
    """Split a multipart/form-data body into fields and files (byte-exact, no external parser)."""
    boundary = header_params(content_type).get("boundary", "").encode("latin-1")
    form: dict[str, str] = {}
    files: dict[str, Upload] = {}
    if not boundary:
        return form, files
    for part in (b"\r\n" + body).split(b"\r\n--" + boundary)[1:]:
        if part.startswith(b"--"):
            break
        head, _, content = part.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        headers = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        disposition = header_params(";" + headers.get("content-disposition", "").partition(";")[2])
        name = disposition.get("name", "")
        if "filename" in disposition:
            files[name] = Upload(disposition["filename"], headers.get("content-type", ""), content)
        else:
            form[name] = content.decode("utf-8")
    return form, files


async def read_body(request: Request) -> RequestBody:
    """All parameters of a request; body parameters win over query parameters like at Telegram."""
    result = RequestBody(form=dict(request.query_params))
    content_type = request.headers.get("content-type", "")
    raw = await request.body()
    kind = content_type.split(";")[0].strip().lower()
    if not raw:
        return result
    if kind == "application/json":
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            result.error = "can't parse JSON object"
        else:
            result.json = data
    elif kind == "application/x-www-form-urlencoded":
        result.form.update(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
    elif kind == "multipart/form-data":
        form, files = parse_multipart(raw, content_type)
        result.form.update(form)
        result.files = files
    return result
