"""cohort time zone; when a session's pack was printed

Revision ID: 5c1e7a2d9f40
Revises: b330c9c477fe
Create Date: 2026-12-03 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5c1e7a2d9f40"
down_revision: str | None = "b330c9c477fe"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Batch mode: SQLite copies the table, PostgreSQL alters it in place.
    with op.batch_alter_table("cohorts") as batch:
        batch.add_column(
            sa.Column("time_zone", sa.String(length=64), server_default="UTC", nullable=False)
        )
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("pack_printed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("pack_printed_at")
    with op.batch_alter_table("cohorts") as batch:
        batch.drop_column("time_zone")
