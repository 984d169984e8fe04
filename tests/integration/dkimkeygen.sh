#!/usr/bin/env bash
# dkimkeygen as an admin runs it: key files and modes, the selector file,
# refusal to overwrite, --force, --print, aliases, the DNS records (parsed
# with dnspython), and interop of the keys with openssl, dkimpy
# (python3-dkim) and OpenDKIM (opendkim-testmsg).
. "$(dirname "$0")/../lib.sh"

PY=/usr/bin/python3   # Debian's interpreter: it has dkim, nacl and dns (PEERS.md)
C=$T/control
mkdir -p "$C"
DIR=$C/domainkeys/example.com

# zone.py FILE NAME [count]: the TXT strings of NAME in the zone text FILE,
# joined (RFC 6376 3.6.2.2), or their number; fails if one exceeds 255 bytes.
cat >"$T/zone.py" <<'EOF'
import sys, dns.name, dns.rdatatype, dns.zone
z = dns.zone.from_text("$TTL 3600\n" + open(sys.argv[1]).read(), origin=".", relativize=False, check_origin=False)
(rd,) = z.find_rdataset(dns.name.from_text(sys.argv[2]), dns.rdatatype.TXT)
if any(len(s) > 255 for s in rd.strings):
    sys.exit("character-string over 255 bytes")
print(len(rd.strings) if sys.argv[3:] == ["count"] else b"".join(rd.strings).decode())
EOF

# dkimpy.py sign KEYFILE SELECTOR DOMAIN ALG RECORD: dkimpy signs a message
# with the key and verifies it against RECORD (the TXT text); prints pass/fail.
# dkimpy.py verify MSGFILE RECORD: verifies the first signature of MSGFILE.
# dkimpy.py pubkey SEED_B64: the Ed25519 public key of a seed (PyNaCl), base64.
cat >"$T/dkimpy.py" <<'EOF'
import base64, sys, dkim, nacl.signing
def dnsfunc_for(record):
    return lambda name, timeout=5: record.encode()
if sys.argv[1] == "sign":
    key, sel, dom, alg, record = sys.argv[2:7]
    msg = ("From: a@%s\r\nTo: b@example.org\r\nSubject: keygen\r\n\r\nHello.\r\n" % dom).encode()
    sig = dkim.sign(msg, sel.encode(), dom.encode(), open(key, "rb").read(), signature_algorithm=alg.encode())
    print("pass" if dkim.verify(sig + msg, dnsfunc=dnsfunc_for(record)) else "fail")
elif sys.argv[1] == "verify":
    print("pass" if dkim.verify(open(sys.argv[2], "rb").read(), dnsfunc=dnsfunc_for(sys.argv[3])) else "fail")
elif sys.argv[1] == "pubkey":
    seed = base64.b64decode(sys.argv[2])
    print(base64.b64encode(bytes(nacl.signing.SigningKey(seed).verify_key)).decode())
EOF

txt()  { "$PY" "$T/zone.py" "$@" 2>&1; }
p_of() { sed -n 's/.*; p=//p' <<<"$1"; }

# ---------------------------------------------------------------- RSA key
dkimkeygen --control-dir "$C" Example.COM >"$T/rsa.zone" 2>"$T/err"
expect_eq "rsa: exit 0" 0 $?
expect_eq "rsa: nothing on stderr" "" "$(cat "$T/err")"
expect_eq "rsa: key file mode 0600" 600 "$(stat -c %a "$DIR/default")"
expect_match "rsa: directories 0700 or 0750" '^7[05]0 7[05]0$' "$(stat -c %a "$C/domainkeys") $(stat -c %a "$DIR")"
expect_eq "rsa: selector file lists default" "default" "$(cat "$DIR/selector")"
expect_eq "rsa: PKCS#1 PEM, as opendkim-genkey writes" "-----BEGIN RSA PRIVATE KEY-----" "$(head -n1 "$DIR/default")"
expect_match "rsa: openssl checks the key, 2048 bits" 'Private-Key: \(2048 bit' \
    "$(openssl rsa -in "$DIR/default" -check -noout -text 2>&1 | head -n3)"
