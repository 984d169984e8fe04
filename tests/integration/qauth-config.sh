#!/usr/bin/env bash
# qauth-config as an admin runs it: show of the defaults (exact), set/unset
# with the file's bytes and mode, refused values and the panel's
# dkimverify/dmarc rule (exit 1, nothing changed), SPFBEHAVIOR as the
# source, a read-only control directory (exit 111, old file kept), the
# temp-file/fsync/rename sequence under strace, and dkim enable/disable with
# the signer and the verifier run on the result.
. "$(dirname "$0")/../lib.sh"
unset SPFBEHAVIOR QMAIL_CONTROL

C=$T/control
mkdir -p "$C"
qc() { qauth-config --control-dir "$C" "$@"; }

# ---------------------------------------------------------------- show
want='dkimsign           default                   1
dkimverify         default                   1
dmarc              default                   1
dmarcreject        default                   0
spfbehavior        default                   1
spfrules           default                   (none)
spfguess           default                   (none)
spfexp             default                   See https://www.open-spf.org/Why?s=%{S}&i=%{I}&r=%{R}
srs_domain         default                   (none)
srs_secrets        default                   (none)
srs_maxage         default                   21
srs_hashlength     default                   4
srs_hashmin        default (srs_hashlength)  4
srs_separator      default                   =
srs_alwaysrewrite  default                   0'
expect_eq "show: every default, aligned" "$want" "$(qc 2>&1)"
expect_eq "no command is show" "$(qc show 2>&1)" "$(qc 2>&1)"
expect_eq "QMAIL_CONTROL names the directory" "$want" "$(QMAIL_CONTROL=$C qauth-config show 2>&1)"
expect_eq "show NAME: one line" "spfbehavior  default  1" "$(qc show spfbehavior 2>&1)"
expect_status "show of an unknown setting: exit 1" 1 qc show bogus
expect_eq "  with the reason" "qauth-config: refused: no setting bogus (qauth-config list names them)" "$(cat "$T/err")"
expect_status "missing control directory: exit 111" 111 qauth-config --control-dir "$T/none" show
expect_match "list names every setting with its valid values" '^spfbehavior: .*; 0-6, default 1, env SPFBEHAVIOR overrides$' \
    "$(qauth-config list)"
expect_eq "list: one line per setting" 15 "$(qauth-config list | wc -l)"

# ---------------------------------------------------------------- set / unset
expect_status "set spfbehavior 3: exit 0" 0 qc set spfbehavior 3
expect_eq "  the file holds 3 and a newline" "33 0a" "$(od -An -tx1 "$C/spfbehavior" | tr -s ' ' | sed 's/^ //')"
expect_eq "  new file mode 0644" 644 "$(stat -c %a "$C/spfbehavior")"
expect_eq "  shown from the file" "spfbehavior  control/spfbehavior  3" "$(qc show spfbehavior 2>&1)"
expect_eq "  SPFBEHAVIOR is shown as the source" "spfbehavior  env SPFBEHAVIOR  5" \
    "$(SPFBEHAVIOR=5 qc show spfbehavior 2>&1)"
SPFBEHAVIOR=5 qc set spfbehavior 4 >/dev/null 2>"$T/err"
expect_eq "  set while SPFBEHAVIOR is set warns that it overrides" \
    "qauth-config: warning: SPFBEHAVIOR is set here and overrides control/spfbehavior where it is set" "$(cat "$T/err")"
chmod 640 "$C/spfbehavior"; chown 1:1 "$C/spfbehavior" 2>/dev/null
own=$(stat -c %u:%g "$C/spfbehavior")
qc set spfbehavior 6
expect_eq "  set again keeps mode 0640 and the owner" "640 $own 6" \
    "$(stat -c '%a %u:%g' "$C/spfbehavior") $(cat "$C/spfbehavior")"
expect_status "unset spfbehavior: exit 0" 0 qc unset spfbehavior
expect_eq "  the file is gone, back to the default" "no spfbehavior  default  1" \
    "$([ -e "$C/spfbehavior" ] && echo has || echo no) $(qc show spfbehavior)"
