# Bad input: every case gets a defined result, a clean exit status, and the
# message passes through intact. Run under ASan/UBSan by make check-asan.
. "$(dirname "$0")/../lib.sh"
C=$T/control; Z=$T/zone; mkdir -p "$C"; : >"$Z"
make_key "$C" example.com sel "$Z" rsa
echo sel >"$C/domainkeys/example.com/selector"
verify() { dkimverify --control-dir "$C" --authserv-id t --dns-zone "$Z" "$@"; }

# run_both NAME: signs $T/in, verifies the result; both must exit 0 and keep
# the input as the tail of their output. Sets $T/v to the verifier output.
run_both() {
    local name=$1 rc
    qmail-dkimsign --control-dir "$C" <"$T/in" >"$T/s" 2>"$T/err"; rc=$?
    if [ $rc = 0 ] && tail -c "$(wc -c <"$T/in")" "$T/s" | cmp -s - "$T/in"; then ok "$name: sign"
    else not_ok "$name: sign" "exit $rc" "$(head -c 200 "$T/err")"; fi
    verify <"$T/s" >"$T/v" 2>"$T/err"; rc=$?
    if [ $rc = 0 ] && tail -c "$(wc -c <"$T/s")" "$T/v" | cmp -s - "$T/s"; then ok "$name: verify"
    else not_ok "$name: verify" "exit $rc" "$(head -c 200 "$T/err")"; fi
}

: >"$T/in"
run_both "empty input"
expect_eq "empty input: dkim=none" none "$(dkim_results "$T/v")"

printf 'From: a@example.com\nSubject: no body, no separator' >"$T/in"
run_both "no separator, no final LF"
expect_eq "no separator: signed and passes" pass "$(dkim_results "$T/v")"

{ printf 'From: a@example.com\nSubject: '; head -c 1048576 /dev/zero | tr '\0' 'x'; printf '\n\nbody\n'; } >"$T/in"
run_both "1 MB header line"
expect_eq "1 MB header line: passes" pass "$(dkim_results "$T/v")"

printf 'From: a@example.com\nX-Nul: a\0b\nSubject: \0\n\nbody\0with NUL\r\nbare\rCR\n\x80\xff 8-bit\n' >"$T/in"
run_both "NUL, bare CR, 8-bit bytes"
expect_eq "NUL, bare CR, 8-bit: passes" pass "$(dkim_results "$T/v")"

{ printf 'From: a@example.com\n\n'; head -c 3000000 /dev/zero | tr '\0' 'y'; } >"$T/in"
run_both "3 MB body line without LF (spooled)"
expect_eq "3 MB body line: passes" pass "$(dkim_results "$T/v")"

{ for i in $(seq 1000); do printf 'DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel; h=from; bh=AAAA; b=%04d\n' "$i"; done
  printf 'From: a@example.com\n\nbody\n'; } >"$T/in"
verify <"$T/in" >"$T/v"
expect_eq "1000 DKIM-Signature fields: exit 0, 10 evaluated" "10" "$(dkim_results "$T/v" | wc -w)"
verify --max-signatures 3 <"$T/in" >"$T/v"
expect_eq "--max-signatures 3" "fail fail fail" "$(dkim_results "$T/v")"

printf 'DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel; h=from; bh=!!; b=%%%%\nFrom: a@example.com\n\nx\n' >"$T/in"
verify <"$T/in" >"$T/v"
expect_eq "broken base64: permerror" permerror "$(dkim_results "$T/v")"
printf 'DKIM-Signature: \nDKIM-Signature: ;;;\nDKIM-Signature: v=1; v=1\nFrom: a@example.com\n\nx\n' >"$T/in"
verify <"$T/in" >"$T/v"
expect_eq "empty and malformed tag lists: permerror each" "permerror permerror permerror" "$(dkim_results "$T/v")"

# Truncated and broken key records.
qmail-dkimsign --control-dir "$C" <<<"$(printf 'From: a@example.com\n\nx')" >"$T/good"
p=$(grep -o 'p=[^"]*' "$Z" | head -1)
{ echo 'trunc._domainkey.example.com. IN TXT "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"'
  echo 'nop._domainkey.example.com. IN TXT "v=DKIM1; k=rsa"'
  echo 'junk._domainkey.example.com. IN TXT "\001\002\255 garbage"'
  echo 'ed._domainkey.example.com. IN TXT "v=DKIM1; k=ed25519; p=AAAA"'; } >>"$Z"
