"""Telegram's error answers: {"ok": false, "error_code", "description", "parameters"?}."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse

DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
)
POLL_CONFLICT = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"


class ApiError(Exception):
    """A refused call: an HTTP status and Telegram's description (such as "Bad Request: message ...")."""

    def __init__(self, status: int, description: str | None = None, retry_after: int | None = None) -> None:
        self.status = status
        if status == 429 and description is None:
            description = f"Too Many Requests: retry after {retry_after}"
        self.description = description or DESCRIPTIONS.get(status, "Error")
        self.retry_after = retry_after
        super().__init__(self.description)

    def payload(self) -> dict[str, Any]:
        """The JSON body Telegram answers with."""
        body: dict[str, Any] = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body

    def response(self) -> JSONResponse:
        """The HTTP response."""
        return JSONResponse(self.payload(), status_code=self.status)
