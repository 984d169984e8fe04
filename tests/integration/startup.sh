# What each program loads and reads at start (issue "Lean start-up"): only the
# shared libraries it uses, and no OpenSSL configuration file unless the
# administrator names one in OPENSSL_CONF.
. "$(dirname "$0")/../lib.sh"
libs() { ldd "$QAUTH_BIN/$1" | awk '{print $1}' | sed 's/\.so.*//' | sort | tr '\n' ' '; }
for p in qmail-dkimsign dkimkeygen srsfilter; do
    l=$(libs "$p")
    case " $l" in
        *" libldns"*|*" libssl"*) not_ok "$p: no ldns, no libssl" "ldd: $l" ;;
        *) ok "$p: no ldns, no libssl" ;;
    esac
done
# ldns is linked in by default (LINK=static-cxx), shared with LINK=shared;
# either way no program loads libssl unless a shared libldns brings it.
for p in dkimverify spfcheck; do
    case $(cat "$QAUTH_BIN/../link-flags" 2>/dev/null) in
        *-static-libstdc++*) case " $(libs "$p")" in
                *" libldns"*|*" libssl"*) not_ok "$p: ldns linked in, no libssl" "ldd: $(libs "$p")" ;;
                *) ok "$p: ldns linked in, no libssl" ;;
            esac ;;
        *-static\ *|*-static) skip "$p: ldns linked in" "fully static build" ;;
        *) expect_match "$p: shared ldns, which it asks DNS with" 'libldns' "$(libs "$p")" ;;
    esac
done

# --- OpenSSL configuration: not read by default, loaded from OPENSSL_CONF ---------
C=$T/control; Z=$T/zone; mkdir -p "$C"; : >"$Z"
make_key "$C" example.com rsa "$Z" rsa
printf 'From: a@example.com\nTo: b@example.net\nSubject: s\n\nHello\n' >"$T/msg"
sign() { qmail-dkimsign --control-dir "$C" --selector rsa --domain example.com; }
verify() { dkimverify --control-dir "$C" --authserv-id t --dns-zone "$Z"; }
sign <"$T/msg" >"$T/signed"
expect_eq "signs without OPENSSL_CONF" 0 $?
# A configuration whose ENGINE cannot load: OpenSSL fails its start-up when
# it reads the file (config_diagnostics), so the exit status shows whether
# the file was read at all.
cat >"$T/broken.cnf" <<'CNF'
config_diagnostics = 1
openssl_conf = init
[init]
engines = engines
[engines]
missing = missing_engine
[missing_engine]
dynamic_path = /nonexistent/qauth-test-engine.so
init = 1
CNF
export OPENSSL_CONF=$T/broken.cnf
expect_status_in "OPENSSL_CONF that fails to load: the signer fails temporarily" 111 "$T/msg" sign
expect_match "... and names the file" "fatal: .*OpenSSL could not load OPENSSL_CONF=$T/broken.cnf" "$(cat "$T/err")"
expect_status_in "... so does dkimverify, before any signature is judged" 111 "$T/signed" verify
expect_status "... and dkimkeygen" 111 dkimkeygen --control-dir "$C" --selector k2 example.com
unset OPENSSL_CONF
# OpenSSL itself skips a missing file and blocks on a FIFO: both are refused.
mkfifo "$T/fifo"
for c in "$T/missing.cnf" "$T" "$T/fifo"; do
    OPENSSL_CONF=$c expect_status_in "OPENSSL_CONF=${c#$T/} (missing, a directory, a FIFO): 111, no wait" 111 "$T/signed" \
        timeout 10 dkimverify --control-dir "$C" --authserv-id t --dns-zone "$Z"
done
expect_match "... the message says which" "fatal: OPENSSL_CONF=$T/fifo: not a regular file" "$(cat "$T/err")"
# srsfilter calls nothing that starts OpenSSL (its HMAC-SHA1 is on the
# low-level SHA-1, crypto/hmac.cpp): the file is not read at all.
OPENSSL_CONF=$T/broken.cnf expect_status "srsfilter never starts OpenSSL, so OPENSSL_CONF is not read" 0 \
    srsfilter --srs-domain srs.example --secret S --rewrite user@example.com