expect_eq "rsa: first line is a comment naming the key file" \
    "; DKIM rsa 2048-bit key, selector default: private key in $DIR/default" "$(head -n1 "$T/rsa.zone")"
rsa_text=$(txt "$T/rsa.zone" default._domainkey.example.com.)
expect_match "rsa: key record parses, v=DKIM1; k=rsa; p=" '^v=DKIM1; k=rsa; p=[A-Za-z0-9+/]+=*$' "$rsa_text"
expect_eq "rsa: record split into 2 strings of at most 255 bytes" 2 \
    "$(txt "$T/rsa.zone" default._domainkey.example.com. count)"
expect_eq "rsa: policy record o=-" "o=-" "$(txt "$T/rsa.zone" _domainkey.example.com.)"
expect_eq "rsa: p= is openssl's SubjectPublicKeyInfo of the key file" \
    "$(openssl pkey -in "$DIR/default" -pubout -outform DER | base64 -w0)" "$(p_of "$rsa_text")"
expect_eq "rsa: no temporary file left behind" "default selector" "$(ls -A "$DIR" | tr '\n' ' ' | sed 's/ $//')"

# ---------------------------------------------------------------- interop: RSA
expect_eq "interop: dkimpy signs with the key file, verifies against the record" pass \
    "$("$PY" "$T/dkimpy.py" sign "$DIR/default" default example.com rsa-sha256 "$rsa_text" 2>&1)"
printf 'From: a@example.com\r\nTo: b@example.org\r\nSubject: odk\r\nDate: Mon, 01 Jan 2024 00:00:00 +0000\r\n\r\nHello.\r\n' >"$T/msg.crlf"
if opendkim-testmsg -d example.com -s default -k "$DIR/default" -C <"$T/msg.crlf" >"$T/odk.eml" 2>"$T/err"; then
    ok "interop: opendkim-testmsg signs with the key file"
else
    not_ok "interop: opendkim-testmsg signs with the key file" "$(cat "$T/err")"
fi
expect_eq "interop: the OpenDKIM signature verifies (dkimpy) against the record" pass \
    "$("$PY" "$T/dkimpy.py" verify "$T/odk.eml" "$rsa_text" 2>&1)"

# Our own signer and verifier, when built alongside.
if [ -x "$QAUTH_BIN/qmail-dkimsign" ] && [ -x "$QAUTH_BIN/dkimverify" ]; then
    printf 'From: a@example.com\nTo: b@example.org\nSubject: own\n\nHello.\n' >"$T/msg.lf"
    qmail-dkimsign --control-dir "$C" <"$T/msg.lf" >"$T/own.eml" 2>"$T/err"
    expect_eq "qauth: qmail-dkimsign signs with the generated key" 0 $?
    expect_eq "qauth: its signature verifies (dkimpy) against the record" pass \
        "$("$PY" "$T/dkimpy.py" verify "$T/own.eml" "$rsa_text" 2>&1)"
    dkimverify --control-dir "$C" --dns-zone "$T/rsa.zone" <"$T/own.eml" >"$T/ver.eml" 2>"$T/err"
    expect_match "qauth: dkimverify reads the printed records as a zone file: pass" 'dkim=pass' "$(head -n5 "$T/ver.eml")"
fi

# ---------------------------------------------------------------- overwrite, --force, --print
sum_before=$(sha256sum <"$DIR/default")
expect_status "refuses to overwrite an existing key (exit 111)" 111 dkimkeygen --control-dir "$C" example.com
expect_match "the refusal names the key file" "$DIR/default.*--force" "$(cat "$T/err")"
expect_eq "the existing key is untouched" "$sum_before" "$(sha256sum <"$DIR/default")"