expect_status "unset of a missing file: exit 0" 0 qc unset spfbehavior
qc set srs_domain SRS.Example.NET
expect_eq "srs_domain: lower-cased" "srs.example.net" "$(cat "$C/srs_domain")"
qc set srs_separator -
expect_eq "srs_separator - is the value, not standard input" "-" "$(cat "$C/srs_separator")"
printf '# ours\na:relay.example.com\nip4:192.0.2.0/24\n' | qc set spfrules -
expect_eq "spfrules -: standard input, whole, comments kept" $'# ours\na:relay.example.com\nip4:192.0.2.0/24' \
    "$(cat "$C/spfrules")"
expect_eq "  shown joined as spfcheck reads it" "spfrules  control/spfrules  a:relay.example.com ip4:192.0.2.0/24" \
    "$(qc show spfrules)"
qc set spfguess 'v=spf1 a/24 mx/24 ?all'
expect_eq "spfguess as one argument" "v=spf1 a/24 mx/24 ?all" "$(cat "$C/spfguess")"

# srs_secrets: from standard input only, 0600, never shown
expect_status "srs_secrets as an argument: refused" 1 qc set srs_secrets hunter2
expect_eq "  nothing written" "no" "$([ -e "$C/srs_secrets" ] && echo yes || echo no)"
printf 'n3wsecret\nolds3cret\n' | qc set srs_secrets -
expect_eq "srs_secrets -: written, mode 0600" "600 n3wsecret olds3cret" \
    "$(stat -c %a "$C/srs_secrets") $(tr '\n' ' ' <"$C/srs_secrets" | sed 's/ $//')"
out=$(qc 2>&1)
expect_eq "  show counts them with the mode" "srs_secrets  control/srs_secrets  2 secrets, mode 0600" \
    "$(qc show srs_secrets 2>&1)"
expect_eq "  no secret in the output of show" "" "$(grep -E 'n3wsecret|olds3cret' <<<"$out")"
chmod 644 "$C/srs_secrets"
expect_eq "  world-readable: a warning" \
    "qauth-config: warning: $C/srs_secrets is readable by every user: chmod o-r it (mode 0600 or 0640)" \
    "$(qc show srs_secrets 2>&1 >/dev/null)"
printf 'third\n' | qc set srs_secrets -
expect_eq "  set again drops the bits for others" "640" "$(stat -c %a "$C/srs_secrets")"

# invalid values: exit 1, the old file unchanged
qc set srs_maxage 30
cp "$C/srs_maxage" "$T/before"
for bad in 0 1024 abc '' ' 5' 5x; do
    expect_status "set srs_maxage '$bad': exit 1" 1 qc set srs_maxage "$bad"
    expect_eq "  file unchanged" "$(od -c "$T/before")" "$(od -c "$C/srs_maxage")"
done
expect_status "set srs_maxage 1024: says what is wanted" 1 qc set srs_maxage 1024
expect_eq "  the reason" "qauth-config: refused: srs_maxage: 1024 is out of range (want 1-1023)" "$(cat "$T/err")"
for args in "dkimsign 2" "dmarcreject yes" "spfbehavior 7" "srs_hashlength 28" "srs_separator ==" \
            "srs_domain 1.2.3.4" "srs_alwaysrewrite -1" "spfrules redirect=x.example" "spfexp %{q}" "bogus 1"; do
    # shellcheck disable=SC2086
    expect_status "set $args: exit 1" 1 qc set $args
done
expect_eq "  no file written for them" "no" "$(ls "$C" | grep -qE '^(dkimsign|dmarcreject|spfbehavior|srs_hashlength|spfexp|bogus)$' && echo yes || echo no)"
expect_eq "  no temporary file left" "" "$(ls -A "$C" | grep '^\.')"
expect_status "set without a value: usage, exit 111" 111 qc set dkimsign
expect_match "  usage: line" '^usage: qauth-config: ' "$(cat "$T/err")"

