# srsfilter --rewrite and --reverse as a script or an admin runs them: the
# output, the exit status and the stderr line of each failure class
# (refusals 100 with an SMTP-ready reason; configuration, usage and I/O
# trouble 111 naming the file or starting "usage:"), bad input (CR, LF,
# over-long addresses), the control files, --now and QAUTH_NOW.
. "$(dirname "$0")/../lib.sh"
export TZ=UTC
unset QMAIL_CONTROL QAUTH_NOW
C=$T/control; mkdir -p "$C"
echo srs.example >"$C/srs_domain"
printf 'S\n' >"$C/srs_secrets"; chmod 600 "$C/srs_secrets"
printf 'ours.example\n.sub.example\n' >"$C/rcpthosts"
echo localhost >"$C/locals"
NOW=1796212800  # 2026-12-02 12:00:00 UTC, stamp JV
DAY=86400
sf() { srsfilter --control-dir "$C" --now "$NOW" "$@"; }
at() { local t=$1; shift; srsfilter --control-dir "$C" --now "$t" "$@"; }
# run NAME STATUS ARGS...: srsfilter ARGS into $T/out, $T/err; checks the status
run() {
    local name=$1 want=$2; shift 2
    "$@" >"$T/out" 2>"$T/err"; local got=$?
    if [ "$got" = "$want" ]; then ok "$name: exit $want"
    else not_ok "$name: exit $want" "exit $got" "$(head -c 300 "$T/err")"; fi
}
out() { cat "$T/out"; }
err() { head -n1 "$T/err"; }

# == rewriting and reversing through the control files
run "rewrite" 0 sf --rewrite user@example.com
expect_eq "rewrite: the SRS0 address (Mail::SRS's)" SRS0=mkis=JV=example.com=user@srs.example "$(out)"
expect_eq "rewrite: nothing on stderr" "" "$(cat "$T/err")"
run "reverse" 0 sf --reverse SRS0=mkis=JV=example.com=user@srs.example
expect_eq "reverse: the original sender" user@example.com "$(out)"
run "rewrite an SRS0 sender" 0 sf --rewrite SRS0=HHHH=TT=orig.example=bob@hop.example
expect_eq "rewrite an SRS0 sender: SRS1 via the hop" SRS1=XGSx=hop.example==HHHH=TT=orig.example=bob@srs.example "$(out)"
run "reverse SRS1" 0 sf --reverse SRS1=XGSx=hop.example==HHHH=TT=orig.example=bob@srs.example
expect_eq "reverse SRS1: the hop's SRS0 address" SRS0=HHHH=TT=orig.example=bob@hop.example "$(out)"
run "quoted local part" 0 sf --rewrite '"john doe"@example.com'
q=$(out)
expect_match "quoted local part: the SRS local part is quoted" '^"SRS0=[^"]*=example.com=john doe"@srs.example$' "$q"
run "quoted local part, reversed" 0 sf --reverse "$q"
expect_eq "quoted local part, reversed: as given" '"john doe"@example.com' "$(out)"

# == not rewritten: printed as given, exit 0
for s in "" "<>" "#@[]" a@ours.example a@OURS.EXAMPLE a@x.sub.example a@localhost a@srs.example; do
    run "not rewritten: '$s'" 0 sf --rewrite "$s"
    expect_eq "not rewritten: '$s' printed as given" "$s" "$(out)"
done
run "--local-domain" 0 sf --local-domain mine.example --rewrite a@mine.example
expect_eq "--local-domain: not rewritten" a@mine.example "$(out)"
run "--alwaysrewrite" 0 sf --alwaysrewrite --rewrite a@ours.example
expect_match "--alwaysrewrite: rewritten" '^SRS0=....=JV=ours.example=a@srs.example$' "$(out)"
echo 1 >"$C/srs_alwaysrewrite"
run "srs_alwaysrewrite 1" 0 sf --rewrite a@ours.example
expect_match "srs_alwaysrewrite 1: rewritten" '^SRS0=' "$(out)"
rm "$C/srs_alwaysrewrite"

