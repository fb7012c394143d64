"""What the API and cell tables and their data functions share."""

import datetime
import json

import sqlalchemy as sa

# utf8mb4 so that any name a user can send is stored as sent.
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


def soft_delete_columns():
    """``deleted`` (0, or the row's id once deleted, so that unique keys
    including it allow a new live row) and ``deleted_at``."""
    return [
        sa.Column('deleted', sa.Integer, nullable=False, default=0),
        sa.Column('deleted_at', sa.DateTime),
    ]


def isotime(value):
    """A DateTime column value as ISO 8601 text (None stays None)."""
    return value.isoformat() if value is not None else None


def parse_time(value):
    """ISO 8601 text (or a datetime) as a naive UTC datetime for a column."""
    if value is None or isinstance(value, datetime.datetime):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(
                tzinfo=None)
        return value
    return parse_time(datetime.datetime.fromisoformat(value))


def to_dict(row, json_columns=(), bool_columns=()):
    """A result row as a JSON-able dict: datetimes as ISO text, JSON text
    columns decoded, ``deleted`` (and *bool_columns*) as booleans."""
    result = {}
    for key, value in row._mapping.items():
        if isinstance(value, datetime.datetime):
            value = value.isoformat()
        elif key in json_columns:
            value = json.loads(value) if value is not None else None
        elif key == 'deleted' or key in bool_columns:
            value = bool(value) if value is not None else None
        result[key] = value
    return result


def dumps(value):
    """JSON text for a Text column (None stays NULL)."""
    return json.dumps(value, sort_keys=True) if value is not None else None


def insert_id(result):
    """The primary key of the row an INSERT made."""
    return result.inserted_primary_key[0]


def json_load(text):
    """The value of a JSON text column (None stays None)."""
    return json.loads(text) if text is not None else None


# -- reading what changed since a mark (the scheduler's host state cache) ----

def database_utcnow(conn):
    """The database server's clock, as a naive UTC datetime (what
    :func:`utcnow` gives on the writers, read on the other side)."""
    dialect = conn.dialect.name
    if dialect == 'mysql':
        query = sa.select(sa.func.utc_timestamp(6))
    elif dialect == 'postgresql':
        query = sa.select(sa.text("now() AT TIME ZONE 'utc'"))
    else:
        query = sa.select(sa.func.strftime('%Y-%m-%d %H:%M:%f', 'now'))
    return parse_time(conn.execute(query).scalar())


def changed_since(table, query, since=None, after_id=None):
    """*query* on *table* narrowed to the rows (deleted ones included)
    created, updated or deleted at or after *since* (naive UTC datetime or
    ISO text: the rows' own timestamps), or with an id above *after_id*
    (new rows whatever their timestamps say), in id order. With neither,
    every row."""
    conditions = []
    if since is not None:
        since = parse_time(since)
        conditions += [table.c.updated_at >= since,
                       table.c.created_at >= since,
                       table.c.deleted_at >= since]
    if after_id is not None:
        conditions.append(table.c.id > after_id)
    query = query.order_by(table.c.id)
    if conditions:
        query = query.where(sa.or_(*conditions))
    return query


def change_mark(row):
    """``(id, created_at, updated_at, deleted_at, deleted)`` of a row, as
    :func:`to_dict` shows them (ISO text, ``deleted`` a bool)."""
    return _mark(row.id, row.created_at, row.updated_at, row.deleted_at,
                 row.deleted)


def _mark(ident, created, updated, deleted_at, deleted):
    # Written out: the scheduler reads thousands of marks a second (a
    # window full of heartbeats), a generator per row was most of it.
    return (ident,
            None if created is None else created.isoformat(),
            None if updated is None else updated.isoformat(),
            None if deleted_at is None else deleted_at.isoformat(),
            bool(deleted))


def change_marks(conn, table, since=None, after_id=None):
    """The :func:`change_mark` of each row :func:`changed_since` selects:
    a cheap look at a re-read window, so that only the rows that differ
    from a cached copy are read in full (:func:`rows_by_ids`)."""
    query = changed_since(table, sa.select(
        table.c.id, table.c.created_at, table.c.updated_at,
        table.c.deleted_at, table.c.deleted), since, after_id)
    return [_mark(*row) for row in conn.execute(query)]


def rows_by_ids(conn, table, ids):
    """The rows of *table* with *ids* (deleted ones included), in id order."""
    if not ids:
        return []
    return list(conn.execute(
        table.select().where(table.c.id.in_(list(ids))).order_by(table.c.id)))
