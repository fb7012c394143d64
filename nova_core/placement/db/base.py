"""What every placement table shares: one MetaData, timestamps, table options."""

import datetime

import sqlalchemy as sa

metadata = sa.MetaData()

# utf8mb4 so that any provider name a client can send is stored as sent.
TABLE_ARGS = {'mysql_engine': 'InnoDB', 'mysql_charset': 'utf8mb4'}

# The largest value an Integer column holds on every backend (signed 32 bit).
MAX_INT = 2 ** 31 - 1
# The largest single-precision float: MySQL stores sa.Float as FLOAT.
SQL_SP_FLOAT_MAX = 3.40282e+38


def sqlite_file(engine):
    """True for an engine on a SQLite file (not in memory): what other
    processes may open too, and what a connection pool may serve."""
    return engine.dialect.name == 'sqlite' and engine.url.database not in (
        None, '', ':memory:')


def utcnow():
    """Naive UTC now: what the DateTime columns hold on every backend."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def timestamps():
    """``created_at`` / ``updated_at`` columns, filled in by Core on writes."""
    return [
        sa.Column('created_at', sa.DateTime, default=utcnow),
        sa.Column('updated_at', sa.DateTime, onupdate=utcnow),
    ]