expect_eq "without it dkimverify passes the same message" pass "$(verify <"$T/signed" >"$T/v"; dkim_results "$T/v")"

# The default file stays closed; OPENSSL_CONF=that file opens it.
if command -v strace >/dev/null 2>&1; then
    # opened FILE-ON-STDIN COMMAND...: how often the trace shows openssl.cnf
    # opened, or "failed" when COMMAND did not succeed.
    opened() {
        local in=$1; shift
        # LeakSanitizer cannot run under ptrace: no leak check in the ASan build here
        ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
            strace -f -e trace=open,openat -o "$T/trace" "$@" <"$in" >/dev/null 2>&1 || { echo failed; return; }
        grep -c 'openssl\.cnf' "$T/trace"
    }
    S=(qmail-dkimsign --control-dir "$C" --selector rsa --domain example.com)
    V=(dkimverify --control-dir "$C" --authserv-id t --dns-zone "$Z")
    expect_eq "signer: openssl.cnf not opened by default" 0 "$(opened "$T/msg" "${S[@]}")"
    expect_eq "dkimverify: openssl.cnf not opened by default" 0 "$(opened "$T/signed" "${V[@]}")"
    expect_eq "dkimverify: nor with OPENSSL_CONF empty" 0 "$(OPENSSL_CONF= opened "$T/signed" "${V[@]}")"
    expect_eq "dkimverify: OPENSSL_CONF=/usr/lib/ssl/openssl.cnf is opened" 1 \
        "$(OPENSSL_CONF=/usr/lib/ssl/openssl.cnf opened "$T/signed" "${V[@]}")"
else
    skip "openssl.cnf not opened by default" "no strace"
fi

# Error strings are not loaded by default: a bad key reports OpenSSL's code
# and the command that explains it; with OPENSSL_CONF, OpenSSL's own text.
printf -- '-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END RSA PRIVATE KEY-----\n' >"$T/bad.pem"
chmod 600 "$T/bad.pem"
badsign() { qmail-dkimsign --control-dir "$C" --selector rsa --domain example.com --key "$T/bad.pem"; }
expect_status_in "truncated RSA key: temporary failure" 111 "$T/msg" badsign
code=$(sed -n 's/.*`openssl errstr \([0-9A-F]\{8\}\)` explains it)$/\1/p' "$T/err")
expect_match "... the message gives OpenSSL's error code" '^[0-9A-F]{8}$' "$code"
expect_match "... which openssl errstr explains" 'routines' "$(openssl errstr "$code" 2>&1)"
OPENSSL_CONF=/usr/lib/ssl/openssl.cnf badsign <"$T/msg" >/dev/null 2>"$T/err"
expect_match "with OPENSSL_CONF: OpenSSL's text" 'does not parse \(error:[0-9A-F]{8}:[^)]*routines' "$(cat "$T/err")"

# The default build (LINK=static-cxx) links libstdc++, libgcc and ldns in,
# and keeps OpenSSL, libsodium and glibc shared for their security updates.
flags=$(cat "$QAUTH_BIN/../link-flags" 2>/dev/null)
case $flags in
    *-static-libstdc++*)
        for p in qmail-dkimsign dkimverify dkimkeygen; do
            l=$(libs "$p")
            case " $l" in
                *" libstdc++"*|*" libgcc_s"*) not_ok "$p: libstdc++ and libgcc linked in" "ldd: $l" ;;
                *" libcrypto"*" libsodium"*) ok "$p: libstdc++ and libgcc linked in; libcrypto, libsodium shared" ;;
                *) not_ok "$p: libstdc++ and libgcc linked in; libcrypto, libsodium shared" "ldd: $l" ;;
            esac
        done ;;
    *) skip "libstdc++ linked in" "this build is not LINK=static-cxx: ${flags:-no $QAUTH_BIN/../link-flags}" ;;
esac
