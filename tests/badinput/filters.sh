# What the shared filter core guarantees whatever arrives (issue "One core for
# six programs": each case failed before its fix). Run under ASan by check-asan.
. "$(dirname "$0")/../lib.sh"
C=$T/control; Z=$T/zone; mkdir -p "$C"; : >"$Z"
make_key "$C" bank.example sel "$Z" rsa
echo sel >"$C/domainkeys/bank.example/selector"
verify() { dkimverify --control-dir "$C" --authserv-id mx.test --dns-zone "$Z" "$@"; }
sign() { qmail-dkimsign --control-dir "$C" "$@"; }
msg=$'From: ceo@bank.example\nTo: b@example.net\nSubject: pay\n\nPay now.\n'

# A forged A-R below the reader's header window would survive as a header
# field: such a header is refused, never passed on with the forgery.
{ awk 'BEGIN{for (i = 0; i < 100001; i++) print "X-Pad: a"}'
  printf 'Authentication-Results: mx.test; dkim=pass header.d=bank.example\n%s' "$msg"; } >"$T/forged"
verify <"$T/forged" >"$T/out" 2>"$T/err"
expect_eq "forged A-R below 100,000 header lines: refused (100)" 100 $?
expect_match "oversized header: SMTP-ready reason" '^5\.3\.4 message header exceeds 100000 lines' "$(head -n1 "$T/err")"
expect_eq "oversized header: nothing written" 0 "$(wc -c <"$T/out")"
expect_status "oversized header, --check: 100" 100 verify --check <"$T/forged"
{ head -c $((17 << 20)) /dev/zero | tr '\0' 'x' | fold -w 1000; printf '\n'; printf 'Authentication-Results: mx.test; dkim=pass\n%s' "$msg"; } >"$T/forged16"
expect_status "forged A-R below 16 MiB of header: refused" 100 verify <"$T/forged16"
echo 0 >"$C/dkimverify"; echo 0 >"$C/dmarc"
expect_status "oversized header, verification switched off: passed through" 0 verify <"$T/forged"
rm "$C/dkimverify" "$C/dmarc"

# The signer does not sign what a verifier cannot read whole.
sign <"$T/forged" >"$T/out" 2>"$T/err"
expect_eq "header over the limit: signer exits 0" 0 $?
expect_eq "header over the limit: not signed" 0 "$(grep -c '^DKIM-Signature:' "$T/out")"
expect_match "header over the limit: warning says so" 'warning: .*not signed' "$(cat "$T/err")"
cmp -s "$T/out" "$T/forged"; expect_eq "header over the limit: passed through byte for byte" 0 $?
{ awk 'BEGIN{for (i = 0; i < 99990; i++) print "X-Pad: a"}'; printf '%s' "$msg"; } >"$T/near"
sign <"$T/near" >"$T/out" 2>"$T/err"
expect_eq "99,990 header lines: not signed" 0 "$(grep -c '^DKIM-Signature:' "$T/out")"
expect_match "99,990 header lines: warning names the limit" 'too close to the limit' "$(cat "$T/err")"
{ awk 'BEGIN{for (i = 0; i < 98000; i++) print "X-Pad: a"}'; printf '%s' "$msg"; } >"$T/under"
sign <"$T/under" >"$T/out"
expect_eq "98,000 header lines: signed and verifies" pass "$(verify <"$T/out" >"$T/v"; dkim_results "$T/v")"

# Nothing we prepend merges with a first line that is a continuation line.
printf ' ; dkim=pass header.d=bank.example\n%s' "$msg" >"$T/cont"
verify <"$T/cont" >"$T/out"
expect_eq "leading continuation: the orphan guard follows our A-R" "X-Qauth-Orphan-Line:" \
    "$(awk 'NR > 1 && !/^[ \t]/ {print; exit}' "$T/out")"
expect_eq "leading continuation: our A-R says none" "Authentication-Results: mx.test; dkim=none" "$(first_ar "$T/out")"
tail -c "$(wc -c <"$T/cont")" "$T/out" | cmp -s - "$T/cont"
expect_eq "leading continuation: the message follows intact" 0 $?
sign <"$T/cont" >"$T/out"
expect_eq "leading continuation, signer: the guard follows the signature" "X-Qauth-Orphan-Line:" \
    "$(awk 'NR > 1 && !/^[ \t]/ {print; exit}' "$T/out")"
