"""Parsing of the query parameters that filter providers and candidates."""

import pytest
import webob.exc

from nova_core.placement.handlers import query

AGG1 = '4a3c8e2b-0c6e-4f0e-9f6a-2a7b2d1e5c01'
AGG2 = '4a3c8e2b-0c6e-4f0e-9f6a-2a7b2d1e5c02'
AGG3 = '4a3c8e2b-0c6e-4f0e-9f6a-2a7b2d1e5c03'


def _refused(func, *args, **kwargs):
    with pytest.raises(webob.exc.HTTPBadRequest) as info:
        func(*args, **kwargs)
    return info.value.detail


# -- resources ----------------------------------------------------------------

def test_resources_amounts():
    assert query.resources('VCPU:2,MEMORY_MB:1024') == {
        'VCPU': 2, 'MEMORY_MB': 1024}


def test_resources_repeated_class_keeps_last():
    assert query.resources('VCPU:2,VCPU:3') == {'VCPU': 3}


@pytest.mark.parametrize('value', ['', '   '])
def test_resources_empty(value):
    assert _refused(query.resources, value) == (
        'Badly formed resources parameter. Expected resources query string '
        'parameter in form: ?resources=VCPU:2,MEMORY_MB:1024. '
        'Got: empty string.')


@pytest.mark.parametrize('value, bad', [
    ('VCPU', 'VCPU'), ('VCPU:1:2', 'VCPU:1:2'), ('VCPU:1,', ''),
    ('VCPU:1,DISK_GB', 'DISK_GB')])
def test_resources_badly_formed(value, bad):
    assert _refused(query.resources, value) == (
        'Badly formed resources parameter. Expected resources query string '
        'parameter in form: ?resources=VCPU:2,MEMORY_MB:1024. Got: %s.'
        % bad)


def test_resources_not_an_integer():
    assert _refused(query.resources, 'VCPU:two') == (
        'Requested resource VCPU expected positive integer amount. '
        'Got: two.')


@pytest.mark.parametrize('amount', ['0', '-1'])
def test_resources_amount_below_one(amount):
    assert _refused(query.resources, 'VCPU:' + amount) == (
        'Requested resource VCPU requires amount >= 1. Got: %s.' % amount)


# -- required traits ------------------------------------------------------------

def test_required_plain_names_are_groups_of_one():
    terms = query.required_traits(['HW_CPU_X86_VMX, CUSTOM_A'])
    assert terms.required == [frozenset(['HW_CPU_X86_VMX']),
                              frozenset(['CUSTOM_A'])]
    assert terms.forbidden == set()


def test_required_forbidden_names():
    terms = query.required_traits(['A,!B,!!C'], allow_forbidden=True)
    assert terms.required == [frozenset(['A'])]
    assert terms.forbidden == {'B', 'C'}


def test_required_forbidden_refused_before_1_22():
    assert _refused(query.required_traits, ['A,!B']) == (
        "Invalid query string parameters: Expected 'required' parameter "
        "value of the form: HW_CPU_X86_VMX,CUSTOM_MAGIC. Got: A,!B")


@pytest.mark.parametrize('allow_forbidden, form', [
    (False, 'HW_CPU_X86_VMX,CUSTOM_MAGIC'),
    (True, 'HW_CPU_X86_VMX,!CUSTOM_MAGIC')])
@pytest.mark.parametrize('value', ['', 'A,', 'A,,B', '!', 'A,!'])
def test_required_empty_trait(value, allow_forbidden, form):
    detail = _refused(query.required_traits, [value],
                      allow_forbidden=allow_forbidden)
    assert detail == (
        "Invalid query string parameters: Expected 'required' parameter "
        "value of the form: %s. Got an empty trait in: %s" % (form, value))


def test_required_any_of():
    terms = query.required_traits(['in:A, B'], allow_any_of=True)
    assert terms.required == [frozenset(['A', 'B'])]


def test_required_any_of_refused_before_1_39():
    assert _refused(query.required_traits, ['in:A,B']) == (
        "Invalid query string parameters: The format "
        "'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' only supported since "
        "microversion 1.39. Got: in:A,B")