dkimkeygen --control-dir "$C" --force example.com >"$T/force.zone" 2>"$T/err"
expect_eq "--force: exit 0" 0 $?
expect_eq "--force: key replaced" different "$([ "$(sha256sum <"$DIR/default")" != "$sum_before" ] && echo different)"
expect_eq "--force: mode still 0600" 600 "$(stat -c %a "$DIR/default")"
expect_eq "--force: selector listed once" "default" "$(cat "$DIR/selector")"
expect_eq "--force: p= matches the new key" "$(openssl pkey -in "$DIR/default" -pubout -outform DER | base64 -w0)" \
    "$(p_of "$(txt "$T/force.zone" default._domainkey.example.com.)")"

chmod 0640 "$DIR/default"
dkimkeygen --control-dir "$C" --force example.com >/dev/null 2>&1
expect_eq "--force keeps a group-readable (0640) key group-readable" 640 "$(stat -c %a "$DIR/default")"

dkimkeygen --control-dir "$C" --force example.com >"$T/force.zone" 2>/dev/null
dkimkeygen --control-dir "$C" --print example.com >"$T/print.zone" 2>"$T/err"
expect_eq "--print: exit 0" 0 $?
expect_eq "--print: the same records as at generation" "$(cat "$T/force.zone")" "$(cat "$T/print.zone")"
expect_status "--print with --force is a usage error" 111 dkimkeygen --control-dir "$C" --print --force example.com
expect_match "... reported as usage:" '^usage:' "$(cat "$T/err")"
expect_status "--print of a missing key fails (111)" 111 dkimkeygen --control-dir "$C" --print missing.example
expect_match "... naming the key file" "$C/domainkeys/missing.example/default" "$(cat "$T/err")"

# ---------------------------------------------------------------- aliases
dkimkeygen --control-dir "$C" --print --alias example.net,Example.ORG --alias sub.example.info example.com \
    >"$T/alias.zone" 2>"$T/err"
expect_eq "--alias: exit 0" 0 $?
main_text=$(txt "$T/alias.zone" default._domainkey.example.com.)
for a in example.net example.org sub.example.info; do
    expect_eq "--alias: $a gets the same key record" "$main_text" "$(txt "$T/alias.zone" "default._domainkey.$a.")"
    expect_eq "--alias: $a gets the policy record" "o=-" "$(txt "$T/alias.zone" "_domainkey.$a.")"
done
expect_eq "--alias: no key directory made for aliases" "example.com" "$(ls "$C/domainkeys")"

# ---------------------------------------------------------------- selectors
dkimkeygen --control-dir "$C" --selector s2024 --bits 4096 example.com >"$T/4096.zone" 2>"$T/err"
expect_eq "second selector: exit 0" 0 $?
expect_eq "second selector: appended to the selector file" "default s2024" "$(tr '\n' ' ' <"$DIR/selector" | sed 's/ $//')"
expect_eq "4096-bit record: 3 strings of at most 255 bytes" 3 "$(txt "$T/4096.zone" s2024._domainkey.example.com. count)"
expect_eq "4096-bit record: joined p= is the key's" "$(openssl pkey -in "$DIR/s2024" -pubout -outform DER | base64 -w0)" \
    "$(p_of "$(txt "$T/4096.zone" s2024._domainkey.example.com.)")"

mkdir -p "$C/domainkeys/implicit.example"
dkimkeygen --control-dir "$C" implicit.example >/dev/null 2>&1
rm "$C/domainkeys/implicit.example/selector"
dkimkeygen --control-dir "$C" --selector new implicit.example >/dev/null 2>&1
expect_eq "a missing selector file meant 'default': it stays active beside the new one" "default new" \
    "$(tr '\n' ' ' <"$C/domainkeys/implicit.example/selector" | sed 's/ $//')"

printf '# active keys\nold   # retiring\n' >"$C/domainkeys/implicit.example/selector"
dkimkeygen --control-dir "$C" --selector s3 implicit.example >/dev/null 2>&1
expect_eq "selector file comments are kept" "$(printf '# active keys\nold   # retiring\ns3')" \
    "$(cat "$C/domainkeys/implicit.example/selector")"

dkimkeygen --control-dir "$C" --bits 1024 --selector small example.com >/dev/null 2>"$T/err"
expect_match "1024-bit key: warning on stderr" 'warning: .*2048' "$(cat "$T/err")"

