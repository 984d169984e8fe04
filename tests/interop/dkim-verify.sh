# The peers sign, qauth verifies: dkimpy (dkimsign command and library API,
# RSA and Ed25519 keys made by dknewkey), OpenDKIM (opendkim-testmsg with a key from
# opendkim-genkey) and Mail::DKIM (dkimproxy-sign) sign the test messages in
# every canonicalization they offer; dkimverify, reading the key records
# from a zone file written from the peers' own record output, must report
# dkim=pass for each and leave the message intact below its
# Authentication-Results field; dkim=fail after one header or body byte
# changes; and what each canonicalization tolerates (whitespace, refolding,
# header-name case, trailing blank lines, added header fields) must come out
# as RFC 6376 says.
#
# Peer facts this relies on:
# - opendkim-testmsg always signs rsa-sha1, relaxed/simple (no option to
#   change it), so its signatures pass only with --allow-sha1, and it wants
#   CRLF input with -C. Debian's opendkim-genkey writes h=sha256 into the
#   record by default, which forbids that very rsa-sha1 signature: its key is
#   made with -h sha1:sha256 here, and the default one is tested apart.
# - dkimproxy-sign prints only the signature field, folded with CRLF and
#   ended by a bare LF, and without t= (its --timestamp is passed as the
#   expiration); the field is prepended here with the message's line ends.
# - dkimsign (dkimpy) writes the message unsigned and exits 0 when it fails
#   (the dkim=pass checks catch that). It is run twice; the full matrix goes
#   through dkimpy-sign.py, which signs as dkimsign does, in one process.
. "$(dirname "$0")/../lib.sh"
: "${T:?lib.sh did not load}"
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/messages.bash"
DOM=example.com
CANONS="simple/simple simple/relaxed relaxed/simple relaxed/relaxed"
K=$T/keys
mkdir -p "$K" "$T/msg" "$T/s" "$T/ctl"
make_messages "$T/msg" "$DOM"

# --- the peers' keys and records ---------------------------------------------
(
    umask 077
    cd "$K" &&
        dknewkey --ktype rsa py &&
        dknewkey --ktype ed25519 pyed &&
        opendkim-genkey -b 2048 -h sha1:sha256 -d "$DOM" -s od -D "$K" &&
        opendkim-genkey -b 2048 -d "$DOM" -s odd -D "$K" &&
        openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out md.pem
) >"$T/keygen.log" 2>&1
expect_eq "peer keys made" "ok" "$([ -s "$K/py.key" ] && [ -s "$K/pyed.key" ] && [ -s "$K/od.private" ] &&
    [ -s "$K/odd.private" ] && [ -s "$K/md.pem" ] && echo ok || tail -n3 "$T/keygen.log")"
# dknewkey's .dns files hold the record text; opendkim-genkey's .txt files
# are zone-file lines with a relative owner name, used as they are.
zone=$T/keys.zone
{
    zone_txt "py._domainkey.$DOM" "$(cat "$K/py.dns")"
    zone_txt "pyed._domainkey.$DOM" "$(cat "$K/pyed.dns")"
    zone_txt "md._domainkey.$DOM" "v=DKIM1; k=rsa; p=$(rsa_p "$K/md.pem")"
    printf '$ORIGIN %s.\n' "$DOM"
    cat "$K/od.txt" "$K/odd.txt"
} >"$zone"

# check NAME WANT FILE [OPTION...]: dkimverify exits 0, its first A-R field
# has the dkim= words WANT, and below that field the message is unchanged.
check() {
    local name=$1 want=$2 f=$3 rc n intact
    shift 3
    "$QAUTH_BIN/dkimverify" --control-dir "$T/ctl" --authserv-id test.example --dns-zone "$zone" "$@" \
        <"$f" >"$T/out" 2>"$T/err"
    rc=$?
    n=$(field_len "$T/out")
    intact=
    head -c 23 "$T/out" | grep -q '^Authentication-Results:' || intact=" (no A-R field on top)"
    tail -c +"$((n + 1))" "$T/out" | cmp -s - "$f" || intact="$intact (message changed)"
    expect_eq "$name" "rc=0 $want" "rc=$rc $(dkim_results "$T/out")$intact"
    [ "$rc" = 0 ] || sed 's/^/#   /' "$T/err" | head -n3
}