# == control files: separator, hash length, max age, hash minimum
echo + >"$C/srs_separator"; echo 6 >"$C/srs_hashlength"
run "srs_separator + and srs_hashlength 6" 0 sf --rewrite user@example.com
expect_match "srs_separator + and srs_hashlength 6: the form" '^SRS0\+mkis..=JV=example.com=user@srs.example$' "$(out)"
six=$(out)
run "srs_hashmin defaults to srs_hashlength: 4 characters refused" 100 sf --reverse SRS0=mkis=JV=example.com=user@srs.example
echo 4 >"$C/srs_hashmin"
run "srs_hashmin 4: old 4-character hashes accepted" 0 sf --reverse SRS0=mkis=JV=example.com=user@srs.example
run "srs_hashmin 4: the new 6-character ones too" 0 sf --reverse "$six"
rm "$C/srs_separator" "$C/srs_hashlength" "$C/srs_hashmin"
echo 3 >"$C/srs_maxage"
run "srs_maxage 3: day 3" 0 at $((NOW + 3 * DAY)) --reverse SRS0=mkis=JV=example.com=user@srs.example
run "srs_maxage 3: day 4" 100 at $((NOW + 4 * DAY)) --reverse SRS0=mkis=JV=example.com=user@srs.example
expect_eq "srs_maxage 3: day 4: reason" "5.1.1 SRS: timestamp expired: minted 4 days ago (srs_maxage is 3)" "$(err)"
rm "$C/srs_maxage"
printf 'NEW\nS\n' >"$C/srs_secrets"
run "rotation: an address of the old secret" 0 sf --reverse SRS0=mkis=JV=example.com=user@srs.example
run "rotation: the new secret signs" 0 sf --rewrite user@example.com
expect_eq "rotation: a new hash" no "$( [ "$(out)" = SRS0=mkis=JV=example.com=user@srs.example ] && echo yes || echo no)"
printf 'S\n' >"$C/srs_secrets"

# == refusals: exit 100, the reason first on stderr
refusal() {  # refusal NAME REASON [--now T] ARGS...
    local name=$1 reason=$2 t=$NOW; shift 2
    if [ "$1" = --now ]; then t=$2; shift 2; fi
    run "$name" 100 at "$t" "$@"
    expect_eq "$name: reason" "$reason" "$(err)"
    expect_eq "$name: nothing on stdout" "" "$(out)"
}
refusal "invalid hash" "5.1.1 SRS: invalid hash" --reverse SRS0=mkiX=JV=example.com=user@srs.example
refusal "expired" "5.1.1 SRS: timestamp expired: minted 22 days ago (srs_maxage is 21)" \
    --now $((NOW + 22 * DAY)) --reverse SRS0=mkis=JV=example.com=user@srs.example
refusal "future" "5.1.1 SRS: timestamp is 2 days in the future" \
    --now $((NOW - 2 * DAY)) --reverse SRS0=mkis=JV=example.com=user@srs.example
refusal "not SRS" "5.1.1 SRS: not an SRS address" --reverse user@srs.example
refusal "not our SRS domain" "5.1.1 SRS: not an address of our SRS domain srs.example" \
    --reverse SRS0=mkis=JV=example.com=user@other.example
refusal "malformed SRS0" "5.1.1 SRS: malformed SRS0 address" --reverse SRS0=mkis=JV@srs.example
# a correct hash over a stamp that is not base32 (the hash is checked first)
h=$(printf 'j1x.exampleu' | openssl dgst -sha1 -hmac S -binary | base64 | cut -c1-4)
refusal "malformed timestamp" "5.1.1 SRS: malformed timestamp (two base32 characters expected)" \
    --reverse "SRS0=$h=J1=x.example=u@srs.example"
refusal "reverse: no @" "5.1.1 SRS: no '@' in the address" --reverse SRS0=mkis=JV=example.com=user
refusal "rewrite: no @" "5.1.7 SRS: no '@' in the address" --rewrite user
refusal "rewrite: malformed SRS1" "5.1.7 SRS: malformed SRS1 sender" --rewrite SRS1=XXXX@hop.example
refusal "rewrite: CR" "5.1.7 SRS: address contains a control character" --rewrite "$(printf 'a\rb@example.com')"
refusal "rewrite: LF" "5.1.7 SRS: address contains a control character" --rewrite "$(printf 'a\nb@example.com')"
refusal "reverse: CR" "5.1.1 SRS: address contains a control character" --reverse "$(printf 'SRS0=mkis=JV=example.com=user@srs.example\r')"
refusal "rewrite: '=' in the domain" "5.1.7 SRS: malformed domain" --rewrite a@b=c.example
# reversed addresses must be valid: the hash of each is valid for its
# fields (the unit test computes ZRM6 with srs/hash; Mail::SRS's hash_create the others)
refusal "reverse: space in the original domain" \
    "5.1.1 SRS: the original domain is not a domain name or address literal: ex ample.com" \
    --reverse 'SRS0=ZRM6=JV=ex ample.com=user@srs.example'
