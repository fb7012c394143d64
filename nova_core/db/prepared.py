"""Core statements compiled once, run straight on the driver's cursor.

A hot path that sends the same few statements thousands of times a second
(placement's allocation write: ten statements per claim) spent most of its
time in SQLAlchemy's per-execution machinery (cache key, parameter
processing, execution context, result object), not in the database:
about 70-140 us per statement against 2-5 us on the driver. A
:class:`Prepared` statement keeps the SQL and the parameter order
SQLAlchemy compiled for each dialect (and, for ``expanding`` parameters,
for each list length), and runs it on the DBAPI cursor of the caller's
``Connection``: the same connection and transaction as the rest of the
work, so it mixes freely with ``conn.execute``.

What SQLAlchemy did on the way is kept:

* bind processors of the compiled statement (SQLite's datetime format);
* Python-side column defaults (``default=`` / ``onupdate=``) of the
  columns an INSERT or UPDATE leaves out;
* result processors, chosen from the cursor's description as SQLAlchemy
  does; rows are named tuples of the statement's exported column keys;
* the transaction begun on first use, as ``conn.execute`` autobegins;
* errors go through the connection's error handling, so that oslo.db's
  filters turn them into DBDeadlock, DBDuplicateEntry, ... and a lost
  connection is invalidated, as for any statement.

What it does not do: ``before_cursor_execute`` / ``after_cursor_execute``
listeners do not see these statements (oslo.db's ``connection_trace`` and
SQL echo do not log them).
"""

import collections
import threading
import weakref


class _Plan:
    """One compiled form: SQL text and how to turn parameters into what
    the driver takes."""

    __slots__ = ('sql', 'names', 'positional', 'expansion', 'processors',
                 'defaults', 'fixed', 'returns_pk', 'row', 'results')

    def __init__(self, statement, compiled, expanded, given, defaults):
        self.sql = expanded.statement
        self.positional = compiled.positional
        # Output parameter names, in order (positional) or all (named).
        self.names = (list(expanded.positiontup) if self.positional
                      else list(expanded.parameters))
        # Output name -> (input name, index in its list or None).
        self.expansion = {}
        for name, outs in expanded.parameter_expansion.items():
            for index, out in enumerate(outs):
                self.expansion[out] = (name, index)
        # Bind processors (SQLite's datetime format): the expanded lists'
        # come with the expanded state, the others from the binds' types.
        self.processors = {}
        for out in self.names:
            name = self.expansion.get(out, (out,))[0]
            bind = compiled.binds.get(name)
            if bind is None:
                continue
            processor = bind.type.dialect_impl(
                compiled.dialect).bind_processor(compiled.dialect)
            if processor is not None:
                self.processors[out] = processor
        self.processors.update(expanded.processors)
        self.defaults = defaults
        # Values the statement carries itself (``version + 1``).
        self.fixed = {out: expanded.parameters[out] for out in self.names
                      if out not in given and out not in defaults
                      and out not in self.expansion}
        self.returns_pk = bool(compiled.implicit_returning)
        self.row = None
        self.results = None
        keys = [col.key for col in statement.exported_columns]
        if keys:
            # A SELECT, or DML with RETURNING. Keys two columns share
            # (``project.external_id``, ``user.external_id``) are only
            # positions: their fields are renamed ``_<index>``.
            self.row = collections.namedtuple('Row', keys, rename=True)

    def bind(self, params):
        """The driver's parameters for one set of *params*."""
        values = {}
        for out in self.names:
            where = self.expansion.get(out)
            if where is None:
                if out in params:
                    value = params[out]
                elif out in self.fixed:
                    value = self.fixed[out]
                else:
                    value = self.defaults[out]()
            else:
                value = params[where[0]][where[1]]
            processor = self.processors.get(out)
            if processor is not None and value is not None:
                value = processor(value)
            values[out] = value
        if self.positional:
            return tuple(values[out] for out in self.names)
        return values

    def result_processors(self, dialect, description, statement):
        if self.results is None:
            columns = list(statement.exported_columns)
            self.results = [
                col.type.dialect_impl(dialect).result_processor(
                    dialect, entry[1])
                for col, entry in zip(columns, description)]
        return self.results


def _default_callable(column, default):
    """A zero-argument callable for a column's Python-side default."""
    if default is None:
        raise ValueError('column %s has no Python-side default' % column)
    if default.is_scalar:
        value = default.arg
        return lambda: value
    if default.is_callable:
        # SQLAlchemy wraps a zero-argument function into one that takes
        # the execution context; ours never look at it.
        return lambda: default.arg(None)
    raise ValueError('column %s has a default %r that is not computed in '
                     'Python' % (column, default))


