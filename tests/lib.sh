# Shared helpers for the shell test suites. Each suite script prints one TAP
# line per case ("ok - name", "not ok - name", or "ok - name # SKIP reason");
# scripts/run-tests counts them.
#
# Environment from scripts/run-tests:
#   QAUTH_BIN       directory with the built programs
#   SHARED          the ../shared directory; it may be absent, as in a clone
#   QAUTH_TESTDATA  the public, read-only test data (default $SHARED/testdata)
#   TOP             the project's top directory
#   CI=true or QAUTH_REQUIRE_TESTDATA=1: missing test data fails, not skips

set -u
: "${TOP:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${QAUTH_BIN:=$TOP/build/bin}"
if [ -z "${SHARED:-}" ]; then SHARED=$(cd "$TOP/../shared" 2>/dev/null && pwd) || SHARED=$TOP/../shared; fi
TESTDATA=${QAUTH_TESTDATA:-$SHARED/testdata}
PATH=$QAUTH_BIN:$PATH
export TOP QAUTH_BIN SHARED TESTDATA PATH

T=$(mktemp -d "${TMPDIR:-/tmp}/qauth-test.XXXXXX")
trap 'rm -rf "$T"' EXIT

# While SKIPPING holds a reason (need_testdata sets it), every case reports
# "ok - NAME # SKIP reason", whatever its outcome: its input is missing.
SKIPPING=
ok()     { if [ -n "$SKIPPING" ]; then skip "$1" "$SKIPPING"; else printf 'ok - %s\n' "$1"; fi; }
not_ok() {
    if [ -n "$SKIPPING" ]; then skip "$1" "$SKIPPING"; return 0; fi
    printf 'not ok - %s\n' "$1"; [ $# -gt 1 ] && printf '#   %s\n' "${@:2}"; return 0
}

# skip NAME REASON: a case that was not run.
skip()   { printf 'ok - %s # SKIP %s\n' "$1" "$2"; }

# A command bash cannot find (a helper's name mistyped, a tool not
# installed) fails a case of its own, even inside $(...) or with stdout and
# stderr redirected: fd 9 is the suite's output. (Otherwise a check such as
# "expect_fiel NAME A B" would print nothing, and nothing would fail.)
exec 9>&1
command_not_found_handle() { printf 'not ok - command not found: %s\n' "$1" >&9; return 127; }

# need_testdata [REL...]: true when $TESTDATA (and each REL under it) exists.
# When not, prints one line saying why and where the data comes from, and
# then, in CI (CI=true or QAUTH_REQUIRE_TESTDATA=1), one failed case; else
# every case reported after it in this script is a skip (SKIPPING).
need_testdata() {
    local rel missing=
    [ -d "$TESTDATA" ] || missing=$TESTDATA
    for rel in "$@"; do
        [ -n "$missing" ] || [ -e "$TESTDATA/$rel" ] || missing=$TESTDATA/$rel
    done
    [ -z "$missing" ] && return 0
    printf '# no public test data: %s is missing. It is RFC 8463 test vectors, the Mail::DKIM test corpus and pyspf'"'"'s RFC 7208 suite (README, under make check); or set QAUTH_TESTDATA=DIR.\n' "$missing"
    if [ "${CI:-}" = true ] || [ "${QAUTH_REQUIRE_TESTDATA:-}" = 1 ]; then
        printf 'not ok - test data present: %s (required: CI=true or QAUTH_REQUIRE_TESTDATA=1)\n' "$missing"
    else
        SKIPPING="no test data ($missing)"
    fi
    return 1
}

# expect_eq NAME EXPECTED ACTUAL
expect_eq() {
    if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "expected: $2" "actual:   $3"; fi
}

# expect_file NAME EXPECTED_FILE ACTUAL_FILE: byte for byte.
expect_file() {
    if cmp -s "$2" "$3"; then ok "$1"
    else not_ok "$1" "expected:" "$(head -c 700 "$2" | cat -A)" "actual:" "$(head -c 700 "$3" | cat -A)"; fi
}

# expect_status NAME EXPECTED_STATUS command...
expect_status() {
    local name=$1 want=$2; shift 2
    "$@" >"$T/out" 2>"$T/err"; local got=$?
    if [ "$got" = "$want" ]; then ok "$name"; else not_ok "$name" "exit $got, expected $want" "$(head -c 300 "$T/err")"; fi
}

# expect_status_in NAME EXPECTED_STATUS FILE command...: expect_status with
# FILE on stdin. An unreadable FILE is a failed case (skipped while SKIPPING),
# where a redirection of the call would print no case at all.
expect_status_in() {
    local name=$1 want=$2 in=$3; shift 3
    if [ ! -r "$in" ]; then not_ok "$name" "cannot read $in"; return 0; fi
    expect_status "$name" "$want" "$@" <"$in"
}

# expect_match NAME REGEX TEXT
expect_match() {
    if printf '%s' "$3" | grep -Eq -- "$2"; then ok "$1"; else not_ok "$1" "no match for /$2/ in:" "$(printf '%s' "$3" | head -c 400)"; fi
}

# dkim_results FILE: the dkim= words of the first Authentication-Results
# field of a message, space-separated ("pass fail").
dkim_results() {
    awk 'BEGIN{f=0} /^Authentication-Results:/{if (f) exit; f=1; s=$0; next} f&&/^[ \t]/{s=s $0; next} f{exit} END{print s}' "$1" |
        grep -o 'dkim=[a-z]*' | sed 's/dkim=//' | tr '\n' ' ' | sed 's/ $//'
}

# first_ar FILE: the first Authentication-Results field, unfolded.
first_ar() {
    awk 'BEGIN{f=0} /^Authentication-Results:/{if (f) exit; f=1; s=$0; next} f&&/^[ \t]/{sub(/^[ \t]+/," "); s=s $0; next} f{exit} END{print s}' "$1" | tr -d '\r'
}

# make_key CONTROL DOMAIN SELECTOR ZONE [rsa|ed25519]: a new key in
# CONTROL/domainkeys/DOMAIN/SELECTOR (mode 0600, PKCS#8 as openssl writes it),
# its key record appended to the zone file ZONE.
make_key() {
    local dir=$1/domainkeys/$2 type=${5:-rsa} p
    mkdir -p "$dir"
    if [ "$type" = rsa ]; then
        openssl genrsa -out "$dir/$3" 2048 2>/dev/null
        p=$(openssl pkey -in "$dir/$3" -pubout -outform DER | base64 -w0)
    else
        openssl genpkey -algorithm ed25519 -out "$dir/$3" 2>/dev/null
        p=$(openssl pkey -in "$dir/$3" -pubout -outform DER | tail -c 32 | base64 -w0)
    fi
    chmod 600 "$dir/$3"
    printf '%s._domainkey.%s. IN TXT ( "v=DKIM1; k=%s; p=" "%s" "%s" )\n' "$3" "$2" "$type" "${p:0:200}" "${p:200}" >>"$4"
}

# body_of FILE: the message after its first empty line (LF or CRLF).
body_of() { awk 'f{print} /^\r?$/{f=1}' "$1"; }
