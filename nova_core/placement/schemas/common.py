"""Patterns shared by several placement schemas."""

UUID_PATTERN = '^[0-9a-fA-F-]{36}$'

# Resource classes and traits: upper case letters, digits and underscores.
RC_PATTERN = '^[A-Z0-9_]+$'
CUSTOM_RC_PATTERN = '^CUSTOM_[A-Z0-9_]+$'
CUSTOM_TRAIT_PATTERN = CUSTOM_RC_PATTERN
CONSUMER_TYPE_PATTERN = RC_PATTERN
CONSUMER_TYPE_GET_PATTERN = '%s|^all|^unknown$' % CONSUMER_TYPE_PATTERN

# Request group suffixes: digits (1.25) or any of [a-zA-Z0-9_-] (1.33).
GROUP_PAT = r'[1-9][0-9]*'
GROUP_PAT_1_33 = r'[a-zA-Z0-9_-]{1,64}'