class Prepared:
    """A Core *statement* run through the driver's cursor (see the module
    docstring). Safe to share between threads."""

    def __init__(self, statement):
        self.statement = statement
        self._plans = {}
        self._watched = {}  # id(dialect) -> weak reference to it
        self._lock = threading.Lock()
        self._expanding = None

    def __repr__(self):
        return '<Prepared %s>' % str(self.statement).replace('\n', ' ')

    # -- compiling ------------------------------------------------------------

    def _plan(self, dialect, params, many):
        if self._expanding is None:
            self._expanding = frozenset(
                name for name, bind in self.statement.compile().binds.items()
                if bind.expanding)
        key = (id(dialect), many, tuple(sorted(params)), tuple(
            len(params[name]) for name in sorted(self._expanding)
            if name in params))
        plan = self._plans.get(key)
        if plan is None:
            with self._lock:
                plan = self._plans.get(key)
                if plan is None:
                    plan = self._compile(dialect, params, many)
                    self._plans[key] = plan
                    self._forget_with(dialect)
        return plan

    def _forget_with(self, dialect):
        """Drop *dialect*'s plans when it is collected: its ``id`` may be
        given to another dialect (another engine's, another paramstyle)
        later, which must not find them."""
        ident = id(dialect)
        if ident in self._watched:
            return

        def forget(_ref, plans=self._plans, watched=self._watched):
            watched.pop(ident, None)
            for key in [key for key in list(plans) if key[0] == ident]:
                plans.pop(key, None)

        self._watched[ident] = weakref.ref(dialect, forget)

    def _compile(self, dialect, params, many):
        statement = self.statement
        # As Connection.execute compiles: the parameters' keys say which
        # columns an INSERT or UPDATE sets.
        compiled = statement.compile(dialect=dialect,
                                     column_keys=sorted(params),
                                     for_executemany=many)
        defaults = {}
        for column in compiled.insert_prefetch:
            defaults[column.key] = _default_callable(column, column.default)
        for column in compiled.update_prefetch:
            defaults[column.key] = _default_callable(column, column.onupdate)
        sample = dict(params)
        for key, make in defaults.items():
            sample.setdefault(key, make())
        expanded = compiled.construct_expanded_state(sample)
        if expanded.positiontup is None and compiled.positional:
            raise ValueError('no parameter order for %s' % statement)
        return _Plan(statement, compiled, expanded, params, defaults)

    # -- running --------------------------------------------------------------

    def _cursor(self, conn):
        if not conn.in_transaction():
            conn.begin()
        return conn.connection.dbapi_connection.cursor()

    def _run(self, conn, params, many=False):
        """``(plan, cursor)`` once the statement ran; the caller closes
        the cursor."""
        params = params or {}
        plan = self._plan(conn.dialect, params[0] if many else params, many)
        if many:
            bound = [plan.bind(one) for one in params]
        else:
            bound = plan.bind(params)
        cursor = self._cursor(conn)
        try:
            if many:
                cursor.executemany(plan.sql, bound)
            else:
                cursor.execute(plan.sql, bound)
        except Exception as exc:  # the driver's errors, translated
            # (closes the cursor, raises)
            conn._handle_dbapi_exception(exc, plan.sql, bound, cursor, None)
        return plan, cursor

    def _fetch(self, conn, params, one):
        if not self.statement.exported_columns:
            # Refused before it runs: an UPDATE asked for rows is a bug.
            raise TypeError('%r returns no rows' % self)
        plan, cursor = self._run(conn, params)
        try:
            processors = plan.result_processors(
                conn.dialect, cursor.description, self.statement)
            raw = [cursor.fetchone()] if one else cursor.fetchall()
        except Exception as exc:
            conn._handle_dbapi_exception(exc, plan.sql, None, cursor, None)
        cursor.close()
        make = plan.row._make
        if not any(processors):
            return [make(row) for row in raw if row is not None]
        return [make(value if proc is None or value is None else proc(value)
                     for proc, value in zip(processors, row))
                for row in raw if row is not None]

    def all(self, conn, params=None):
        """Every row, as named tuples."""
        return self._fetch(conn, params, one=False)

    def first(self, conn, params=None):
        """The first row, or None (the statement should select at most
        one: the rest are not read)."""
        rows = self._fetch(conn, params, one=True)
        return rows[0] if rows else None

    def scalar(self, conn, params=None):
        """The first column of the first row, or None."""
        row = self.first(conn, params)
        return None if row is None else row[0]

    def run(self, conn, params=None):
        """Run a statement that returns no rows; its rowcount."""
        _plan, cursor = self._run(conn, params)
        try:
            return cursor.rowcount
        finally:
            cursor.close()

    def run_many(self, conn, param_list):
        """Run the statement once per parameter set (``executemany``)."""
        if not param_list:
            return
        _plan, cursor = self._run(conn, param_list, many=True)
        cursor.close()

    def insert(self, conn, params):
        """Run an INSERT of one row; the new row's primary key."""
        plan, cursor = self._run(conn, params)
        try:
            new_id = (cursor.fetchone()[0] if plan.returns_pk
                      else cursor.lastrowid)
        except Exception as exc:
            conn._handle_dbapi_exception(exc, plan.sql, None, cursor, None)
        cursor.close()
        return new_id