if perl -MMail::SRS -e 1 2>/dev/null; then
    srs_hash() { perl -MMail::SRS -e 'print Mail::SRS->new(Secret=>["S"])->hash_create(@ARGV)' "$@"; }
    refusal "reverse: unterminated address literal" \
        "5.1.1 SRS: the original domain is not a domain name or address literal: [1.2.3.4" \
        --reverse "SRS0=$(srs_hash JV '[1.2.3.4' user)=JV=[1.2.3.4=user@srs.example"
    run "reverse: '@' in the local part" 0 sf --reverse "SRS0=$(srs_hash JV example.com a@b)=JV=example.com=a@b@srs.example"
    expect_eq "reverse: '@' in the local part: quoted" '"a@b"@example.com' "$(out)"
    refusal "reverse: space in the SRS1 hop host" \
        "5.1.1 SRS: the SRS1 hop host is not a domain name or address literal: hop example" \
        --reverse "SRS1=$(srs_hash 'hop example' =HHHH=TT=orig.example=bob)=hop example==HHHH=TT=orig.example=bob@srs.example"
else
    printf '# Mail::SRS missing: its reversal cases skipped\n'
fi
for s in user@.example.com user@a..b user@- 'user@[1.2.3.4'; do
    refusal "rewrite: domain of '$s'" "5.1.7 SRS: malformed domain" --rewrite "$s"
done
long=$(printf 'l%.0s' $(seq 300))
refusal "rewrite: 310 octets" "5.1.7 SRS: address of 310 octets, over RFC 5321 4.5.3.1.3's 256-octet path limit" --rewrite "$long@x.example"
l230=$(printf 'l%.0s' $(seq 230))
run "rewrite: 240 octets in, over 254 out" 100 sf --rewrite "$l230@x.example"
expect_match "rewrite: 240 octets in, over 254 out: reason" "^5.1.7 SRS: the rewritten address would be [0-9]+ octets" "$(err)"
huge=$(head -c 100000 /dev/zero | tr '\0' a)
refusal "reverse: 100000 octets" "5.1.1 SRS: address of 100010 octets, over RFC 5321 4.5.3.1.3's 256-octet path limit" --reverse "$huge@x.example"
# NUL cannot reach argv; the unit tests give parse_address one.

# == configuration trouble: exit 111 naming the file
D2=$T/c2; mkdir -p "$D2"
run "no srs_domain: rewrite passes the sender through" 0 srsfilter --control-dir "$D2" --rewrite user@example.com
expect_eq "no srs_domain: rewrite passes the sender through: unchanged" user@example.com "$(out)"
run "no srs_domain: reverse" 111 srsfilter --control-dir "$D2" --reverse SRS0=mkis=JV=example.com=user@srs.example
expect_eq "no srs_domain: reverse: reason" "srsfilter: fatal: $D2/srs_domain is missing or empty: SRS is off, so no address can be reversed" "$(err)"
: >"$D2/srs_domain"
run "empty srs_domain: rewrite" 0 srsfilter --control-dir "$D2" --rewrite user@example.com
echo srs.example >"$D2/srs_domain"
run "missing srs_secrets" 111 srsfilter --control-dir "$D2" --rewrite user@example.com
expect_eq "missing srs_secrets: reason" "srsfilter: fatal: $D2/srs_secrets: missing: SRS needs a secret (srs_domain is set)" "$(err)"
printf '# none yet\n\n' >"$D2/srs_secrets"; chmod 600 "$D2/srs_secrets"
run "empty srs_secrets" 111 srsfilter --control-dir "$D2" --reverse SRS0=mkis=JV=example.com=user@srs.example
expect_eq "empty srs_secrets: reason" "srsfilter: fatal: $D2/srs_secrets: holds no secret (SRS needs one: srs_domain is set)" "$(err)"
echo S >"$D2/srs_secrets"; chmod 644 "$D2/srs_secrets"
run "world-readable srs_secrets: used" 0 srsfilter --control-dir "$D2" --now "$NOW" --rewrite user@example.com
expect_eq "world-readable srs_secrets: the address" SRS0=mkis=JV=example.com=user@srs.example "$(out)"
expect_eq "world-readable srs_secrets: a warning" "srsfilter: warning: $D2/srs_secrets is readable by every user: chmod o-r it (mode 0600 or 0640)" "$(err)"
chmod 600 "$D2/srs_secrets"
mv "$D2/srs_secrets" "$T/secrets.saved"; mkdir "$D2/srs_secrets"
run "srs_secrets a directory" 111 srsfilter --control-dir "$D2" --rewrite user@example.com
expect_match "srs_secrets a directory: names the file" "^srsfilter: fatal: $D2/srs_secrets: " "$(err)"
rmdir "$D2/srs_secrets"; mv "$T/secrets.saved" "$D2/srs_secrets"
if [ "$(id -u)" != 0 ]; then
    chmod 000 "$D2/srs_secrets"
    run "unreadable srs_secrets" 111 srsfilter --control-dir "$D2" --rewrite user@example.com
    chmod 600 "$D2/srs_secrets"
