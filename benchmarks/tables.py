"""Statistics and plain-text tables for the benchmark scripts' output."""

import json
import os
import platform
import sys
import time


def median(xs):
    xs = sorted(x for x in xs if x is not None)
    if not xs:
        return None
    mid = len(xs) // 2
    return xs[mid] if len(xs) % 2 else (xs[mid - 1] + xs[mid]) / 2.0


def ratio(a, b):
    """a / b, or None when either is missing or b is zero."""
    if a is None or not b:
        return None
    return a / b


def fmt(value, digits=1):
    if value is None:
        return '-'
    if isinstance(value, float):
        return '%.*f' % (digits, value)
    return str(value)


def ms(seconds, digits=1):
    return fmt(None if seconds is None else seconds * 1000.0, digits)


def text_table(headers, rows, title=None):
    """Columns padded to their widest cell; numbers right-aligned."""
    cells = [[fmt(c) if not isinstance(c, str) else c for c in row]
             for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells])
              for i, h in enumerate(headers)]
    numeric = [all(_numberish(r[i]) for r in cells) if cells else False
               for i in range(len(headers))]

    def line(row):
        return '  '.join(c.rjust(w) if num else c.ljust(w) for c, w, num
                         in zip(row, widths, numeric)).rstrip()

    out = [title] if title else []
    out += [line(headers), '-' * len(line(headers))]
    out += [line(r) for r in cells]
    return '\n'.join(out)


def _numberish(cell):
    text = cell.rstrip('x%').replace('.', '', 1).replace('-', '', 1)
    return text.isdigit() or cell in ('-', '')


def host_info():
    info = {'platform': platform.platform(), 'python': sys.version.split()[0],
            'cpus': os.cpu_count()}
    try:
        info['loadavg'] = os.getloadavg()
    except OSError:
        pass
    return info


def write_json(path, doc):
    doc.setdefault('meta', {}).update(
        finished=time.strftime('%Y-%m-%dT%H:%M:%S%z'), host=host_info(),
        argv=sys.argv[1:])
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, 'w') as f:
        json.dump(doc, f, indent=1, sort_keys=True)
    print('wrote %s' % path, file=sys.stderr)
