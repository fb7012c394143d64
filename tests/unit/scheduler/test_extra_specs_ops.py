"""Nova's extra-spec operators."""

import pytest

from nova_core.scheduler.filters import extra_specs_ops


@pytest.mark.parametrize('value, requirement, expected', [
    ('1', '1', True), ('1', '2', False), ('abc', 'abc', True),
    ('12', '= 11', True), ('12', '= 12', True), ('12', '= 13', False),
    ('12', '== 12', True), ('12.0', '== 12', True), ('12', '== 13', False),
    ('12', '!= 13', True), ('12', '!= 12', False),
    ('12', '>= 12', True), ('11', '>= 12', False),
    ('12', '<= 12', True), ('13', '<= 12', False),
    ('abc', '= 12', False),
    ('abc', 's== abc', True), ('abc', 's== abd', False),
    ('abc', 's!= abd', True), ('abc', 's>= abc', True),
    ('abd', 's> abc', True), ('abb', 's< abc', True),
    ('abc', 's<= abc', True), ('abd', 's<= abc', False),
    ('x86_64,sse', '<in> sse', True), ('x86_64', '<in> avx', False),
    ('sse avx', '<all-in> sse avx', True), ('sse', '<all-in> sse avx', False),
    ('b', '<or> a <or> b', True), ('c', '<or> a <or> b', False),
    ('a', '<or> a', True),
])
def test_match(value, requirement, expected):
    assert extra_specs_ops.match(value, requirement) is expected


def test_an_operator_without_operand_does_not_match():
    assert not extra_specs_ops.match('1', '>=')
    assert not extra_specs_ops.match('abc', 's==')
    assert not extra_specs_ops.match('abc', '<in>')
