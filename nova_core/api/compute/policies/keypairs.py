"""Policies of /os-keypairs (Nova's names and defaults): a key pair is its
user's; admins may act on anybody's."""

from nova_core.api.compute.policies import base

POLICY = 'os_compute_api:os-keypairs:%s'
INDEX = POLICY % 'index'
CREATE = POLICY % 'create'
DELETE = POLICY % 'delete'
SHOW = POLICY % 'show'

_ADMIN_OR_USER = '(%s) or user_id:%%(user_id)s' % base.ADMIN

rules = [
    base.rule(INDEX, _ADMIN_OR_USER, 'List all keypairs',
              ('GET', '/os-keypairs')),
    base.rule(CREATE, _ADMIN_OR_USER, 'Create a keypair',
              ('POST', '/os-keypairs')),
    base.rule(DELETE, _ADMIN_OR_USER, 'Delete a keypair',
              ('DELETE', '/os-keypairs/{keypair_name}')),
    base.rule(SHOW, _ADMIN_OR_USER, 'Show details of a keypair',
              ('GET', '/os-keypairs/{keypair_name}')),
]
