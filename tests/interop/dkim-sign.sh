# qauth signs, the peers verify: qmail-dkimsign signs test messages (LF as
# qmail stores them, and one CRLF) with RSA 2048 and Ed25519 keys from a
# control directory, in all four canonicalizations; dkimpy (library API),
# Mail::DKIM (library API, RSA only: Debian 12's version has no Ed25519) and
# OpenDKIM (opendkim-testmsg, through a private DNS on loopback) must each
# pass every signature, and fail it after one header byte or one body byte
# is changed. A domain with two selectors gets two signatures that both pass.
#
# How each peer reads the message: dkimpy takes LF or CRLF files as they are
# (it splits lines on \r?\n); the Mail::DKIM helper feeds CRLF lines, as
# dkimproxy-verify does; opendkim-testmsg gets the wire form (every LF made
# CRLF, as qmail-remote sends it).
. "$(dirname "$0")/../lib.sh"
: "${T:?lib.sh did not load}"
. "$TOP/tests/lib-dns.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/messages.bash"
PY=/usr/bin/python3
DOM=example.org
CANONS="simple/simple simple/relaxed relaxed/simple relaxed/relaxed"

# --- keys in a control directory, as an admin would install them ---------
ctl=$T/control
kd=$ctl/domainkeys/$DOM
mkdir -p "$kd" "$T/msg" "$T/signed" "$T/wire"
(
    umask 077
    openssl genrsa -traditional -out "$kd/rsa" 2048 &&          # PKCS#1 PEM
        openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$kd/rsa8" &&  # PKCS#8 PEM
        openssl genpkey -algorithm ed25519 -out "$kd/ed"
) 2>"$T/keygen.err"
expect_eq "keys generated, mode 0600" "600 600 600" "$(stat -c %a "$kd/rsa" "$kd/rsa8" "$kd/ed" 2>&1 | tr '\n' ' ' | sed 's/ $//')"
printf 'rsa8\ned\n' >"$kd/selector"

# The key records (zone_txt splits strings longer than 255 bytes).
zone=$T/keys.zone
{
    zone_txt "rsa._domainkey.$DOM" "v=DKIM1; k=rsa; p=$(rsa_p "$kd/rsa")"
    zone_txt "rsa8._domainkey.$DOM" "v=DKIM1; k=rsa; p=$(rsa_p "$kd/rsa8")"
    zone_txt "ed._domainkey.$DOM" "v=DKIM1; k=ed25519; p=$(ed_p "$kd/ed")"
} >"$zone"

make_messages "$T/msg" "$DOM"

# --- sign: 6 messages x {rsa, ed25519} x 4 canonicalizations --------------
signed_rsa=() signed_all=()
for m in $MSGS; do
    for sel in rsa ed; do
        for c in $CANONS; do
            out=$T/signed/$m.$sel.${c/\//-}.eml
            "$QAUTH_BIN/qmail-dkimsign" --control-dir "$ctl" --selector "$sel" --canon "$c" \
                <"$T/msg/$m.eml" >"$out" 2>"$T/sign.err"
            rc=$?
            n=$(field_len "$out")
            [ "$sel" = rsa ] && a=rsa-sha256 || a=ed25519-sha256
            lineends=ok
            if [ "$m" = crlf ]; then
                head -c "$n" "$out" | grep -qv $'\r$' && lineends="LF line in a CRLF message's field"
            else
                head -c "$n" "$out" | grep -q $'\r' && lineends="CR in an LF message's field"
            fi
            # DESIGN 2: our fields are folded at 78 columns
            long=$(head -c "$n" "$out" | tr -d '\r' | awk 'length($0) > 78 { n++ } END { print n + 0 }')
            got="rc=$rc $(head -c 15 "$out") c=$(tag "$out" c) a=$(tag "$out" a) s=$(tag "$out" s) d=$(tag "$out" d) $lineends long=$long"
            tail -c +"$((n + 1))" "$out" | cmp -s - "$T/msg/$m.eml" && got="$got same" || got="$got changed"
            expect_eq "qmail-dkimsign $m $sel $c: one signature on top, lines <= 78, message unchanged below" \
                "rc=0 DKIM-Signature: c=$c a=$a s=$sel d=$DOM ok long=0 same" "$got"
            signed_all+=("$out")
            [ "$sel" = rsa ] && signed_rsa+=("$out")
        done
    done
done

# --- the altered copies: one header byte, one body byte --------------------
tampered=() tampered_rsa=()
alter() {  # alter SIGNED KIND SED-EXPR
    local out=${1%.eml}.$2.eml
    sed "$3" "$1" >"$out"
    local nd
    nd=$(cmp -l "$1" "$out" 2>/dev/null | wc -l)
    expect_eq "altered copy $(basename "$out") differs in one byte" 1 "$nd"
    tampered+=("$out")
    case $out in *.rsa.*) tampered_rsa+=("$out") ;; esac
}
for f in tricky.rsa.simple-simple tricky.rsa.relaxed-relaxed tricky.ed.relaxed-relaxed crlf.rsa.relaxed-relaxed crlf.ed.simple-simple; do
    alter "$T/signed/$f.eml" hdr 's/^Subject: interop/Subject: jnterop/'
    case $f in
        tricky.*) alter "$T/signed/$f.eml" body 's/^Hello Bob,/Hellp Bob,/' ;;
        crlf.*) alter "$T/signed/$f.eml" body 's/^00042 /00043 /' ;;
    esac