# ---------------------------------------------------------------- Ed25519
dkimkeygen --control-dir "$C" --type ed25519 --selector ed example.com >"$T/ed.zone" 2>"$T/err"
expect_eq "ed25519: exit 0" 0 $?
expect_eq "ed25519: key file mode 0600" 600 "$(stat -c %a "$DIR/ed")"
expect_eq "ed25519: PKCS#8 PEM" "-----BEGIN PRIVATE KEY-----" "$(head -n1 "$DIR/ed")"
ed_text=$(txt "$T/ed.zone" ed._domainkey.example.com.)
expect_match "ed25519: record is v=DKIM1; k=ed25519; p=<32 bytes>" '^v=DKIM1; k=ed25519; p=[A-Za-z0-9+/]{43}=$' "$ed_text"
expect_eq "ed25519: one character-string" 1 "$(txt "$T/ed.zone" ed._domainkey.example.com. count)"
seed=$(openssl pkey -in "$DIR/ed" -outform DER | tail -c 32 | base64)
expect_eq "ed25519: public key of the seed openssl extracts (PyNaCl) equals p=" \
    "$("$PY" "$T/dkimpy.py" pubkey "$seed" 2>&1)" "$(p_of "$ed_text")"
expect_eq "ed25519: openssl's public key of the file equals p=" \
    "$(openssl pkey -in "$DIR/ed" -pubout -outform DER | tail -c 32 | base64)" "$(p_of "$ed_text")"
printf '%s\n' "$seed" >"$T/ed.seed"
expect_eq "interop: dkimpy signs ed25519-sha256 with the seed, verifies against the record" pass \
    "$("$PY" "$T/dkimpy.py" sign "$T/ed.seed" ed example.com ed25519-sha256 "$ed_text" 2>&1)"
expect_eq "ed25519: selector appended" "default s2024 small ed" "$(tr '\n' ' ' <"$DIR/selector" | sed 's/ $//')"
dkimkeygen --control-dir "$C" --print --selector ed example.com >"$T/edp.zone" 2>&1
expect_eq "ed25519: --print gives the same records" "$(cat "$T/ed.zone")" "$(cat "$T/edp.zone")"

# ---------------------------------------------------------------- environment and errors
mkdir "$T/envctl"
QMAIL_CONTROL=$T/envctl dkimkeygen --type ed25519 env.example >/dev/null 2>&1
expect_eq "QMAIL_CONTROL names the control directory" 600 "$(stat -c %a "$T/envctl/domainkeys/env.example/default" 2>&1)"

chmod 0644 "$DIR/ed"
expect_status "--print refuses a world-readable key" 111 dkimkeygen --control-dir "$C" --print --selector ed example.com
expect_match "... naming the file and its mode" "$DIR/ed.*0644" "$(cat "$T/err")"
chmod 0600 "$DIR/ed"

expect_status "--help exits 0" 0 dkimkeygen --help
expect_match "--help describes the options" '--selector' "$(cat "$T/out")"
for args in "" "--bits 512 a.example" "--bits 9000 a.example" "--type dsa a.example" "--type ed25519 --bits 2048 a.example" \
    "../etc" "a/b.example" "a..example" "-x.example" "a_b.example" "--selector ../x a.example" \
    "--selector selector a.example" "--selector a_b a.example" "--nonsense a.example" "a.example b.example"; do
    # shellcheck disable=SC2086
    expect_status "usage error: dkimkeygen ${args:-(no arguments)} (111)" 111 dkimkeygen --control-dir "$C" $args
    expect_match "... message starts with usage:" '^usage: dkimkeygen: ' "$(head -n1 "$T/err")"
done
expect_eq "no stray directories from refused names" "example.com implicit.example" "$(ls "$C/domainkeys" | tr '\n' ' ' | sed 's/ $//')"
expect_status "a missing control directory fails (111)" 111 dkimkeygen --control-dir "$T/nonexistent" a.example
expect_match "... naming it" "$T/nonexistent" "$(cat "$T/err")"
expect_eq "... and creates nothing" no "$([ -e "$T/nonexistent" ] && echo yes || echo no)"

