"""Alembic migrations (shipped in the package; run through app.core.migrate)."""