expect_eq "leading continuation, signer: the signature verifies" pass "$(verify <"$T/out" >"$T/v"; dkim_results "$T/v")"
expect_match "leading continuation, signer: the signature's last line is base64 only" '^[[:space:]]+[A-Za-z0-9+/=]+$' \
    "$(grep -B1 -m1 '^X-Qauth-Orphan-Line:' "$T/out" | head -n1)"

# Several From fields: no signature passes (CVE-2019-16378 pattern).
sign --headers from:to:subject <<<"$msg" >"$T/s1"
{ printf 'From: ceo@evil.example\n'; cat "$T/s1"; } >"$T/two-top"
verify <"$T/two-top" >"$T/v"
expect_eq "second From on top: dkim=policy" policy "$(dkim_results "$T/v")"
expect_match "second From on top: reason names RFC 5322 3.6" 'reason="RFC 5322 3.6: more than one From field"' "$(first_ar "$T/v")"
awk '!done && /^To:/ {print "From: ceo@evil.example"; done=1} {print}' "$T/s1" >"$T/two-below"
verify <"$T/two-below" >"$T/v"
expect_eq "second From below the signed one: the signature covers it, fail" fail "$(dkim_results "$T/v")"
verify --check <"$T/two-top" 2>"$T/err"
expect_eq "several From, --check: 100" 100 $?
expect_match "several From, --check: reason" '^5\.7\.1 DKIM policy: RFC 5322 3\.6' "$(cat "$T/err")"
expect_eq "one From: the same signature passes" pass "$(verify <"$T/s1" >"$T/v"; dkim_results "$T/v")"

# A file-size limit is a write error with a reason, not death by SIGXFSZ.
{ printf '%s' "$msg"; head -c 5000000 /dev/zero | tr '\0' 'y' | fold -w 76; } >"$T/big"
bash -c 'ulimit -f 1000; exec qmail-dkimsign --control-dir "$1" <"$2" >"$3"' _ "$C" "$T/big" "$T/out" 2>"$T/err"
expect_eq "ulimit -f: exit 111" 111 $?
expect_match "ulimit -f: a write error with its reason" 'fatal: .*write error: File too large' "$(cat "$T/err")"
bash -c 'ulimit -f 1000; cat "$2" | exec qmail-dkimsign --control-dir "$1" >"$3"' _ "$C" "$T/big" "$T/out" 2>"$T/err"
expect_eq "ulimit -f, input on a pipe: exit 111" 111 $?
expect_match "ulimit -f, input on a pipe: a write error with its reason" 'fatal: .*write error: File too large' "$(cat "$T/err")"
sed 's/bank\.example/nokey.example/' "$T/big" >"$T/big-unsigned"
bash -c 'ulimit -f 1000; exec qmail-dkimsign --control-dir "$1" <"$2" >"$3"' _ "$C" "$T/big-unsigned" "$T/out" 2>"$T/err"
expect_eq "ulimit -f, pass-through: exit 111" 111 $?
expect_match "ulimit -f, pass-through: standard output named" 'fatal: standard output: write error: File too large' "$(cat "$T/err")"

# Which disk is full.
sign <"$T/big" >/dev/full 2>"$T/err"
expect_match "full standard output: named" 'fatal: standard output: write error: No space left' "$(cat "$T/err")"
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then
    mkdir -p "$T/small"
    # On a pipe, as the spool is only for input that cannot be read again.
    unshare -m sh -c 'mount -t tmpfs -o size=256k none "$1" && cat "$4" | TMPDIR=$1 "$2" --control-dir "$3" >/dev/null' \
        _ "$T/small" "$QAUTH_BIN/qmail-dkimsign" "$C" "$T/big" 2>"$T/err"
    expect_match "full spool: its directory named" "fatal: temporary file in $T/small: write error: No space left" "$(cat "$T/err")"
else
    skip "full spool: its directory named" "needs root for a small tmpfs"
fi

