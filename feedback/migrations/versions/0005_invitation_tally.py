"""invitation tally

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 01:50:00.000000

Sent and answered invitations per survey, UTC day and population cell, kept exact by
triggers on ``invitation`` so that every code path (sending, answering, expiry, imports,
deletes) updates it in the same transaction. Reports read the tally for whole days and
scan invitations only for the partial days at a window's edges. The response index on
(survey, status, submitted_at) gains source and review_prompted, so the response-mix
count of a report reads the index alone.
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

SENT = "('sent', 'responded', 'expired')"
CELL = ("tier", "sales_channel", "region", "category", "locale")
KEY = "survey_id, day, " + ", ".join(CELL)


def _day(row, dialect):
    if dialect == "postgresql":
        return f"({row}.sent_at AT TIME ZONE 'UTC')::date"
    return f"substr({row}.sent_at, 1, 10)"


def _cell_values(row, dialect):
    return [f"{row}.survey_id", _day(row, dialect)] + [f"coalesce({row}.{c}, '')" for c in CELL]


def _match(row, dialect):
    cols = ["survey_id", "day", *CELL]
    return " AND ".join(f"{c} = {v}" for c, v in zip(cols, _cell_values(row, dialect)))


def _counted(row):
    return f"{row}.status IN {SENT} AND {row}.sent_at IS NOT NULL"


def _same_cell(dialect):
    old, new = _cell_values("OLD", dialect), _cell_values("NEW", dialect)
    return " AND ".join(f"{a} = {b}" for a, b in zip(old, new))


def _responded(row):
    return f"CASE WHEN {row}.status = 'responded' THEN 1 ELSE 0 END"


def _remove(dialect):
    return (
        f"UPDATE invitation_tally SET invited = invited - 1, responded = responded - {_responded('OLD')} "
        f"WHERE {_match('OLD', dialect)}"
    )


def _add(dialect, prefix="t."):
    values = ", ".join(_cell_values("NEW", dialect))
    return (
        f"INSERT INTO invitation_tally AS t ({KEY}, invited, responded) "
        f"SELECT {values}, 1, {_responded('NEW')} WHERE {_counted('NEW')} "
        f"ON CONFLICT ({KEY}) DO UPDATE SET invited = {prefix}invited + 1, "
        f"responded = {prefix}responded + excluded.responded"
    )


def _shift(dialect):
    """Both rows counted in the same cell: only the answered count can move (sent -> responded)."""
    return (
        f"UPDATE invitation_tally SET responded = responded + {_responded('NEW')} - {_responded('OLD')} "
        f"WHERE {_match('NEW', dialect)}"
    )


WATCHED = "status, sent_at, survey_id, " + ", ".join(CELL)


def _postgresql_triggers():
    d = "postgresql"
    op.execute(
        f"""
        CREATE FUNCTION invitation_tally_apply() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND {_counted('OLD')} AND {_counted('NEW')} AND {_same_cell(d)} THEN
                IF (NEW.status = 'responded') <> (OLD.status = 'responded') THEN
                    {_shift(d)};
                END IF;
                RETURN NULL;
            END IF;
            IF TG_OP <> 'INSERT' AND {_counted('OLD')} THEN
                {_remove(d)};
            END IF;
            IF TG_OP <> 'DELETE' THEN
                {_add(d)};
            END IF;
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER invitation_tally_insert AFTER INSERT ON invitation FOR EACH ROW "
        f"WHEN ({_counted('NEW')}) EXECUTE FUNCTION invitation_tally_apply()"
    )
    op.execute(
        "CREATE TRIGGER invitation_tally_delete AFTER DELETE ON invitation FOR EACH ROW "
        f"WHEN ({_counted('OLD')}) EXECUTE FUNCTION invitation_tally_apply()"
    )
    op.execute(
        f"CREATE TRIGGER invitation_tally_update AFTER UPDATE OF {WATCHED} ON invitation FOR EACH ROW "
        f"WHEN (({_counted('OLD')}) OR ({_counted('NEW')})) EXECUTE FUNCTION invitation_tally_apply()"
    )


def _sqlite_triggers():
    d = "sqlite"
    # SQLite's upsert names the existing row by the table name, not an alias.
    add = _add(d, prefix="").replace("invitation_tally AS t", "invitation_tally")
    op.execute(
        f"CREATE TRIGGER invitation_tally_insert AFTER INSERT ON invitation "
        f"WHEN {_counted('NEW')} BEGIN {add}; END"
    )
    op.execute(
        f"CREATE TRIGGER invitation_tally_delete AFTER DELETE ON invitation "
        f"WHEN {_counted('OLD')} BEGIN {_remove(d)}; END"
    )
    op.execute(
        f"CREATE TRIGGER invitation_tally_shift AFTER UPDATE OF {WATCHED} ON invitation "
        f"WHEN {_counted('OLD')} AND {_counted('NEW')} AND {_same_cell(d)} "
        f"BEGIN {_shift(d)}; END"
    )
    op.execute(
        f"CREATE TRIGGER invitation_tally_move AFTER UPDATE OF {WATCHED} ON invitation "
        f"WHEN NOT ({_counted('OLD')} AND {_counted('NEW')} AND {_same_cell(d)}) "
        f"AND (({_counted('OLD')}) OR ({_counted('NEW')})) "
        f"BEGIN {_remove(d)} AND {_counted('OLD')}; {add}; END"
    )


def upgrade():
    op.create_table('invitation_tally',
    sa.Column('survey_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('tier', sa.String(length=16), nullable=False),
    sa.Column('sales_channel', sa.String(length=32), nullable=False),
    sa.Column('region', sa.String(length=64), nullable=False),
    sa.Column('category', sa.String(length=64), nullable=False),
    sa.Column('locale', sa.String(length=16), nullable=False),
    sa.Column('invited', sa.Integer(), nullable=False),
    sa.Column('responded', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_invitation_tally_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('survey_id', 'day', 'tier', 'sales_channel', 'region', 'category', 'locale', name=op.f('pk_invitation_tally'))
    )
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_index('ix_invitation_population')
        batch_op.create_index('ix_invitation_population', ['survey_id', 'sent_at', 'status', 'tier', 'sales_channel', 'region', 'category', 'locale'], unique=False)

    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_index('ix_response_survey_id_status_submitted_at')
        batch_op.create_index('ix_response_survey_id_status_submitted_at', ['survey_id', 'status', 'submitted_at', 'source', 'review_prompted'], unique=False)

    dialect = op.get_bind().dialect.name
    values = ", ".join(_cell_values("invitation", dialect))
    op.execute(
        f"INSERT INTO invitation_tally ({KEY}, invited, responded) "
        f"SELECT {values}, count(*), sum({_responded('invitation')}) FROM invitation "
        f"WHERE {_counted('invitation')} GROUP BY {values}"
    )
    if dialect == "postgresql":
        _postgresql_triggers()
    else:
        _sqlite_triggers()


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER invitation_tally_{name} ON invitation")
        op.execute("DROP FUNCTION invitation_tally_apply()")
    else:
        for name in ("insert", "delete", "shift", "move"):
            op.execute(f"DROP TRIGGER invitation_tally_{name}")
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_index('ix_invitation_population')
        batch_op.create_index('ix_invitation_population', ['survey_id', 'status', 'tier', 'sales_channel', 'region', 'category', 'locale', 'period', 'sent_at'], unique=False)
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_index('ix_response_survey_id_status_submitted_at')
        batch_op.create_index('ix_response_survey_id_status_submitted_at', ['survey_id', 'status', 'submitted_at'], unique=False)
    op.drop_table('invitation_tally')