done

# --- dual signature: the selector file names rsa8 and ed --------------------
dual=$T/signed/dual.eml
"$QAUTH_BIN/qmail-dkimsign" --control-dir "$ctl" <"$T/msg/plain.eml" >"$dual" 2>"$T/sign.err"
expect_eq "dual: two DKIM-Signature fields, selector file order" "2 rsa8" \
    "$(grep -c '^DKIM-Signature:' "$dual") $(tag "$dual" s)"

# --- the optional tags: i=, x=, l= and an explicit h= list that names a
# field the message lacks (hashed as empty: it may not be added later) -----
opts=()
for sel in rsa ed; do
    [ "$sel" = rsa ] && c=relaxed/relaxed || c=simple/simple
    out=$T/signed/opt.$sel.eml
    "$QAUTH_BIN/qmail-dkimsign" --control-dir "$ctl" --selector "$sel" --canon "$c" --identity "alice@$DOM" \
        --expire 3600 --body-length --headers from:to:subject:x-8bit:reply-to \
        <"$T/msg/tricky.eml" >"$out" 2>"$T/sign.err"
    expect_eq "qmail-dkimsign options $sel: i= x= l= h= tags" \
        "i=alice@$DOM x-t=3600 l=$(canon_len "${c#*/}" "$T/msg/tricky.eml") h=from:to:subject:x-8bit:reply-to" \
        "i=$(tag "$out" i) x-t=$(($(tag "$out" x) - $(tag "$out" t))) l=$(tag "$out" l) h=$(tag "$out" h)"
    opts+=("$out")
    # l= covers the body as signed: text appended later is outside it
    cp "$out" "${out%.eml}.appended.eml"
    printf 'appended by a mailing list\n' >>"${out%.eml}.appended.eml"
    opts+=("${out%.eml}.appended.eml")
done
# h= named reply-to, absent when signing: adding one must break the signature
{ printf 'Reply-To: mallory@example.net\n'; cat "$T/signed/opt.rsa.eml"; } >"$T/signed/opt.rsa.replyto.hdr.eml"
tampered+=("$T/signed/opt.rsa.replyto.hdr.eml") tampered_rsa+=("$T/signed/opt.rsa.replyto.hdr.eml")

# --- dkimpy (library API, zone records through dnsfunc) ---------------------
$PY "$HERE/dkimpy-verify.py" "$zone" "${signed_all[@]}" "${tampered[@]}" "$dual" "${opts[@]}" >"$T/dkimpy.out" 2>"$T/dkimpy.err"
res() { awk -v f="$2" -v i="$3" '$1 == f && $2 == i { print $3 " " $4 }' "$1"; }
for f in "${signed_all[@]}"; do
    b=$(basename "$f" .eml); sel=${b#*.}; sel=${sel%%.*}
    expect_eq "dkimpy verifies $b" "$sel pass" "$(res "$T/dkimpy.out" "$f" 0)"
done
for f in "${tampered[@]}"; do
    b=$(basename "$f" .eml); sel=${b#*.}; sel=${sel%%.*}
    expect_eq "dkimpy fails altered $b" "$sel fail" "$(res "$T/dkimpy.out" "$f" 0)"
done
expect_eq "dkimpy dual: rsa8 signature passes" "rsa8 pass" "$(res "$T/dkimpy.out" "$dual" 0)"
expect_eq "dkimpy dual: ed25519 signature passes" "ed pass" "$(res "$T/dkimpy.out" "$dual" 1)"
for f in "${opts[@]}"; do
    b=$(basename "$f" .eml); sel=${b#*.}; sel=${sel%%.*}
    expect_eq "dkimpy verifies $b" "$sel pass" "$(res "$T/dkimpy.out" "$f" 0)"
done

# --- Mail::DKIM (library API, Mail::DKIM::DNS::query replaced), RSA only -----
perl "$HERE/maildkim-verify.pl" "$zone" "${signed_rsa[@]}" "${tampered_rsa[@]}" "$dual" "${opts[@]:0:2}" >"$T/maildkim.out" 2>"$T/maildkim.err"
for f in "${signed_rsa[@]}"; do
    expect_eq "Mail::DKIM verifies $(basename "$f" .eml)" "rsa pass" "$(res "$T/maildkim.out" "$f" 0)"
done
for f in "${tampered_rsa[@]}"; do
    expect_eq "Mail::DKIM fails altered $(basename "$f" .eml)" "rsa fail" "$(res "$T/maildkim.out" "$f" 0)"
done
expect_eq "Mail::DKIM dual: rsa8 signature passes" "rsa8 pass" "$(res "$T/maildkim.out" "$dual" 0)"
for f in "${opts[@]:0:2}"; do
    expect_eq "Mail::DKIM verifies $(basename "$f" .eml)" "rsa pass" "$(res "$T/maildkim.out" "$f" 0)"
done

# --- OpenDKIM, and the dkimpy/Mail::DKIM command-line tools, through DNS -----
# One private namespace for all runs: each prints "FILE STATUS".
wires=()
for f in "${signed_all[@]}" "${tampered[@]}" "${opts[@]}"; do
    w=$T/wire/$(basename "$f")
    wire "$f" "$w"
    wires+=("$w")
done
if dns_start "$zone" 2>"$T/dns.err"; then
    ok "dns harness serves the key records"
else
    not_ok "dns harness serves the key records" "$(head -c 300 "$T/dns.err")"
fi
one=$T/signed/tricky.rsa.relaxed-relaxed.eml
dns_private bash -c '
    one=$1 ed=$2 dual=$3; shift 3
    for f; do opendkim-testmsg <"$f" >/dev/null 2>"$f.err"; echo "$f $?"; done
    echo "dkimproxy-verify $(dkimproxy-verify <"$one" | grep "^verify result:" | tr "\n" " ")"
    /usr/bin/dkimverify <"$ed" >/dev/null 2>&1; echo "dkimpy-dkimverify $?"
    /usr/bin/dkimverify --index 1 <"$dual" >/dev/null 2>&1; echo "dkimpy-dkimverify-dual $?"
' _ "$one" "$T/signed/long.ed.relaxed-relaxed.eml" "$dual" "${wires[@]}" >"$T/ns.out" 2>"$T/ns.err"
for w in "${wires[@]}"; do
    b=$(basename "$w" .eml)
    case $b in
        *.hdr | *.body) want=70 what="opendkim-testmsg fails altered" ;;
        *) want=0 what="opendkim-testmsg verifies" ;;
    esac
    got=$(awk -v f="$w" '$1 == f { print $2 }' "$T/ns.out")
    if [ "$got" = "$want" ]; then ok "$what $b"; else
        not_ok "$what $b" "exit '$got', expected $want" "$(cat "$w.err" "$T/ns.err" 2>/dev/null | head -c 300)"
    fi
done
expect_eq "dkimproxy-verify (system resolver) passes tricky.rsa.relaxed-relaxed" \
    "dkimproxy-verify verify result: pass " "$(grep '^dkimproxy-verify ' "$T/ns.out")"
expect_eq "dkimpy's dkimverify CLI (system resolver) passes long.ed.relaxed-relaxed" \
    "dkimpy-dkimverify 0" "$(grep '^dkimpy-dkimverify ' "$T/ns.out")"
expect_eq "dkimpy's dkimverify --index 1 (system resolver) passes dual's ed25519 signature" \
    "dkimpy-dkimverify-dual 0" "$(grep '^dkimpy-dkimverify-dual ' "$T/ns.out")"
dns_stop
