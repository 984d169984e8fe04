#!/usr/bin/python3
# Verifies every DKIM-Signature of each message with dkimpy's library API,
# answering its TXT lookups from a zone file (no DNS), and prints one line
# per signature:
#     FILE INDEX SELECTOR RESULT
# RESULT is pass, fail (bad signature, or dkimpy's ValidationError: body
# hash mismatch) or permerror (another DKIMException: unusable signature
# or key record). A message without a signature prints "FILE - - none".
#
#   /usr/bin/python3 dkimpy-verify.py ZONEFILE FILE...
#
# The zone file holds TXT records with absolute names, as the interop suites
# write them: "NAME. IN TXT "string" "string"...", ';' comment lines, an RR
# may go on over lines inside parentheses. dkimpy reads LF
# and CRLF messages alike (dkim.rfc822_parse splits lines on \r?\n), so each
# file is passed as it is.
import re
import sys

import dkim


def load_zone(path):
    """NAME -> TXT text of the records in an RFC 1035 file of absolute names
    (one RR per record, parentheses may continue it over lines)."""
    records = {}
    pending = b''
    with open(path, 'rb') as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith(b';'):
                continue
            pending += b' ' + line
            if pending.count(b'(') > pending.count(b')'):
                continue
            rr, pending = pending.replace(b'(', b' ').replace(b')', b' ').strip(), b''
            m = re.match(rb'(\S+)\s+(?:\d+\s+)?IN\s+TXT\s+(.*)$', rr)
            if not m:
                continue
            strings = re.findall(rb'"((?:[^"\\]|\\.)*)"', m.group(2))
            name = m.group(1).lower().rstrip(b'.') + b'.'
            records[name] = b''.join(s.replace(b'\\"', b'"').replace(b'\\\\', b'\\') for s in strings)
    return records


def main():
    records = load_zone(sys.argv[1])

    def dnsfunc(name, timeout=5):
        return records.get(name.lower().rstrip(b'.') + b'.')

    for path in sys.argv[2:]:
        with open(path, 'rb') as f:
            msg = f.read()
        d = dkim.DKIM(msg, minkey=1024)
        sigs = [v for k, v in d.headers if k.lower() == b'dkim-signature']
        if not sigs:
            print(path, '-', '-', 'none')
        for i, value in enumerate(sigs):
            m = re.search(rb'(?:^|;)\s*s\s*=\s*([^;\s]+)', value)
            sel = m.group(1).decode() if m else '?'
            try:
                res = 'pass' if dkim.DKIM(msg, minkey=1024).verify(idx=i, dnsfunc=dnsfunc) else 'fail'
            except dkim.ValidationError as e:  # body hash mismatch
                res = 'fail'
                print('#', path, i, type(e).__name__, str(e).replace('\n', ' '), file=sys.stderr)
            except dkim.DKIMException as e:
                res = 'permerror'
                print('#', path, i, type(e).__name__, str(e).replace('\n', ' '), file=sys.stderr)
            print(path, i, sel, res)


main()