# alter SRC DST SED-EXPR: DST is SRC with one byte changed.
alter() {
    sed "$3" "$1" >"$2"
    expect_eq "altered copy $(basename "$2") differs in one byte" 1 "$(cmp -l "$1" "$2" 2>/dev/null | wc -l)"
}

# --- dkimpy: the dkimsign command, and its library API for the full matrix ------
/usr/bin/dkimsign py "$DOM" "$K/py.key" --hcanon relaxed --bcanon relaxed \
    <"$T/msg/tricky.eml" >"$T/s/cli.py.eml" 2>"$T/err"
check "dkimsign CLI rsa-sha256 relaxed/relaxed, LF message: pass" pass "$T/s/cli.py.eml"
/usr/bin/dkimsign pyed "$DOM" "$K/pyed.key" --signalg ed25519-sha256 --hcanon simple --bcanon simple \
    <"$T/msg/crlf.eml" >"$T/s/cli.pyed.eml" 2>"$T/err"
check "dkimsign CLI ed25519-sha256 simple/simple, CRLF message: pass" pass "$T/s/cli.pyed.eml"
: >"$T/jobs"
for m in $MSGS; do
    for c in $CANONS; do
        printf '%s %s py %s %s %s %s rsa-sha256\n' "$T/msg/$m.eml" "$T/s/py.$m.${c/\//-}.eml" \
            "$DOM" "$K/py.key" "${c%/*}" "${c#*/}" >>"$T/jobs"
        printf '%s %s pyed %s %s %s %s ed25519-sha256\n' "$T/msg/$m.eml" "$T/s/pyed.$m.${c/\//-}.eml" \
            "$DOM" "$K/pyed.key" "${c%/*}" "${c#*/}" >>"$T/jobs"
    done
done
/usr/bin/python3 "$HERE/dkimpy-sign.py" <"$T/jobs" 2>"$T/err"
rc=$?
expect_eq "dkimpy signed $(wc -l <"$T/jobs") messages" "0 " "$rc $(head -c 300 "$T/err")"
while read -r in out rest; do
    check "dkimpy $(basename "$out" .eml) ($(tag "$out" a) c=$(tag "$out" c)) passes" pass "$out"
done <"$T/jobs"

# --- OpenDKIM: opendkim-testmsg -C -d -s -k on the CRLF wire form ---------------
for m in $MSGS; do
    wire "$T/msg/$m.eml" "$T/w.$m"
    opendkim-testmsg -C -d "$DOM" -s od -k "$K/od.private" <"$T/w.$m" >"$T/s/od.$m.crlf.eml" 2>"$T/err"
    tr -d '\r' <"$T/s/od.$m.crlf.eml" >"$T/s/od.$m.lf.eml"  # as qmail stores it after receipt
    for f in crlf lf; do
        check "opendkim $m $f ($(tag "$T/s/od.$m.$f.eml" a) c=$(tag "$T/s/od.$m.$f.eml" c)) passes with --allow-sha1" \
            pass "$T/s/od.$m.$f.eml" --allow-sha1
    done
done
check "opendkim tricky lf: rsa-sha1 is permerror without --allow-sha1 (RFC 8301)" permerror "$T/s/od.tricky.lf.eml"
expect_match "opendkim tricky lf: the reason names RFC 8301" 'reason="RFC 8301' "$(first_ar "$T/out")"
opendkim-testmsg -C -d "$DOM" -s odd -k "$K/odd.private" <"$T/w.tricky" 2>"$T/err" | tr -d '\r' >"$T/s/odd.tricky.eml"
check "opendkim rsa-sha1 under Debian's default h=sha256 record: permerror even with --allow-sha1" \
    permerror "$T/s/odd.tricky.eml" --allow-sha1
expect_match "opendkim h=sha256 record: the reason names the key's h=" 'reason="[^"]*h=' "$(first_ar "$T/out")"