fi
for bad in "srs_maxage 0 --reverse" "srs_maxage 1024 --reverse" "srs_hashlength 28 --rewrite" "srs_hashmin x --reverse" \
    "srs_separator == --rewrite" "srs_alwaysrewrite 2 --rewrite"; do
    set -- $bad
    echo "$2" >"$D2/$1"
    run "$1 $2" 111 srsfilter --control-dir "$D2" "$3" SRS0=mkis=JV=example.com=user@srs.example
    expect_match "$1 $2: names the file" "^srsfilter: fatal: $D2/$1: " "$(err)"
    rm "$D2/$1"
done
run "missing control directory" 111 srsfilter --control-dir "$T/nonexistent" --rewrite user@example.com
expect_eq "missing control directory: reason" "srsfilter: fatal: $T/nonexistent: control directory: No such file or directory" "$(err)"
QMAIL_CONTROL=$D2 run "\$QMAIL_CONTROL" 0 srsfilter --now "$NOW" --rewrite user@example.com
expect_eq "\$QMAIL_CONTROL: used" SRS0=mkis=JV=example.com=user@srs.example "$(out)"
run "--srs-domain and --secret: no control directory needed" 0 \
    env QMAIL_CONTROL="$T/nonexistent" srsfilter --srs-domain srs.example --secret S --now "$NOW" --rewrite user@example.com
expect_eq "--srs-domain and --secret: the address" SRS0=mkis=JV=example.com=user@srs.example "$(out)"
run "--srs-domain '' is SRS off" 0 srsfilter --control-dir "$C" --srs-domain "" --rewrite user@example.com
expect_eq "--srs-domain '': unchanged" user@example.com "$(out)"
run "--srs-domain with '='" 111 srsfilter --srs-domain a=b --secret S --rewrite user@example.com
expect_match "--srs-domain with '=': reason" "^srsfilter: fatal: --srs-domain: not a domain name: a=b \\(" "$(err)"
run "--srs-domain upper-case, trailing dot" 0 sf --srs-domain SRS.Example. --secret S --rewrite user@example.com
expect_eq "--srs-domain upper-case, trailing dot: normalised" SRS0=mkis=JV=example.com=user@srs.example "$(out)"
for bad in "bad dom" "a..example" "-a.example" "a.example.."; do
    run "--srs-domain '$bad'" 111 srsfilter --srs-domain "$bad" --secret S --rewrite user@example.com
    expect_match "--srs-domain '$bad': reason" "^srsfilter: fatal: --srs-domain: not a domain name: " "$(err)"
done
D3=$T/c3; mkdir -p "$D3"
echo SRS.Example. >"$D3/srs_domain"; echo S >"$D3/srs_secrets"; chmod 600 "$D3/srs_secrets"
printf 'Mixed.EXAMPLE\n.Sub.Example\n' >"$D3/rcpthosts"; echo LocalHost >"$D3/locals"
run "srs_domain upper-case, trailing dot" 0 srsfilter --control-dir "$D3" --now "$NOW" --rewrite user@example.com
expect_eq "srs_domain upper-case, trailing dot: normalised" SRS0=mkis=JV=example.com=user@srs.example "$(out)"
run "srs_domain upper-case: reverse" 0 srsfilter --control-dir "$D3" --now "$NOW" --reverse SRS0=mkis=JV=example.com=user@srs.example
expect_eq "srs_domain upper-case: reverse: the original" user@example.com "$(out)"
for s in a@mixed.example a@x.sub.example a@LOCALHOST; do
    run "upper-case rcpthosts/locals: '$s'" 0 srsfilter --control-dir "$D3" --now "$NOW" --rewrite "$s"
    expect_eq "upper-case rcpthosts/locals: '$s' not rewritten" "$s" "$(out)"
