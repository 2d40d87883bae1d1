"""Storage: SQLAlchemy models, the engine, repositories and Alembic migrations."""

from __future__ import annotations