# --- Mail::DKIM: dkimproxy-sign --method, field prepended ---------------------
mdsign() {  # mdsign IN OUT METHOD [OPTION...]
    local in=$1 out=$2 method=$3
    shift 3
    dkimproxy-sign --method "$method" --selector md --domain "$DOM" --key "$K/md.pem" "$@" <"$in" >"$T/sig" 2>"$T/err"
    if grep -q $'\r$' "$in"; then perl -pe 's/\r?\n/\r\n/' "$T/sig"; else tr -d '\r' <"$T/sig"; fi >"$out"
    cat "$in" >>"$out"
}
for m in $MSGS; do
    for c in $CANONS; do
        mdsign "$T/msg/$m.eml" "$T/s/md.$m.${c/\//-}.eml" "$c"
        check "Mail::DKIM md.$m.${c/\//-} (c=$(tag "$T/s/md.$m.${c/\//-}.eml" c)) passes" pass "$T/s/md.$m.${c/\//-}.eml"
    done
done
# the short forms: c=relaxed and c=simple mean a simple body
for c in relaxed simple; do
    mdsign "$T/msg/tricky.eml" "$T/s/md.tricky.$c.eml" "$c"
    check "Mail::DKIM md.tricky.$c (c=$(tag "$T/s/md.tricky.$c.eml" c)) passes" pass "$T/s/md.tricky.$c.eml"
done
mdsign "$T/msg/tricky.eml" "$T/s/md.tricky.ident.eml" relaxed/relaxed --identity "alice@$DOM"
check "Mail::DKIM with i=alice@$DOM passes" pass "$T/s/md.tricky.ident.eml"
expect_match "Mail::DKIM with i=: A-R carries header.i" "header.i=alice@$DOM" "$(first_ar "$T/out")"

# --- one header byte, one body byte changed: fail --------------------------------
for f in py.tricky.simple-simple py.tricky.relaxed-relaxed pyed.tricky.relaxed-relaxed pyed.crlf.simple-simple \
    od.tricky.lf od.crlf.crlf md.tricky.relaxed-relaxed md.crlf.simple-simple; do
    alter "$T/s/$f.eml" "$T/s/$f.hdr.eml" 's/^Subject: interop/Subject: jnterop/'
    check "altered header: $f fails" fail "$T/s/$f.hdr.eml" --allow-sha1
    case $f in
        *.tricky.*) alter "$T/s/$f.eml" "$T/s/$f.body.eml" 's/^Hello Bob,/Hellp Bob,/' ;;
        *) alter "$T/s/$f.eml" "$T/s/$f.body.eml" 's/^00042 /00043 /' ;;
    esac
    check "altered body: $f fails" fail "$T/s/$f.body.eml" --allow-sha1
done

# --- what each canonicalization tolerates (dkimpy signatures) -----------------
ss=$T/s/py.tricky.simple-simple.eml sr=$T/s/py.tricky.simple-relaxed.eml rr=$T/s/py.tricky.relaxed-relaxed.eml
# body WSP: a run grows, trailing WSP is added
wsp='s/^runs:  two/runs:   two/; s/^Hello Bob,$/Hello Bob, \t/'
sed "$wsp" "$rr" >"$T/x"
expect_eq "body WSP edit applied" "1 1" "$(grep -c '^runs:   two' "$T/x") $(grep -c $'^Hello Bob, \t$' "$T/x")"
check "relaxed body: WSP runs and trailing WSP changed: pass" pass "$T/x"
sed "$wsp" "$ss" >"$T/x" && check "simple body: WSP runs and trailing WSP changed: fail" fail "$T/x"
# blank lines added at the end: both body canonicalizations ignore them
{ cat "$ss"; printf '\n\n\n'; } >"$T/x" && check "simple body: blank lines appended: pass" pass "$T/x"
{ cat "$rr"; printf '\n\n\n'; } >"$T/x" && check "relaxed body: blank lines appended: pass" pass "$T/x"
# header: a field name's case, the signature field refolded with tabs
hdr='1,/^$/ { s/^Subject:/SUBJECT:/; /^DKIM-Signature:/,/^[^ \t]/ s/^ /\t/ }'
sed "$hdr" "$rr" >"$T/x"
sed -n '/^DKIM-Signature:/,/^[^ \t]/p' "$T/x" >"$T/sigfield"
expect_eq "header edit applied: SUBJECT, signature lines indented by tabs only" "1 0 yes" \
    "$(grep -c '^SUBJECT:' "$T/x") $(grep -c '^ ' "$T/sigfield") $(grep -q $'^\t' "$T/sigfield" && echo yes)"