for s in trunc nop junk ed; do
    sed "s/s=sel;/s=$s;/" "$T/good" >"$T/in"
    verify <"$T/in" >"$T/v"
    expect_eq "key record '$s': permerror" permerror "$(dkim_results "$T/v")"
done

expect_status "closed stdin: exit 111" 111 sh -c "dkimverify --control-dir '$C' --dns-zone '$Z' <&-"
expect_status "missing zone file: exit 111" 111 sh -c "dkimverify --control-dir '$C' --dns-zone /nonexistent </dev/null"
expect_status "verifier output error: exit 111" 111 sh -c "dkimverify --control-dir '$C' --dns-zone '$Z' <'$T/good' >/dev/full"

# Hostile h= lists: ten signatures naming 1,000 fields each over 50,000
# fields must not take quadratic time (a timeout would leave the mail in the
# queue for ever), and more than 1,000 names is refused outright.
names=$(for i in $(seq 999); do printf ':x%d' $((i * 50)); done)
{ for s in $(seq 10); do
      printf 'DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel; bh=AAAA; b=AAAA; h=from%s\n' "$names"
  done
  printf 'DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel; bh=AAAA; b=BBBB; h=from%s:x\n' "$names:x1"
  for i in $(seq 50000); do printf 'X%d: v\n' "$i"; done; printf 'From: a@example.com\n\nx\n'; } >"$T/in"
timeout 60 dkimverify --control-dir "$C" --authserv-id t --dns-zone "$Z" --max-signatures 11 <"$T/in" >"$T/v"
expect_eq "10 x 1,000 h= names over 50,000 fields: finishes, exit 0" 0 $?
expect_eq "1,000 h= names: fail; 1,001: permerror" "fail fail fail fail fail fail fail fail fail fail permerror" \
    "$(dkim_results "$T/v")"

# Closed or odd descriptors and files: exit 111, never a lost message.
{ printf 'From: a@example.com\n\n'; head -c 2000000 /dev/zero | tr '\0' 'z'; } >"$T/big"
expect_status "closed stdout, body over the spool's memory limit: signer exits 111" 111 \
    sh -c "qmail-dkimsign --control-dir '$C' <'$T/big' >&-"
expect_status "closed stdout, body over the spool's memory limit: verifier exits 111" 111 \
    sh -c "dkimverify --control-dir '$C' --dns-zone '$Z' <'$T/big' >&-"
expect_status "closed stderr: still signs, exit 0" 0 sh -c "qmail-dkimsign --control-dir '$C' <'$T/big' 2>&- >/dev/null"
expect_status "zone file that is a directory: exit 111" 111 dkimverify --control-dir "$C" --dns-zone "$T" <"$T/good"
expect_match "zone file that is a directory: says so" 'not a regular file' "$(cat "$T/err")"
mkfifo "$T/fifo"
ln -s "$T/fifo" "$C/dkimsign"
expect_status "control file that is a FIFO: exit 111, no hang" 111 timeout 10 qmail-dkimsign --control-dir "$C" <"$T/good"
rm "$C/dkimsign"
printf '1\0junk\n' >"$C/dkimsign"
expect_status "control file with a NUL byte: exit 111" 111 qmail-dkimsign --control-dir "$C" <"$T/good"
rm "$C/dkimsign"

# 8-bit bytes in values we report are escaped, never deleted: d=exämple.com
# must not show as the valid-looking exmple.com.
printf 'DKIM-Signature: v=1; a=rsa-sha256; d=ex\xc3\xa4mple.com; s=sel; h=from; bh=AAAA; b=AAAA\nFrom: a@example.com\n\nx\n' >"$T/in"
verify <"$T/in" >"$T/v"
expect_eq "d= with 8-bit bytes: permerror" permerror "$(dkim_results "$T/v")"
expect_match "d= with 8-bit bytes: header.d shows the escapes, quoted" 'header\.d="ex\\\\xc3\\\\xa4mple\.com"' "$(first_ar "$T/v")"
expect_eq "d= with 8-bit bytes: never the stripped name" 0 "$(grep -c 'exmple' "$T/v")"
mkdir -p "$T/me8"
printf 'm\xc3\xa9x.test\n' >"$T/me8/me"
expect_status "control/me with 8-bit bytes: refused (111)" 111 dkimverify --control-dir "$T/me8" --dns-zone "$Z" <"$T/in"
expect_match "... reported escaped" 'm\\xc3\\xa9x\.test' "$(cat "$T/err")"
expect_eq "... never as mx.test" 0 "$(grep -c 'mx\.test' "$T/err")"
