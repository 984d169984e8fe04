# Standard input on a regular file (a .qmail line, `prog <file`) is read a
# second time for the output instead of spooled: the bytes written are those
# the same message on a pipe gives, wherever the file's offset starts.
. "$(dirname "$0")/../lib.sh"
C=$T/control; Z=$T/zone; mkdir -p "$C"; : >"$Z"
make_key "$C" example.org s "$Z" rsa
echo s >"$C/domainkeys/example.org/selector"
sign() { qmail-dkimsign --control-dir "$C" --canon relaxed/simple --now 1700000000 "$@"; }
verify() { dkimverify --control-dir "$C" --authserv-id t --dns-zone "$Z" --now 1700000000 "$@"; }

# About 3 MB of 70-column lines: past the spool's 1 MiB of memory and many
# of the reader's 64 KiB blocks.
{ printf 'From: A <a@example.org>\nTo: b@example.net\nSubject: big\n\n'
  awk 'BEGIN{for (i = 0; i < 42000; i++) printf "%-69s\n", "line " i " of a long plain-text body, which is long"}'; } >"$T/msg"

sign <"$T/msg" >"$T/file"; a=$?
cat "$T/msg" | sign >"$T/pipe"; b=$?
expect_eq "signer: input on a file and on a pipe both exit 0" "0 0" "$a $b"
cmp -s "$T/file" "$T/pipe"; expect_eq "signer: a file and a pipe give the same bytes" 0 $?
tail -c "$(wc -c <"$T/msg")" "$T/file" | cmp -s - "$T/msg"
expect_eq "signer, file: the message follows the signature byte for byte" 0 $?
expect_eq "signer, file: the signature verifies" pass "$(verify <"$T/file" >"$T/v"; dkim_results "$T/v")"

# The output on a pipe (sendfile into it) and on an O_APPEND file (sendfile
# refuses: plain reads and writes).
sign <"$T/msg" | cat >"$T/to-pipe"
cmp -s "$T/to-pipe" "$T/pipe"; expect_eq "signer, file to a pipe: the same bytes" 0 $?
: >"$T/appended"; sign <"$T/msg" >>"$T/appended"
cmp -s "$T/appended" "$T/pipe"; expect_eq "signer, file to an O_APPEND file: the same bytes" 0 $?

# A file whose offset is not 0: the shell read its first line.
{ printf 'a line read before the filter\n'; cat "$T/msg"; } >"$T/lead"
(read -r line; sign) <"$T/lead" >"$T/lead.out"
cmp -s "$T/lead.out" "$T/pipe"; expect_eq "signer: a file read from its second line gives the same bytes" 0 $?

# The verifier: the same, and its result on both.
verify <"$T/file" >"$T/vfile"; a=$?
cat "$T/file" | verify >"$T/vpipe"; b=$?
expect_eq "verifier: input on a file and on a pipe both exit 0" "0 0" "$a $b"
cmp -s "$T/vfile" "$T/vpipe"; expect_eq "verifier: a file and a pipe give the same bytes" 0 $?
expect_eq "verifier, file: dkim=pass" pass "$(dkim_results "$T/vfile")"
tail -c "$(wc -c <"$T/file")" "$T/vfile" | cmp -s - "$T/file"
expect_eq "verifier, file: the message follows the A-R byte for byte" 0 $?
expect_status_in "verifier --check on a file: 0, nothing written" 0 "$T/file" verify --check
expect_eq "verifier --check on a file: stdout empty" 0 "$(wc -c <"$T/out")"

# CRLF in, CRLF out, from a file as from a pipe.
printf 'From: a@example.org\r\nSubject: crlf\r\n\r\nHello\r\n\r\n' >"$T/crlf"
sign <"$T/crlf" >"$T/crlf.file"
cat "$T/crlf" | sign >"$T/crlf.pipe"
cmp -s "$T/crlf.file" "$T/crlf.pipe"; expect_eq "CRLF message: a file and a pipe give the same bytes" 0 $?
expect_eq "CRLF message from a file: verifies" pass "$(verify <"$T/crlf.file" >"$T/v"; dkim_results "$T/v")"
