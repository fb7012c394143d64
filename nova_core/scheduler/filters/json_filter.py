"""JsonFilter: scheduler hint ``query``, a JSON expression on host state.

The query is JSON text (or the decoded list) of prefix expressions
``[operator, argument, ...]``; an argument is a literal, a nested
expression, or ``"$name.key..."``: the host state attribute ``name`` (then
dict keys), for example::

    ["and", [">=", "$free_ram_mb", 1024],
            ["in", "$hypervisor_type", "kvm", "qemu"],
            ["not", ["=", "$stats.rack", "r1"]]]

Operators: ``=  <  >  <=  >=`` (the first argument against each of the
others, all must hold), ``in`` (first argument among the others), ``not``
(negates each argument), ``and``, ``or``. A ``$`` variable the host lacks
is dropped from the arguments. A result that is a list passes when any item
is true. No query: every host passes; an invalid query: none does.
"""

import json
import operator

from nova_core.scheduler import filters
from nova_core.scheduler.filters import hints


class InvalidQuery(ValueError):
    """The ``query`` hint cannot be evaluated."""


def _compare(op):
    def check(args):
        if len(args) < 2:
            return False
        first = args[0]
        try:
            return all(op(first, other) for other in args[1:])
        except TypeError:
            return False
    return check


def _contains(args):
    return len(args) >= 2 and args[0] in args[1:]


OPERATORS = {
    '=': _compare(operator.eq),
    '<': _compare(operator.lt),
    '>': _compare(operator.gt),
    '<=': _compare(operator.le),
    '>=': _compare(operator.ge),
    'in': _contains,
    'not': lambda args: [not arg for arg in args],
    'or': any,
    'and': all,
}


def _variable(text, host_state):
    """The value of ``$name.key...`` on *host_state*, else None."""
    path = text[1:].split('.')
    value = getattr(host_state, path[0], None)
    for key in path[1:]:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def evaluate(query, host_state):
    """The value of the expression *query* (a list) for *host_state*."""
    if not query:
        return True
    if not isinstance(query, list) or query[0] not in OPERATORS:
        raise InvalidQuery('unknown operator in %s' % json.dumps(query))
    args = []
    for arg in query[1:]:
        if isinstance(arg, list):
            arg = evaluate(arg, host_state)
        elif isinstance(arg, str) and arg.startswith('$'):
            arg = _variable(arg, host_state)
        if arg is not None:
            args.append(arg)
    return OPERATORS[query[0]](args)


def parse_query(spec):
    """The ``query`` hint decoded, or None without one."""
    query = (spec.get('scheduler_hints') or {}).get('query')
    if isinstance(query, list) and query and isinstance(query[0], str) \
            and query[0] not in OPERATORS:
        # Nova keeps hints as lists: ["<json text>"].
        query = hints.hint_value(spec, 'query')
    if not query:
        return None
    if isinstance(query, str):
        try:
            query = json.loads(query)
        except ValueError as exc:
            raise InvalidQuery('query is not JSON: %s' % exc)
    return query


class JsonFilter(filters.BaseHostFilter):
    """Hosts for which the ``query`` hint evaluates true."""

    RUN_ON_REBUILD = False

    def host_passes(self, host_state, spec):
        try:
            query = parse_query(spec)
            if query is None:
                return True
            result = evaluate(query, host_state)
        except InvalidQuery:
            return False
        if isinstance(result, list):
            result = any(result)
        return bool(result)

    def why(self, host_state, spec):
        try:
            query = parse_query(spec)
            if query is not None:
                evaluate(query, host_state)
        except InvalidQuery as exc:
            return 'invalid query hint: %s' % exc
        return 'query hint %s is false for this host' % json.dumps(query)