done
echo 'srs example' >"$D3/srs_domain"
run "srs_domain with a space" 111 srsfilter --control-dir "$D3" --rewrite user@example.com
expect_match "srs_domain with a space: names the file" "^srsfilter: fatal: $D3/srs_domain: not a domain name: srs example " "$(err)"

# == the clock: --now, QAUTH_NOW
QAUTH_NOW=$((NOW + 22 * DAY)) run "QAUTH_NOW" 100 srsfilter --control-dir "$C" --reverse SRS0=mkis=JV=example.com=user@srs.example
QAUTH_NOW=$((NOW + 22 * DAY)) run "--now wins over QAUTH_NOW" 0 sf --reverse SRS0=mkis=JV=example.com=user@srs.example
QAUTH_NOW=soon run "QAUTH_NOW not a number" 111 srsfilter --control-dir "$C" --rewrite user@example.com
expect_eq "QAUTH_NOW not a number: reason" "usage: srsfilter: QAUTH_NOW=soon: not a time in Unix seconds (see --help)" "$(err)"

# == usage and I/O
run "no mode" 111 srsfilter --control-dir "$C"
expect_match "no mode: usage line" '^usage: srsfilter: ' "$(err)"
run "both modes" 111 sf --rewrite a@b.example --reverse c@d.example
expect_match "both modes: usage line" '^usage: srsfilter: ' "$(err)"
for o in "--separator x" "--hashlength 0" "--hashlength 28" "--maxage 0" "--hashmin 30" "--now -1" "--secret ''" "--bogus" \
    "--local-domain 'bad dom'" "--local-domain a..example" "--local-domain -x.example" "--now abc"; do
    eval "run \"usage: $o\" 111 sf $o --rewrite a@b.example"
    expect_match "usage: $o: usage line" '^usage: srsfilter: ' "$(err)"
done
# (the .qmail modes' options did nothing in --rewrite and --reverse, silently)
for o in "--home /var/qmail" "--stop" "--sender a@b.example"; do
    eval "run \"--rewrite with $o\" 111 sf $o --rewrite a@b.example"
    expect_eq "--rewrite with $o: names it" "usage: srsfilter: ${o%% *} is for the .qmail modes (forward, reverse) (see --help)" "$(err)"
done
run "--reverse with --stop" 111 sf --stop --reverse SRS0=mkis=JV=example.com=user@srs.example
run "--now abc" 111 sf --now abc --rewrite a@b.example
expect_match "--now abc: not a number" '^usage: srsfilter: --now: not a number: abc ' "$(err)"
run "--local-domain 'bad dom'" 111 sf --local-domain 'bad dom' --rewrite a@b.example
expect_match "--local-domain 'bad dom': names it" "^usage: srsfilter: --local-domain: not a domain name: bad dom " "$(err)"
run "--local-domain .Sub.Example" 0 sf --local-domain .Mine.Example --rewrite a@x.mine.example
expect_eq "--local-domain .Mine.Example: not rewritten" a@x.mine.example "$(out)"
run "--help" 0 srsfilter --help
expect_match "--help: names the modes" '--rewrite' "$(out)"
srsfilter --control-dir "$C" --rewrite user@example.com >/dev/full 2>"$T/err"
expect_eq "stdout on a full disk: exit 111" 111 $?
expect_match "stdout on a full disk: reason" '^srsfilter: fatal: standard output' "$(err)"
srsfilter --control-dir "$C" --rewrite user@example.com >&- 2>"$T/err"
expect_eq "stdout closed: exit 111" 111 $?
srsfilter --control-dir "$C" --rewrite user@example.com <&- >/dev/null 2>"$T/err"
expect_eq "stdin closed: exit 111 (as every qauth program)" 111 $?