# ---------------------------------------------------------------- the panel's rule
expect_status "set dkimverify 0 while dmarc is on (default): exit 1" 1 qc set dkimverify 0
expect_eq "  the reason" "qauth-config: refused: DKIM verification stays on while DMARC is on (dmarc is 1): set dmarc 0 first" \
    "$(cat "$T/err")"
expect_eq "  dkimverify not written" "no" "$([ -e "$C/dkimverify" ] && echo yes || echo no)"
qc set dmarc 1
expect_status "set dkimverify 0 while control/dmarc is 1: exit 1" 1 qc set dkimverify 0
expect_status "set dmarc 0: exit 0" 0 qc set dmarc 0
expect_status "then set dkimverify 0: exit 0" 0 qc set dkimverify 0
expect_status "set dmarc 1 while dkimverify is 0: exit 1" 1 qc set dmarc 1
expect_eq "  the reason" "qauth-config: refused: DMARC needs DKIM verification, which is off (dkimverify is 0): set dkimverify 1 first" \
    "$(cat "$T/err")"
expect_eq "  control/dmarc still 0" "0" "$(cat "$C/dmarc")"
expect_status "unset dmarc (default 1) while dkimverify is 0: exit 1" 1 qc unset dmarc
expect_eq "  control/dmarc still there" "0" "$(cat "$C/dmarc")"
printf 'on\n' >"$C/dmarcreject"
expect_eq "show of a bad value: a warning naming the file" \
    "qauth-config: warning: $C/dmarcreject: not 0 or 1: \"on\" (want 0 or 1) (set would refuse it; the programs may too)" \
    "$(qc show dmarcreject 2>&1 >/dev/null)"
expect_eq "  SPFBEHAVIOR out of range: a warning naming it" \
    "qauth-config: warning: env SPFBEHAVIOR: 9 is out of range (want 0-6) (set would refuse it; the programs may too)" \
    "$(SPFBEHAVIOR=9 qc show spfbehavior 2>&1 >/dev/null)"
rm "$C/dmarcreject"
expect_status "set dkimverify 1, then dmarc 1: exit 0" 0 sh -c "qauth-config --control-dir '$C' set dkimverify 1 && qauth-config --control-dir '$C' set dmarc 1"
qc unset dmarc; qc unset dkimverify

# ---------------------------------------------------------------- read-only directory
R=$T/ro
mkdir -p "$R"; printf '2\n' >"$R/spfbehavior"
chmod 755 "$T"; chmod 555 "$R"
if [ "$(id -u)" = 0 ]; then as_user() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }; else as_user() { "$@"; }; fi
expect_status "set into a read-only directory: exit 111" 111 as_user "$QAUTH_BIN/qauth-config" --control-dir "$R" set spfbehavior 3
expect_match "  fatal, naming the directory" "^qauth-config: fatal: $R: cannot create a temporary file" "$(cat "$T/err")"
expect_eq "  old file intact" "2" "$(cat "$R/spfbehavior")"
expect_status "unset in a read-only directory: exit 111" 111 as_user "$QAUTH_BIN/qauth-config" --control-dir "$R" unset spfbehavior
expect_eq "  old file intact" "2" "$(cat "$R/spfbehavior")"
chmod 755 "$R"

