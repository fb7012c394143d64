"""Reading scheduler hints, which may come as a value or a list of values.

Nova's API keeps every hint as a list (``{"same_host": ["uuid"]}``) while a
hand-written request spec may hold a plain value; filters accept both.
"""


def hint_list(spec, name):
    """The hint *name* as a list of values ([] when absent)."""
    value = (spec.get('scheduler_hints') or {}).get(name)
    if value is None or value == '':
        return []
    if isinstance(value, (list, tuple, set)):
        return [v for v in value if v is not None and v != '']
    return [value]


def hint_value(spec, name, default=None):
    """The hint *name* as one value (the first if it is a list)."""
    values = hint_list(spec, name)
    return values[0] if values else default
