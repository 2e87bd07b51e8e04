"""dispatch rule priority, tier cut-offs

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 12:00:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('dispatch_rule', schema=None) as batch_op:
        batch_op.add_column(sa.Column('priority', sa.Integer(), server_default='0', nullable=False))
    op.create_table('tier_cutoff',
    sa.Column('tier', sa.String(length=16), nullable=False),
    sa.Column('min_revenue', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('tier', name=op.f('pk_tier_cutoff'))
    )


def downgrade():
    op.drop_table('tier_cutoff')
    with op.batch_alter_table('dispatch_rule', schema=None) as batch_op:
        batch_op.drop_column('priority')