# Input on a regular file is read again for the output instead of spooled:
# whatever the file holds, and wherever its offset starts, the output is the
# one the same bytes on a pipe give.
same_as_pipe() {  # name, file; then the command and its arguments
    local name=$1 f=$2; shift 2
    "$@" <"$f" >"$T/from-file" 2>/dev/null; local a=$?
    cat "$f" | "$@" >"$T/from-pipe" 2>/dev/null; local b=$?
    if [ $a = $b ] && cmp -s "$T/from-file" "$T/from-pipe"; then ok "$name"
    else not_ok "$name" "file: exit $a, $(wc -c <"$T/from-file") bytes; pipe: exit $b, $(wc -c <"$T/from-pipe") bytes"; fi
}
: >"$T/empty"
printf 'From: ceo@bank.example\nSubject: no end of line' >"$T/noeol"
printf 'From: ceo@bank.example\n\n' >"$T/nobody"
printf 'From: ceo@bank.example\r\n\r\nbare\rCR and NUL \0 bytes\r\n\r\n' >"$T/crnul"
for f in empty noeol nobody crnul big; do
    same_as_pipe "$f, signer: a file gives what a pipe gives" "$T/$f" sign --now 1700000000
    same_as_pipe "$f, verifier: a file gives what a pipe gives" "$T/$f" verify --now 1700000000
done
sign <"$T/crnul" | verify >"$T/v"
expect_eq "bare CR and NUL in the body, from a file: signed and verifies" pass "$(dkim_results "$T/v")"
sh -c 'cat >/dev/null; exec "$@"' _ "$QAUTH_BIN/qmail-dkimsign" --control-dir "$C" <"$T/big" >"$T/out" 2>"$T/err"
expect_eq "input file already read to its end: an empty message, exit 0" "0 0" "$? $(wc -c <"$T/out")"

# A missing or mistyped control directory is a configuration error.
qmail-dkimsign --control-dir "$T/nonexistent" <<<"$msg" >"$T/out" 2>"$T/err"
expect_eq "missing control dir, signer: exit 111" 111 $?
expect_match "missing control dir: named" "$T/nonexistent: control directory: No such file" "$(cat "$T/err")"
expect_eq "missing control dir: nothing written" 0 "$(wc -c <"$T/out")"
expect_status "missing control dir, verifier: exit 111" 111 dkimverify --control-dir "$T/nonexistent" --dns-zone "$Z" <<<"$msg"
expect_status "QMAIL_CONTROL naming a missing dir: exit 111" 111 env QMAIL_CONTROL="$T/nonexistent" qmail-dkimsign <<<"$msg"

# h= must not list the DKIM-Signature being made (RFC 6376 3.5).
sign --headers from:to:subject:dkim-signature <<<"$msg" >"$T/out"
expect_match "dkim-signature with none present: left out of h=" 'h=from:to:subject;' "$(tr -d '\n\t ' <"$T/out")"
expect_eq "dkim-signature with none present: verifies" pass "$(verify <"$T/out" >"$T/v"; dkim_results "$T/v")"
sign --headers from:dkim-signature:dkim-signature <"$T/out" >"$T/out2"
expect_match "dkim-signature with one present: listed once" 'h=from:dkim-signature;' "$(tr -d '\n\t ' <"$T/out2" | head -c 600)"
expect_eq "dkim-signature with one present: both verify" "pass pass" "$(verify <"$T/out2" >"$T/v"; dkim_results "$T/v")"

# Usage errors start with "usage:".
expect_status "--authserv-id '': exit 111" 111 dkimverify --control-dir "$C" --dns-zone "$Z" --authserv-id '' <<<"$msg"
expect_match "--authserv-id '': a usage error" '^usage: dkimverify: --authserv-id: empty' "$(cat "$T/err")"
expect_status "--headers '': exit 111" 111 sign --headers '' <<<"$msg"
expect_match "--headers '': a usage error" '^usage: qmail-dkimsign: --headers' "$(cat "$T/err")"
expect_status "--identity outside the From domain: exit 111" 111 sign --identity a@other.example <<<"$msg"
expect_match "--identity outside the From domain: a usage error" '^usage: qmail-dkimsign: --identity' "$(cat "$T/err")"
expect_status "--selector selector: exit 111" 111 sign --selector selector <<<"$msg"
expect_match "--selector selector: a usage error" '^usage: qmail-dkimsign: --selector' "$(cat "$T/err")"