check "relaxed header: name case and refolding changed: pass" pass "$T/x"
sed "$hdr" "$sr" >"$T/x" && check "simple header: name case and refolding changed: fail" fail "$T/x"
# header fields added on top: h= names the bottom-most instance (RFC 6376
# 5.4.2); dkimpy signs From twice, so a second From breaks the signature
{ printf 'Subject: added later\n'; cat "$rr"; } >"$T/x" && check "second Subject added on top: pass" pass "$T/x"
{ printf 'From: mallory@%s\n' "$DOM"; cat "$rr"; } >"$T/x" && check "second From added on top (oversigned): fail" fail "$T/x"
# line ends converted between LF and CRLF
wire "$rr" "$T/x" && check "dkimpy LF-signed, sent as CRLF: pass" pass "$T/x"
tr -d '\r' <"$T/s/py.crlf.relaxed-relaxed.eml" >"$T/x" && check "dkimpy CRLF-signed, stored as LF: pass" pass "$T/x"

# --- key record variants (same key, one selector each; dkimpy signatures) -------
P=$(sed -n 's/.*p=//p' "$K/py.dns")
{
    zone_txt "r-fws._domainkey.$DOM" "v=DKIM1; k=rsa; p=$(printf '%s' "$P" | sed 's/.\{64\}/& /g')"
    zone_txt "r-ponly._domainkey.$DOM" "p=$P"
    zone_txt "r-testing._domainkey.$DOM" "v=DKIM1; t=y; k=rsa; p=$P;"
    zone_txt "r-tags._domainkey.$DOM" "v=DKIM1; k=rsa; h=sha1:sha256; s=email; n=made by hand; p=$P"
    zone_txt "r-tight._domainkey.$DOM" "v=DKIM1;k=rsa;p=$P"
    zone_txt "r-loose._domainkey.$DOM" "v=DKIM1 ; k = rsa ; p = $P"
    zone_txt "r-revoked._domainkey.$DOM" "v=DKIM1; k=rsa; p="
    zone_txt "r-length._domainkey.$DOM" "v=DKIM1; k=rsa; p=$P"
} >>"$zone"
: >"$T/jobs"
for r in fws ponly testing tags tight loose revoked; do
    printf '%s %s r-%s %s %s relaxed relaxed rsa-sha256\n' "$T/msg/tricky.eml" "$T/s/r-$r.eml" "$r" "$DOM" "$K/py.key" >>"$T/jobs"
done
printf '%s %s r-length %s %s relaxed simple rsa-sha256 l\n' "$T/msg/tricky.eml" "$T/s/r-length.eml" "$DOM" "$K/py.key" >>"$T/jobs"
/usr/bin/python3 "$HERE/dkimpy-sign.py" <"$T/jobs" 2>"$T/err"
rc=$?
expect_eq "dkimpy signed the record-variant messages" "0 " "$rc $(head -c 300 "$T/err")"
check "key record with FWS inside p=: pass" pass "$T/s/r-fws.eml"
check "key record of p= alone (v= and k= default): pass" pass "$T/s/r-ponly.eml"
check "key record in testing mode (t=y), trailing ';': pass" pass "$T/s/r-testing.eml"
check "key record with h=sha1:sha256, s=email, n= notes: pass" pass "$T/s/r-tags.eml"
check "key record without spaces: pass" pass "$T/s/r-tight.eml"
check "key record with spaces around '=' and ';': pass" pass "$T/s/r-loose.eml"
check "revoked key (empty p=): permerror" permerror "$T/s/r-revoked.eml"
expect_eq "dkimpy l= signature: l= is the canonical body length" "$(canon_len simple "$T/msg/tricky.eml")" \
    "$(tag "$T/s/r-length.eml" l)"
check "dkimpy l= signature: pass" pass "$T/s/r-length.eml"
{ cat "$T/s/r-length.eml"; printf 'text appended after signing\n'; } >"$T/x"
check "dkimpy l= signature, text appended past l=: pass" pass "$T/x"

# --- two signatures, Mail::DKIM simple/simple on top of dkimpy relaxed/relaxed --
mdsign "$rr" "$T/s/layered.eml" simple/simple
check "layered: both signatures pass, in order" "pass pass" "$T/s/layered.eml"
sed "$wsp" "$T/s/layered.eml" >"$T/x"
check "layered, body WSP changed: simple fails, relaxed passes" "fail pass" "$T/x"
expect_match "layered: A-R names the selectors in signature order" 'header.s=md .*header.s=py' "$(first_ar "$T/out")"
