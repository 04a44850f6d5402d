"""cached reports keep their page count

Revision ID: 8d3f6b1a2c57
Revises: 5c1e7a2d9f40
Create Date: 2026-12-04 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8d3f6b1a2c57"
down_revision: str | None = "5c1e7a2d9f40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable: rows cached before this revision have their pages counted when a pack
    # needs them.
    with op.batch_alter_table("cached_reports") as batch:
        batch.add_column(sa.Column("pages", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cached_reports") as batch:
        batch.drop_column("pages")
