"""Nova's extra-spec operators: does a host's value satisfy a requirement?

A requirement is ``"<op> operand"``, or a plain string compared for
equality. Numeric operators compare as floats (``=`` means "at least"),
``s``-prefixed ones as strings::

    "= 4"  "== 4"  "!= 4"  ">= 4"  "<= 4"
    "s== x"  "s!= x"  "s>= x"  "s> x"  "s<= x"  "s< x"
    "<in> sub"          the host value contains "sub"
    "<all-in> a b"      the host value contains each of a, b
    "<or> a <or> b"     the host value equals one of a, b
"""

import operator


def _numeric(compare):
    def check(value, operands):
        try:
            return compare(float(value), float(operands[0]))
        except (TypeError, ValueError, IndexError):
            return False
    return check


def _string(compare):
    def check(value, operands):
        if not operands:
            return False
        return compare(value, operands[0])
    return check


def _contains(value, operands):
    return bool(operands) and operands[0] in value


def _contains_all(value, operands):
    return bool(operands) and all(item in value for item in operands)


def _one_of(value, operands):
    # operands are "a <or> b <or> c" without the leading <or>.
    return value in operands[::2]


_OPERATORS = {
    '=': _numeric(operator.ge),
    '==': _numeric(operator.eq),
    '!=': _numeric(operator.ne),
    '>=': _numeric(operator.ge),
    '<=': _numeric(operator.le),
    's==': _string(operator.eq),
    's!=': _string(operator.ne),
    's>=': _string(operator.ge),
    's>': _string(operator.gt),
    's<=': _string(operator.le),
    's<': _string(operator.lt),
    '<in>': _contains,
    '<all-in>': _contains_all,
    '<or>': _one_of,
}


def match(value, requirement):
    """True if the host's *value* (a string) satisfies *requirement*."""
    value = str(value)
    words = str(requirement).split()
    if words and words[0] in _OPERATORS:
        return _OPERATORS[words[0]](value, words[1:])
    return value == requirement
