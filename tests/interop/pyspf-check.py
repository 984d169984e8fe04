#!/usr/bin/python3
# Evaluates SPF cases with pyspf's library API (spf.query(...).check(), the
# code behind "python3 -m spf" and spfquery.pyspf) in one process, asking
# the system resolver, and prints one line per case:
#     NAME<TAB>RESULT<TAB>EXPLANATION
# RESULT is pyspf's result word (pass fail softfail neutral none permerror
# temperror); EXPLANATION is the third element of check()'s answer with
# tabs and line ends turned into spaces (pyspf's own text unless the result
# is fail and an exp= explanation was found).
#
#   /usr/bin/python3 pyspf-check.py < CASES
#
# CASES: NAME|IP|SENDER|HELO per line; an empty SENDER is the
# null sender, which pyspf checks as the HELO identity (postmaster@HELO,
# RFC 7208 2.3) as every peer does.
import re
import sys

import spf


def main():
    for line in sys.stdin:
        line = line.rstrip('\n')
        if not line:
            continue
        name, ip, sender, helo = line.split('|')
        try:
            result, _code, explanation = spf.query(i=ip, s=sender, h=helo, timeout=5).check()
        except Exception as e:  # a crash of the peer is a result of its own
            result, explanation = 'crash', '%s: %s' % (type(e).__name__, e)
        explanation = re.sub(r'[\t\r\n]', ' ', str(explanation))
        print('%s\t%s\t%s' % (name, result, explanation), flush=True)


if __name__ == '__main__':
    main()
