#!/usr/bin/env python3
"""Request validation, jsonschema alone against the compiled pre-check.

    .venv/bin/python benchmarks/validation_fastpath.py [--rounds 20000]
        [--repeat 7] [--json]

Times, side by side in one process, what the placement handlers validate
on a scheduling decision's hot path:

* the body of ``PUT /allocations/{consumer}`` at microversion 1.38 (one
  provider with VCPU / MEMORY_MB / DISK_GB, project and user, consumer
  generation null, consumer type INSTANCE), as the scheduler's claim sends
  it;
* the query of ``GET /allocation_candidates`` at 1.38 as
  ``query_params`` hands it to the schema (``resources`` and ``limit``),
  and the handler's second look at ``limit`` (``FIRST_LIMIT``);
* a refused claim (a lower-case consumer type), where the pre-check says
  "not sure" and jsonschema words the 400: the cost of asking twice.

"old" is what ``validation.validate`` did before the pre-check: jsonschema's
``best_match(validator.iter_errors(data))`` with the validator built once
per schema. "new" is ``validation.validate`` as it is. Both use the same
cached validator; schema checking and compiling are done before timing.
Prints microseconds per validation (median of --repeat runs of --rounds
validations) and old / new.
"""

import argparse
import json
import statistics
import time

import jsonschema
import webob.exc

from nova_core.api import microversion
from nova_core.api import validation
from nova_core.placement.schemas import allocation
from nova_core.placement.schemas import allocation_candidate

VERSION = microversion.Version(1, 38)
PROVIDER = '9a1e9b8e-58c8-4dd2-9b22-4a36de6d7f8d'
CLAIM = {
    'allocations': {PROVIDER: {'resources': {
        'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 1}}},
    'project_id': 'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5',
    'user_id': 'f0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5',
    'consumer_generation': None,
    'consumer_type': 'INSTANCE',
}
QUERY = {'resources': 'VCPU:1,MEMORY_MB:512,DISK_GB:1', 'limit': '1000'}
BODY_MESSAGE = 'JSON does not validate: %s'
QUERY_MESSAGE = 'Invalid query string parameters: %s'


def _candidates_schema(version):
    for since, schema in allocation_candidate.BY_VERSION:
        if version.matches(since):
            return schema
    raise ValueError(version)


def cases():
    """(name, data, schema, message) of each timed validation."""
    put = allocation.put_schema(VERSION)
    return [
        ('PUT /allocations body (1.38)', CLAIM, put, BODY_MESSAGE),
        ('GET /allocation_candidates query (1.38)', QUERY,
         _candidates_schema(VERSION), QUERY_MESSAGE),
        ('GET /allocation_candidates first limit', {'limit': '1000'},
         allocation_candidate.FIRST_LIMIT, QUERY_MESSAGE),
        ('PUT /allocations refused (400)',
         dict(CLAIM, consumer_type='instance'), put, BODY_MESSAGE),
    ]


def old_validate(data, schema, message):
    """validation.validate before the pre-check."""
    error = jsonschema.exceptions.best_match(
        validation._validator(schema).iter_errors(data))
    if error is not None:
        raise webob.exc.HTTPBadRequest(
            detail=message % error if '%s' in message else message)


def _time(function, data, schema, message, rounds):
    start = time.perf_counter()
    for _ in range(rounds):
        try:
            function(data, schema, message)
        except webob.exc.HTTPBadRequest:
            pass
    return (time.perf_counter() - start) / rounds * 1e6


def _outcome(function, data, schema, message):
    try:
        function(data, schema, message)
    except webob.exc.HTTPBadRequest as exc:
        return exc.detail
    return None


def measure(rounds, repeat):
    rows = []
    for name, data, schema, message in cases():
        # Same answer both ways, and the validator built, before timing.
        refusal = _outcome(old_validate, data, schema, message)
        assert refusal == _outcome(validation.validate, data, schema,
                                   message)
        count = max(1, rounds // 10) if refusal else rounds
        old, new = [], []
        for _ in range(repeat):
            # Interleaved, so that a slow moment of the machine hits both.
            old.append(_time(old_validate, data, schema, message, count))
            new.append(_time(validation.validate, data, schema, message,
                             count))
        rows.append({'case': name, 'old_us': statistics.median(old),
                     'new_us': statistics.median(new),
                     'fast': bool(validation._compiled(schema)[2](data))})
    return rows


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument('--rounds', type=int, default=20000,
                    help='validations per timed run (a refusal runs a '
                    'tenth of them: each costs a millisecond or so)')
    ap.add_argument('--repeat', type=int, default=7,
                    help='timed runs per path; the median is reported')
    ap.add_argument('--json', action='store_true',
                    help='print the rows as JSON instead of a table')
    args = ap.parse_args()
    rows = measure(args.rounds, args.repeat)
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    width = max(len(row['case']) for row in rows)
    print('%-*s  %10s  %10s  %7s  %s' % (width, 'validation', 'old us',
                                         'new us', 'old/new', 'pre-check'))
    for row in rows:
        print('%-*s  %10.2f  %10.2f  %6.1fx  %s' % (
            width, row['case'], row['old_us'], row['new_us'],
            row['old_us'] / row['new_us'],
            'valid' if row['fast'] else 'not sure: jsonschema decides'))


if __name__ == '__main__':
    main()
