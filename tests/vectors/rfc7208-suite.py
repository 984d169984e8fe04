#!/usr/bin/python3
"""The RFC 7208 test suite (pyspf's rfc7208-tests.yml) run through spfcheck.

Usage: rfc7208-suite.py SUITE.yml WORKDIR

Follows the runner rules of the README beside the suite: each scenario's
zonedata becomes an RFC 1035 zone file for spfcheck --dns-zone (SPF-type
entries served as TXT too unless the name has TXT entries, "TXT: NONE"
meaning no TXT, a list value one RR of several strings, TIMEOUT a
";qauth: tempfail NAME except TYPES" pragma for the types listed before
it); each test runs spfcheck in mode 1 and reads the result from
Received-SPF, and, when an explanation is expected, again in mode 3 and
reads it from the refusal line, with the default explanation "DEFAULT".
Prints one TAP line per test and "# N passed, M failed".
"""
import os
import re
import subprocess
import sys

import yaml

SPFCHECK = os.path.join(os.environ.get("QAUTH_BIN", "build/bin"), "spfcheck")


def zone_string(value):
    """A <character-string> of a zone file: printable ASCII as is, the rest as \\DDD."""
    data = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    out = '"'
    for c in data:
        if c in (0x22, 0x5C):
            out += "\\" + chr(c)
        elif 0x20 <= c < 0x7F:
            out += chr(c)
        else:
            out += "\\%03d" % c
    return out + '"'


def txt_rdata(value):
    if isinstance(value, list):  # one RR of several strings (RFC 7208 3.3)
        return " ".join(zone_string(str(v)) for v in value) if value else '""'
    return zone_string(str(value))


def owner(name):
    return name.rstrip(".").replace(" ", "\\032") + "."


def write_zone(path, zonedata):
    lines = []
    for name, rrs in zonedata.items():
        n = owner(name)
        has_txt = any(isinstance(r, dict) and "TXT" in r for r in rrs)
        answered = []
        for rr in rrs:
            if rr == "TIMEOUT":
                kept = " ".join(sorted(set(answered)))
                lines.append(";qauth: tempfail %s%s" % (n, " except " + kept if kept else ""))
                continue
            ((rtype, value),) = rr.items()
            if rtype == "SPF":
                if not has_txt:
                    answered.append("TXT")
                    lines.append("%s TXT %s" % (n, txt_rdata(value)))
            elif rtype == "TXT":
                if value != "NONE":
                    answered.append("TXT")
                    lines.append("%s TXT %s" % (n, txt_rdata(value)))
            elif rtype == "MX":
                answered.append("MX")
                lines.append("%s MX %d %s" % (n, value[0], owner(str(value[1]))))
            elif rtype in ("PTR", "CNAME"):
                answered.append(rtype)
                lines.append("%s %s %s" % (n, rtype, owner(str(value))))
            else:
                answered.append(rtype)
                lines.append("%s %s %s" % (n, rtype, value))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def spfcheck(zone, control, test, mode):
    args = [SPFCHECK, "--control-dir", control, "--authserv-id", "receiver.test", "--dns-zone", zone,
            "--mode", str(mode), "--explanation", "DEFAULT", "--ip", str(test["host"]),
            "--sender", test.get("mailfrom") or ""]
    if test.get("helo"):
        args += ["--helo", str(test["helo"])]
    return subprocess.run(args, input=b"Subject: t\n\nbody\n", capture_output=True)


def run_test(zone, control, test):
    """(passed, what went wrong)"""
    want = test["result"] if isinstance(test["result"], list) else [test["result"]]
    p = spfcheck(zone, control, test, 1)
    m = re.match(rb"Received-SPF: (\w+) ", p.stdout)
    if p.returncode != 0 or not m:
        return False, "exit %d, stderr %r" % (p.returncode, p.stderr[:300])
    got = m.group(1).decode()
    if got not in want:
        return False, "result %s, expected %s" % (got, "/".join(want))
    if "explanation" in test and got == "fail":
        p = spfcheck(zone, control, test, 3)
        line = p.stderr.split(b"\n", 1)[0].decode("ascii", "replace")
        m = re.match(r"5\.7\.1 SPF fail(?: for HELO \S+)?: (.*)$", line)
        if p.returncode != 100 or not m:
            return False, "mode 3: exit %d, stderr %r" % (p.returncode, line)
        if m.group(1) != test["explanation"]:
            return False, "explanation %r, expected %r" % (m.group(1), test["explanation"])
    return True, ""


def main():
    suite, work = sys.argv[1], sys.argv[2]
    control = os.path.join(work, "control")
    os.makedirs(control, exist_ok=True)
    passed = failed = 0
    with open(suite, encoding="utf-8") as f:
        scenarios = [d for d in yaml.safe_load_all(f) if d]
    for i, scenario in enumerate(scenarios):
        zone = os.path.join(work, "scenario%d.zone" % i)
        write_zone(zone, scenario.get("zonedata") or {})
        for name, test in scenario["tests"].items():
            good, why = run_test(zone, control, test)
            if good:
                passed += 1
                print("ok - rfc7208 %s" % name)
            else:
                failed += 1
                print("not ok - rfc7208 %s (RFC 7208 %s)\n#   %s" % (name, test.get("spec", "?"), why))
    print("# rfc7208 suite: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
