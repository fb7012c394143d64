"""Query-string filters shared by provider listings and allocation candidates.

Each parser turns raw query values into plain data for the objects layer and
answers malformed input with upstream placement's 400 texts (clients and the
conformance suite compare them). Which syntax is accepted is the caller's
decision, passed as boolean flags derived from the microversion.
"""

import collections

from oslo_utils import uuidutils

from nova_core.api import fault

# ``required``: AND of any-of groups; ``forbidden``: none of these.
Terms = collections.namedtuple('Terms', 'required forbidden')

_RESOURCES_FORM = ('Badly formed resources parameter. Expected resources '
                   'query string parameter in form: '
                   '?resources=VCPU:2,MEMORY_MB:1024. Got: %s.')


def _bad(message):
    return fault.http_error(400, message)


def resources(value):
    """``VCPU:2,MEMORY_MB:1024`` -> ``{'VCPU': 2, 'MEMORY_MB': 1024}``."""
    if not value.strip():
        raise _bad(_RESOURCES_FORM % 'empty string')
    amounts = {}
    for item in value.split(','):
        parts = item.split(':')
        if len(parts) != 2:
            raise _bad(_RESOURCES_FORM % item)
        name, amount = parts
        try:
            amount = int(amount)
        except ValueError:
            raise _bad('Requested resource %s expected positive integer '
                       'amount. Got: %s.' % (name, amount))
        if amount < 1:
            raise _bad('Requested resource %s requires amount >= 1. '
                       'Got: %d.' % (name, amount))
        amounts[name] = amount
    return amounts


def _any_of(value, allow_any_of):
    """The names of an ``in:A,B`` value, as one any-of group."""
    if not allow_any_of:
        raise _bad("Invalid query string parameters: The format "
                   "'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' only supported since "
                   "microversion 1.39. Got: %s" % value)
    names = frozenset(name.strip() for name in value[3:].split(','))
    if not all(names):
        raise _bad("Invalid query string parameters: Expected 'required' "
                   "parameter value of the form: "
                   "in:HW_CPU_X86_VMX,CUSTOM_MAGIC. Got an empty trait in: "
                   "%s" % value)
    if any(name.startswith('!') for name in names):
        raise _bad("Invalid query string parameters: The format "
                   "'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' does not support "
                   "forbidden traits. Got: %s" % value)
    return Terms([names], set())


def _all_of(value, allow_forbidden):
    """The names of an ``A,!B`` value: one group per required name."""
    names = [name.strip() for name in value.split(',')]
    # Upstream strips every leading '!' ('!!A' forbids A); clients rely on
    # what upstream accepts, so the same is accepted here.
    forbidden = {name.lstrip('!') for name in names if name.startswith('!')}
    if not all(names) or not all(forbidden):
        form = ('HW_CPU_X86_VMX,!CUSTOM_MAGIC' if allow_forbidden
                else 'HW_CPU_X86_VMX,CUSTOM_MAGIC')
        raise _bad("Invalid query string parameters: Expected 'required' "
                   "parameter value of the form: %s. Got an empty trait "
                   "in: %s" % (form, value))
    if forbidden and not allow_forbidden:
        raise _bad("Invalid query string parameters: Expected 'required' "
                   "parameter value of the form: HW_CPU_X86_VMX,"
                   "CUSTOM_MAGIC. Got: %s" % value)
    required = [frozenset([name]) for name in names
                if not name.startswith('!')]
    return Terms(required, forbidden)


def required_traits(values, allow_forbidden=False, allow_any_of=False,
                    allow_repeated=False):
    """Parse the values of one ``required`` parameter (repeated or not).

    :param values: every value given for the parameter, in order.
    :param allow_forbidden: accept ``!NAME`` (microversion 1.22).
    :param allow_any_of: accept ``in:A,B`` (1.39).
    :param allow_repeated: AND every value; otherwise only the last one
        counts, as before 1.39.
    :returns: Terms: ``required`` a list of frozensets of names (each an
        any-of group, a plain name being a group of one), ``forbidden`` a
        set of names.
    """
    if not allow_repeated:
        values = values[-1:]
    terms = Terms([], set())
    for value in values:
        if value.startswith('in:'):
            parsed = _any_of(value, allow_any_of)
        else:
            parsed = _all_of(value, allow_forbidden)
        terms.required.extend(parsed.required)
        terms.forbidden.update(parsed.forbidden)
    return terms


def _aggregates(value):
    """One member_of value -> ``(any-of set, forbidden set)``."""
    if ',' in value and not value.startswith(('in:', '!in:')):
        raise _bad("Multiple values for 'member_of' must be prefixed with "
                   "the 'in:' or '!in:' keyword using the valid "
                   "microversion. Got: %s" % value)
    required, forbidden = set(), set()
    if value.startswith('!in:'):
        forbidden = set(value[4:].split(','))
    elif value.startswith('!'):
        forbidden = {value[1:]}
    elif value.startswith('in:'):
        required = set(value[3:].split(','))
    else:
        required = {value}
    for uuid in sorted(required | forbidden):
        if not uuidutils.is_uuid_like(uuid):
            raise _bad("Invalid query string parameters: Expected "
                       "'member_of' parameter to contain valid UUID(s). "
                       "Got: %s" % uuid)
    return required, forbidden


def member_of(values, allow_multiple=False, allow_forbidden=False,
              suffix=''):
    """Parse the values of a ``member_of<suffix>`` parameter.

    :param values: every value given for the parameter, in order.
    :param allow_multiple: accept the parameter repeated (1.24), each
        repetition AND'd.
    :param allow_forbidden: accept ``!uuid`` and ``!in:u1,u2`` (1.32).
    :returns: Terms: ``required`` a list of sets of aggregate uuids (any-of
        within a set), ``forbidden`` a set of aggregate uuids.
    """
    if not allow_multiple and len(values) > 1:
        raise _bad('Multiple member_of%s parameters are not supported'
                   % suffix)
    terms = Terms([], set())
    for value in values:
        required, forbidden = _aggregates(value)
        if required:
            terms.required.append(required)
        if forbidden:
            if not allow_forbidden:
                raise _bad('Forbidden member_of%s parameters are not '
                           'supported in the specified microversion'
                           % suffix)
            terms.forbidden.update(forbidden)
    return terms


def in_tree(value):
    """An ``in_tree`` value: the uuid of a provider, surrounding space cut."""
    uuid = value.strip()
    if not uuidutils.is_uuid_like(uuid):
        raise _bad("Invalid query string parameters: Expected 'in_tree' "
                   "parameter to be a format of uuid. Got: %s" % value)
    return uuid
