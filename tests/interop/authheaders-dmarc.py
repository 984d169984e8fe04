#!/usr/bin/python3
# Evaluates DMARC cases with authheaders (python3-authheaders) in one
# process, offline, and prints one line per case:
#     NAME<TAB>RESULT<TAB>POLICY
# RESULT is the dmarc= word of the Authentication-Results field
# authenticate_message() writes, POLICY its policy.dmarc= ("-" when it wrote
# none); a crash of the peer is RESULT "crash" and POLICY the exception type.
#
#   /usr/bin/python3 authheaders-dmarc.py RRFILE AUTHSERV-ID < CASES
#
# CASES: NAME<TAB>MESSAGE-FILE per line. The message's first header field is
# our Authentication-Results field with the SPF and DKIM results: it is
# given as prev=, with spf=False and dkim=False, so authheaders computes
# DMARC only. RRFILE is the zone in ldns-read-zone's form (one RR a line,
# absolute names, tabs): the DNS the lookups see.
#
# The lookup function: authheaders asks dnsfunc(NAME) with NAME "_dmarc.D"
# for the policy, and dnsfunc(FROM-DOMAIN) to tell whether the From domain
# exists (np=; with real DNS it asks A, MX, AAAA). Here a _dmarc name gets
# its TXT records, any other name its A, MX or AAAA records, each as DNS
# would: case-insensitive, a trailing dot meaning the same name. authheaders
# wraps what a dnsfunc other than its own dns_query returns into a list of
# one record, so a name with two TXT records could not be served; with
# dmarc_lookup.dns_query pointing at this function it reads the list as it
# reads real DNS answers (each record's str() in quotes).
import re
import sys

import authheaders
import authheaders.dmarc_lookup as dmarc_lookup


def load(rrfile):
    rrs = {}
    for line in open(rrfile):
        f = line.rstrip('\n').split('\t')
        if len(f) < 5 or line.startswith(';'):
            continue
        name, rtype, rdata = f[0].lower().rstrip('.'), f[3], f[4]
        if rtype == 'TXT':
            strings = re.findall(r'"((?:[^"\\]|\\.)*)"', rdata)
            text = ''.join(re.sub(r'\\(\d{3}|.)', lambda m: chr(int(m.group(1))) if m.group(1).isdigit()
                                  else m.group(1), s) for s in strings)
            rdata = '"%s"' % text
        rrs.setdefault(name, []).append((rtype, rdata))
    return rrs


def main():
    rrs = load(sys.argv[1])
    authserv_id = sys.argv[2]

    def dnsfunc(name, qtype=None):
        name = name.lower().rstrip('.')
        want = ('TXT',) if name.startswith('_dmarc.') else ('A', 'MX', 'AAAA')
        found = [d for t, d in rrs.get(name, []) if t in want]
        return found or None

    dmarc_lookup.dns_query = dnsfunc
    for line in sys.stdin:
        name, path = line.rstrip('\n').split('\t')
        msg = open(path, 'rb').read()
        lines = msg.split(b'\n')
        prev = lines[0].decode()  # the first field, unfolded
        for l in lines[1:]:
            if not l[:1] in (b' ', b'\t'):
                break
            prev += ' ' + l.decode().strip()
        try:
            out = authheaders.authenticate_message(msg, authserv_id, prev=prev, spf=False, dkim=False,
                                                   dmarc=True, dnsfunc=dnsfunc)
            out = re.sub(r'\s+', ' ', out)
            m = re.search(r'dmarc=(\w+)', out)
            p = re.search(r'dmarc=.*policy\.dmarc=(\w+)', out)
            result, policy = (m.group(1) if m else 'no-dmarc'), (p.group(1) if p else '-')
        except Exception as e:  # a crash of the peer is an answer of its own
            result, policy = 'crash', type(e).__name__
        print('%s\t%s\t%s' % (name, result, policy), flush=True)


if __name__ == '__main__':
    main()
