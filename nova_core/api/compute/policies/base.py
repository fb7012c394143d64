"""Nova's base rules (secure-RBAC defaults), which the others are built from."""

from oslo_policy import policy

from nova_core.api import policy as api_policy

ADMIN = 'rule:context_is_admin'
PROJECT_MEMBER_OR_ADMIN = 'rule:project_member_or_admin'
PROJECT_READER_OR_ADMIN = 'rule:project_reader_or_admin'

rules = [
    policy.RuleDefault('context_is_admin', 'role:admin',
                       'Decides what is required for the is_admin:True '
                       'check to succeed.'),
    policy.RuleDefault('admin_or_owner',
                       'is_admin:True or project_id:%(project_id)s',
                       'Default rule for most non-Admin APIs.'),
    policy.RuleDefault('admin_api', 'is_admin:True',
                       'Default rule for most Admin APIs.'),
    policy.RuleDefault('project_member_api',
                       'role:member and project_id:%(project_id)s',
                       'Default rule for Project level non admin APIs.'),
    policy.RuleDefault('project_reader_api',
                       'role:reader and project_id:%(project_id)s',
                       'Default rule for Project level read only APIs.'),
    policy.RuleDefault('project_member_or_admin',
                       'rule:project_member_api or rule:context_is_admin',
                       'Default rule for Project Member or admin APIs.'),
    policy.RuleDefault('project_reader_or_admin',
                       'rule:project_reader_api or rule:context_is_admin',
                       'Default rule for Project reader or admin APIs.'),
]

# The shape of the rules built from these.
rule = api_policy.documented_rule