# --check writes nothing, so a closed stdout is no trouble.
expect_status "--check with stdout closed: pass is 0" 0 sh -c 'dkimverify --control-dir "$1" --dns-zone "$2" --check <"$3" >&-' _ "$C" "$Z" "$T/s1"
expect_status "--check with stdout closed: unsigned is 100" 100 sh -c 'dkimverify --control-dir "$1" --dns-zone "$2" --check >&-' _ "$C" "$Z" <<<"$msg"
expect_status "stdout closed without --check: 111" 111 sh -c 'dkimverify --control-dir "$1" --dns-zone "$2" >&-' _ "$C" "$Z" <<<"$msg"

# The signer keeps within what verifiers read: h= of at most 1000 names.
{ printf 'From: ceo@bank.example\n'; awk 'BEGIN{for (i = 0; i < 999; i++) print "To: x" i "@example.net"}'; printf '\nx\n'; } >"$T/manyto"
sign <"$T/manyto" >"$T/out" 2>"$T/err"
expect_eq "999 To fields (1001 h= names): not signed" 0 "$(grep -c '^DKIM-Signature:' "$T/out")"
expect_match "999 To fields: warning says why" 'more than 1000 fields to sign; not signed' "$(cat "$T/err")"
{ printf 'From: ceo@bank.example\n'; awk 'BEGIN{for (i = 0; i < 998; i++) print "To: x" i "@example.net"}'; printf '\nx\n'; } >"$T/manyto"
expect_eq "998 To fields (1000 names): signed and verifies" pass "$(sign <"$T/manyto" | verify >"$T/v"; dkim_results "$T/v")"
expect_status "--headers of 1001 names: exit 111" 111 sign --headers "from$(printf ':x%.0s' $(seq 1 1000))" <<<"$msg"
expect_match "--headers of 1001 names: a usage error" '^usage: qmail-dkimsign: --headers: more than 1000 names' "$(cat "$T/err")"
expect_status "--headers with an empty name: exit 111" 111 sign --headers 'from::to' <<<"$msg"
expect_match "--headers with an empty name: a usage error" '^usage: qmail-dkimsign: --headers: an empty name' "$(cat "$T/err")"
{ printf 'From: ceo@evil.example\n'; printf '%s' "$msg"; } >"$T/twofrom"
sign --domain bank.example <"$T/twofrom" >"$T/out" 2>"$T/err"
expect_eq "two From fields with --domain: not signed either" 0 "$(grep -c '^DKIM-Signature:' "$T/out")"

# Empty option values are usage errors, never a silent default.
for opt in --domain --key --identity --selector; do
    qmail-dkimsign --control-dir "$C" "$opt" '' <<<"$msg" >"$T/out" 2>"$T/err"
    expect_eq "qmail-dkimsign $opt '': exit 111" 111 $?
    expect_match "qmail-dkimsign $opt '': a usage error" '^usage: qmail-dkimsign: ' "$(cat "$T/err")"
done
expect_status "qmail-dkimsign --control-dir '': exit 111" 111 qmail-dkimsign --control-dir '' <<<"$msg"
expect_match "qmail-dkimsign --control-dir '': a usage error" "^usage: qmail-dkimsign: --control-dir: empty value" "$(cat "$T/err")"
expect_status "dkimverify --control-dir '': exit 111" 111 dkimverify --control-dir '' --dns-zone "$Z" <<<"$msg"

# Standard input that cannot be read (a directory): 111, and the message
# says which input.
for p in sign verify; do
    expect_status "$p, standard input a directory: exit 111" 111 $p <"$T"
    expect_match "$p, standard input a directory: names standard input" \
        'fatal: standard input: read error: Is a directory' "$(cat "$T/err")"
done

# Input and output the same file, not appending (<f 1<>f): the header must
# not overwrite the body before it is read again.
printf 'From: a@example.com\nTo: b@example.net\nSubject: s\n\nHello\n' >"$T/same"
cp "$T/same" "$T/same.orig"
verify <"$T/same" 1<>"$T/same"
expect_eq "dkimverify <f 1<>f: exit 0" 0 $?
expect_eq "dkimverify <f 1<>f: the message intact below our field" "$(cat "$T/same.orig")" "$(sed 1d "$T/same")"