# ---------------------------------------------------------------- strace: temp file, fsync, rename, fsync dir
if command -v strace >/dev/null 2>&1; then
    strace -f -e trace=openat,write,fsync,fdatasync,rename,renameat,renameat2 -o "$T/trace" \
        "$QAUTH_BIN/qauth-config" --control-dir "$C" set dmarcreject 1 >/dev/null 2>&1
    seq=$(awk -v c="$C" '
        /openat\(.*\/\.dmarcreject\./ && /O_CREAT/ { match($0, /= [0-9]+$/); fd = substr($0, RSTART + 2); print "create-temp"; next }
        fd != "" && $0 ~ "write\\(" fd ", \"1\\\\n\"" { print "write"; next }
        fd != "" && $0 ~ "f(data)?sync\\(" fd "\\)" { print "fsync-temp"; next }
        /rename/ && /\.dmarcreject\./ && index($0, c "/dmarcreject\"") { print "rename"; renamed = 1; fd = ""; next }
        renamed && /openat\(.*O_DIRECTORY/ { match($0, /= [0-9]+$/); dfd = substr($0, RSTART + 2); next }
        dfd != "" && $0 ~ "fsync\\(" dfd "\\)" { print "fsync-dir"; dfd = "" }' "$T/trace" | tr '\n' ' ')
    expect_eq "strace: temp file created, written, fsync'ed, renamed over, directory fsync'ed" \
        "create-temp write fsync-temp rename fsync-dir " "$seq"
    qc unset dmarcreject
else
    skip "strace: temp file, fsync, rename" "no strace"
fi

# ---------------------------------------------------------------- dkim enable
K=$C/domainkeys
qc dkim enable --alias example.net,Example.ORG example.com >"$T/records" 2>"$T/err"
expect_eq "dkim enable: exit 0, nothing on stderr" "0 " "$? $(cat "$T/err")"
expect_eq "  key made, mode 0600, selector active" "600 default" "$(stat -c %a "$K/example.com/default") $(cat "$K/example.com/selector")"
expect_eq "  aliases linked to the domain" "example.com example.com" "$(readlink "$K/example.net") $(readlink "$K/example.org")"
expect_eq "  records for the domain and each alias" \
    "default._domainkey.example.com. default._domainkey.example.net. default._domainkey.example.org." \
    "$(grep -o '^default\._domainkey\.[a-z.]*' "$T/records" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "  the same key in each" 1 "$(grep -o 'p=[A-Za-z0-9+/]*' "$T/records" | sort -u | wc -l)"
expect_match "  notes name the links" '^; example\.net is signed with this key: domainkeys/example\.net -> example\.com$' "$(cat "$T/records")"
grep -v '^;' "$T/records" >"$T/zone"

msg_from() { printf 'From: A <a@%s>\nTo: b@example.org\nSubject: test\nDate: Wed, 2 Dec 2026 12:00:00 +0000\nMessage-ID: <1@%s>\n\nHello\n' "$1" "$1"; }
for d in example.com example.net; do
    msg_from "$d" >"$T/msg"
    qmail-dkimsign --control-dir "$C" <"$T/msg" >"$T/signed.$d" 2>"$T/err"
    expect_match "qmail-dkimsign signs mail From $d with d=$d" "d=$d;" "$(head -n2 "$T/signed.$d" | tr -d '\n')"
    dkimverify --control-dir "$C" --authserv-id t --dns-zone "$T/zone" <"$T/signed.$d" >"$T/verified" 2>&1
    expect_eq "  dkimverify with the printed records: pass, header.d=$d" "pass $d" \
        "$(dkim_results "$T/verified") $(first_ar "$T/verified" | grep -o 'header.d=[a-z.]*' | cut -d= -f2)"
done

cp "$K/example.com/default" "$T/key.before"
qc dkim enable example.com >"$T/records2" 2>&1
expect_eq "enable again: the key is kept" "" "$(cmp "$T/key.before" "$K/example.com/default")"
expect_match "  and says so" "^; existing key kept: $K/example.com/default$" "$(cat "$T/records2")"
expect_eq "  the same records" "$(grep -v '^;' "$T/records" | head -n3)" "$(grep -v '^;' "$T/records2")"
qc dkim enable --new-key example.com >/dev/null 2>&1
expect_eq "enable --new-key: a new key" "differ" "$(cmp -s "$T/key.before" "$K/example.com/default" && echo same || echo differ)"
cp "$K/example.com/default" "$T/key.before"
qc dkim enable --type ed25519 --selector ed example.com >"$T/records3" 2>&1
expect_eq "enable --type ed25519 --selector ed: a second selector" "default ed" "$(tr '\n' ' ' <"$K/example.com/selector" | sed 's/ $//')"
expect_match "  ed25519 record" '^ed\._domainkey\.example\.com\. IN TXT \( "v=DKIM1; k=ed25519; p=' "$(cat "$T/records3")"

expect_eq "dkim show: each domain, its state and selectors" "example.com  signing, selectors default ed
example.net  alias of example.com
example.org  alias of example.com" "$(qc dkim show 2>&1)"
mkdir -p "$K/other.example"
expect_status "enable --alias of a domain with keys of its own: exit 1" 1 qc dkim enable --alias other.example example.com
expect_match "  the reason" "^qauth-config: refused: $K/other.example exists and is not a link to example.com" "$(cat "$T/err")"
expect_status "enable of an alias itself: exit 1" 1 qc dkim enable example.net
expect_status "enable of a bad domain: exit 1" 1 qc dkim enable ../etc
expect_status "enable without a domain: usage, exit 111" 111 qc dkim enable

# ---------------------------------------------------------------- dkim disable
qc dkim disable example.com >"$T/out" 2>&1
expect_eq "dkim disable: exit 0" 0 $?
expect_eq "  says where the keys are, and which aliases stop" \
    "DKIM signing of example.com stopped; its keys are kept in $K/.disabled/example.com
DKIM signing of its alias example.net stopped too
DKIM signing of its alias example.org stopped too" "$(cat "$T/out")"
expect_eq "  the keys still exist" "$(cat "$T/key.before")" "$(cat "$K/.disabled/example.com/default")"
for d in example.com example.net; do
    msg_from "$d" >"$T/msg"
    qmail-dkimsign --control-dir "$C" <"$T/msg" >"$T/out" 2>"$T/err"; rc=$?
    expect_eq "  qmail-dkimsign passes mail From $d through unsigned (exit 0)" "0 $(cat "$T/msg")" "$rc $(cat "$T/out")"
done
expect_eq "  dkim show: disabled, its aliases not signed" "example.com  disabled, selectors default ed
example.net  alias of example.com (not signed: no such key directory)
example.org  alias of example.com (not signed: no such key directory)
other.example  signing, selectors default" "$(qc dkim show 2>&1)"
expect_status "disable again: exit 0" 0 qc dkim disable example.com
expect_eq "  says it is off already" "DKIM signing of example.com is off already; its keys are in $K/.disabled/example.com" "$(cat "$T/out")"
expect_status "disable of a domain without keys: exit 1" 1 qc dkim disable nokeys.example

qc dkim enable example.com >"$T/records4" 2>&1
expect_eq "enable after disable: exit 0, the key restored" "0 same" \
    "$? $(cmp -s "$T/key.before" "$K/example.com/default" && echo same || echo differ)"
expect_match "  and says so" '^; signing of example\.com restored from domainkeys/\.disabled$' "$(cat "$T/records4")"
msg_from example.net >"$T/msg"
qmail-dkimsign --control-dir "$C" <"$T/msg" >"$T/signed" 2>&1
expect_match "  the alias is signed again, d=example.net" 'd=example\.net;' "$(head -n2 "$T/signed" | tr -d '\n')"

qc dkim disable example.org >"$T/out" 2>&1
expect_eq "disable of an alias removes its link" "0 gone" "$? $([ -L "$K/example.org" ] && echo there || echo gone)"
expect_eq "  and leaves the domain's key" "yes" "$([ -f "$K/example.com/default" ] && echo yes)"

# The report is written completely or the program fails (io::print_stdout).
qc show >/dev/full 2>"$T/err"; expect_eq "show into a full standard output: exit 111" 111 $?
expect_match "show into a full standard output: named" 'fatal: standard output: write error: No space left' "$(cat "$T/err")"
qc list >&- 2>"$T/err"; expect_eq "list with standard output closed: exit 111" 111 $?
expect_match "list with standard output closed: named" 'fatal: standard output is closed' "$(cat "$T/err")"