# Records that cannot be written: exit 111, and no key is left behind.
mkdir -p "$T/full"
dkimkeygen --control-dir "$T/full" --selector s1 example.com >/dev/full 2>"$T/err"
expect_eq "records to /dev/full: exit 111" 111 $?
expect_eq "records to /dev/full: no key and no selector file left" "" "$(find "$T/full" -type f)"
dkimkeygen --control-dir "$T/full" --selector s1 example.com >/dev/null
expect_eq "records to /dev/full: a rerun then works" 0 $?

# A key file writable by everyone is refused like a world-readable one.
chmod 0602 "$DIR/ed"
expect_status "--print refuses a world-writable key (0602)" 111 dkimkeygen --control-dir "$C" --print --selector ed example.com
expect_match "... naming the file and its mode" "$DIR/ed.*0602" "$(cat "$T/err")"
chmod 0600 "$DIR/ed"

# Parallel runs for one domain with different selectors: every selector ends
# up in the selector file (the read-modify-rename is done under a lock).
mkdir "$T/par"
pids=()
for i in $(seq 20); do
    dkimkeygen --control-dir "$T/par" --type ed25519 --selector "p$i" par.example >/dev/null 2>"$T/par.err$i" &
    pids+=($!)
done
fails=0
for pid in "${pids[@]}"; do wait "$pid" || fails=$((fails + 1)); done
expect_eq "20 parallel dkimkeygen runs, distinct selectors: all exit 0" 0 "$fails"
expect_eq "... and all 20 selectors are listed" "$(seq 20 | sed 's/^/p/' | sort | tr '\n' ' ')" \
    "$(sort "$T/par/domainkeys/par.example/selector" | tr '\n' ' ')"
expect_eq "... and no temporary file is left" "" \
    "$(ls -A "$T/par/domainkeys/par.example" | grep -v '^p[0-9]*$' | grep -v '^selector$')"

# A closed standard output loses the records: nothing may be installed.
mkdir -p "$T/closed"
expect_status "closed stdout: exit 111" 111 sh -c 'dkimkeygen --control-dir "$1" closed.example >&-' _ "$T/closed"
expect_eq "closed stdout: no key installed" "" "$(ls "$T/closed")"

# After INSTALL's chown of the key directories to the signer's user, a new
# selector or domain is readable by that user at once (its keys are not root's).
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
    H=$T/handed; mkdir -p "$H/domainkeys"
    dkimkeygen --control-dir "$H" first.example >/dev/null 2>&1
    chown -R nobody:nogroup "$H/domainkeys"; chmod -R u=rwX,g=rX,o= "$H/domainkeys"
    dkimkeygen --control-dir "$H" --type ed25519 --selector ed first.example >/dev/null 2>&1
    expect_eq "handed-over directory: a new selector's key takes its owner, group and 0640" "nobody nogroup 640" \
        "$(stat -c '%U %G %a' "$H/domainkeys/first.example/ed")"
    dkimkeygen --control-dir "$H" second.example >/dev/null 2>&1
    expect_eq "handed-over directory: a new domain's directory and key too" "nobody nogroup 750 / nobody nogroup 640" \
        "$(stat -c '%U %G %a' "$H/domainkeys/second.example") / $(stat -c '%U %G %a' "$H/domainkeys/second.example/default")"
    expect_eq "handed-over directory: a new domain's selector list takes its owner too (bug: was root's)" \
        "nobody nogroup 644 default" "$(stat -c '%U %G %a' "$H/domainkeys/second.example/selector") $(cat "$H/domainkeys/second.example/selector")"
    expect_eq "root-owned directories: keys stay root's, 0600" "root 600" \
        "$(dkimkeygen --control-dir "$T/closed" third.example >/dev/null 2>&1; stat -c '%U %a' "$T/closed/domainkeys/third.example/default")"
else
    skip "handed-over directory: new keys take its owner" "needs root and the user nobody"
fi
