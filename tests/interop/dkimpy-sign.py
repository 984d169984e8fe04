#!/usr/bin/python3
# Signs messages with dkimpy's library API the way its dkimsign command does
# (dkim/dkimsign.py: the DKIM-Signature is folded with the message's own line
# end, then the message follows unchanged), many in one process, because
# each dkimsign run spends most of its time starting the interpreter.
#
#   /usr/bin/python3 dkimpy-sign.py < JOBS
#
# One job a line: IN OUT SELECTOR DOMAIN KEYFILE HCANON BCANON ALGORITHM [l]
# (a final "l" adds l=, the body length, as dkim.sign(length=True) does).
# A job that fails writes no OUT, prints the reason on stderr, and the exit
# status is 1.
import sys

import dkim
import dkim.util

status = 0
for line in sys.stdin:
    if not line.strip():
        continue
    src, out, sel, dom, keyfile, hc, bc, alg, *flags = line.split()
    with open(src, 'rb') as f:
        msg = f.read()
    with open(keyfile, 'rb') as f:
        key = f.read()
    try:
        d = dkim.DKIM(msg, signature_algorithm=alg.encode(), linesep=dkim.util.get_linesep(msg))
        sig = d.sign(sel.encode(), dom.encode(), key, canonicalize=(hc.encode(), bc.encode()),
                     length='l' in flags)
    except Exception as e:  # as dkimsign does, but without the unsigned output
        print('dkimpy-sign: %s: %s' % (out, e), file=sys.stderr)
        status = 1
        continue
    with open(out, 'wb') as f:
        f.write(sig + msg)
sys.exit(status)
