"""Dialog state: which step of which form a user is in, with the answers so far."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

PAUSED: Final = "paused:"


@dataclass
class Dialog:
    """The user's current dialog; handlers change it and the dialog middleware stores it."""

    state: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    changed: bool = False

    def enter(self, state: str, **data: Any) -> None:
        """Move to ``state``, merging ``data`` into what was collected."""
        self.state = state
        self.data.update(data)
        self.changed = True

    @property
    def active(self) -> bool:
        """True while a form expects the user's next text."""
        return self.state is not None and not self.state.startswith(PAUSED)

    def pause(self) -> None:
        """Keep the answers but stop taking text: the user went elsewhere and may come back."""
        if self.active:
            self.state, self.changed = f"{PAUSED}{self.state}", True

    def paused(self, prefix: str) -> bool:
        """True when a dialog whose state starts with ``prefix`` is paused."""
        return self.state is not None and self.state.startswith(f"{PAUSED}{prefix}")

    def clear(self) -> None:
        """Leave the dialog and forget its data."""
        self.state, self.data, self.changed = None, {}, True