def test_required_any_of_empty_trait():
    assert _refused(query.required_traits, ['in:A,'],
                    allow_any_of=True) == (
        "Invalid query string parameters: Expected 'required' parameter "
        "value of the form: in:HW_CPU_X86_VMX,CUSTOM_MAGIC. Got an empty "
        "trait in: in:A,")


def test_required_any_of_cannot_forbid():
    assert _refused(query.required_traits, ['in:A,!B'],
                    allow_any_of=True, allow_forbidden=True) == (
        "Invalid query string parameters: The format "
        "'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' does not support forbidden "
        "traits. Got: in:A,!B")


def test_required_repeated_is_anded():
    terms = query.required_traits(['in:A,B', 'C,!D', 'in:E'],
                                  allow_forbidden=True, allow_any_of=True,
                                  allow_repeated=True)
    assert terms.required == [frozenset('AB'), frozenset('C'),
                              frozenset('E')]
    assert terms.forbidden == {'D'}


def test_required_repeated_before_1_39_keeps_last():
    terms = query.required_traits(['A', 'B'])
    assert terms.required == [frozenset(['B'])]
    # Only the last one is even looked at: a bad earlier value is ignored.
    assert query.required_traits(['!!', 'B']).required == [frozenset('B')]


def test_required_no_values():
    assert query.required_traits([]) == ([], set())


# -- member_of ------------------------------------------------------------------

def test_member_of_single_and_any_of():
    assert query.member_of([AGG1]) == ([{AGG1}], set())
    assert query.member_of(['in:%s,%s' % (AGG1, AGG2)]) == (
        [{AGG1, AGG2}], set())


def test_member_of_repeated():
    terms = query.member_of([AGG1, 'in:%s,%s' % (AGG2, AGG3)],
                            allow_multiple=True)
    assert terms.required == [{AGG1}, {AGG2, AGG3}]


def test_member_of_repeated_refused_before_1_24():
    assert _refused(query.member_of, [AGG1, AGG2]) == (
        'Multiple member_of parameters are not supported')
    assert _refused(query.member_of, [AGG1, AGG2], suffix='1') == (
        'Multiple member_of1 parameters are not supported')


def test_member_of_forbidden():
    terms = query.member_of(['!' + AGG1, '!in:%s,%s' % (AGG2, AGG3)],
                            allow_multiple=True, allow_forbidden=True)
    assert terms == ([], {AGG1, AGG2, AGG3})


@pytest.mark.parametrize('value', ['!' + AGG1, '!in:' + AGG1])
def test_member_of_forbidden_refused_before_1_32(value):
    assert _refused(query.member_of, [value], suffix='_X') == (
        'Forbidden member_of_X parameters are not supported in the '
        'specified microversion')


def test_member_of_list_without_in():
    value = '%s,%s' % (AGG1, AGG2)
    assert _refused(query.member_of, [value]) == (
        "Multiple values for 'member_of' must be prefixed with the 'in:' "
        "or '!in:' keyword using the valid microversion. Got: %s" % value)


@pytest.mark.parametrize('value, bad', [
    ('not-a-uuid', 'not-a-uuid'), ('in:', ''), ('in:%s,x' % AGG1, 'x'),
    ('!nope', 'nope'), ('', '')])
def test_member_of_bad_uuid(value, bad):
    detail = _refused(query.member_of, [value], allow_forbidden=True)
    assert detail == (
        "Invalid query string parameters: Expected 'member_of' parameter "
        "to contain valid UUID(s). Got: %s" % bad)


def test_member_of_uuid_without_dashes_is_accepted():
    assert query.member_of([AGG1.replace('-', '')]).required == [
        {AGG1.replace('-', '')}]


# -- in_tree --------------------------------------------------------------------

def test_in_tree():
    assert query.in_tree(' %s ' % AGG1) == AGG1


def test_in_tree_bad():
    assert _refused(query.in_tree, 'x') == (
        "Invalid query string parameters: Expected 'in_tree' parameter to "
        "be a format of uuid. Got: x")
