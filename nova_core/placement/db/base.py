"""What every placement table shares: one MetaData, timestamps, table options."""

import datetime

import sqlalchemy as sa

metadata = sa.MetaData()

# utf8mb4 so that any provider name a client can send is stored as sent.
TABLE_ARGS = {'mysql_engine': 'InnoDB', 'mysql_charset': 'utf8mb4'}


def utcnow():
    """Naive UTC now: what the DateTime columns hold on every backend."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def timestamps():
    """``created_at`` / ``updated_at`` columns, filled in by Core on writes."""
    return [
        sa.Column('created_at', sa.DateTime, default=utcnow),
        sa.Column('updated_at', sa.DateTime, onupdate=utcnow),
    ]
