"""Dialog state: which step of which form a user is in, with the answers so far."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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

    def clear(self) -> None:
        """Leave the dialog and forget its data."""
        self.state, self.data, self.changed = None, {}, True
