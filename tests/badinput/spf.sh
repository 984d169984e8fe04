# spfcheck on bad input (issue 7): invalid client IPs, 8-bit and empty
# senders and HELO names, huge records and records of 1000 terms, control
# characters and NUL bytes in TXT strings and explanations, and messages that
# are odd. Each case gets a defined exit status, errors one clear line on
# stderr, and no crash. Run under ASan/UBSan by make check-asan.
. "$(dirname "$0")/../lib.sh"
C=$T/control; mkdir -p "$C"; echo mx.test >"$C/me"
unset SPFBEHAVIOR SENDER TCPREMOTEIP HELO RELAYCLIENT SMTPAUTHUSER QMAILUSER QMAILHOST
Z=$T/zone
# TXT records written one character-string (at most 250 bytes) per line:
# ldns reads zone lines of at most about 10 KB.
txt() {  # NAME TEXT: the record, split into strings
    local name=$1 text=$2 i
    printf '%s. IN TXT (' "$name"
    for ((i = 0; i < ${#text}; i += 250)); do printf '\n  "%s"' "${text:i:250}"; done
    printf ' )\n'
}
terms() {  # N FORMAT: N terms, FORMAT with %d
    local i; for ((i = 0; i < $1; i++)); do printf " $2" "$i"; done
}
{
    txt big.example "v=spf1$(terms 700 'ip6:2001:db8::%x') ip4:192.0.2.1 -all"
    txt ip1000.example "v=spf1$(terms 999 'ip6:2001:db8:1::%x') -all"
    txt a1000.example "v=spf1$(terms 999 'a:h%d.example') -all"
    txt a1001.example "v=spf1$(terms 1000 'a:h%d.example') -all"
    txt huge.example "v=spf1 ip4:192.0.2.1 $(head -c 70000 /dev/zero | tr '\0' x) -all"
    echo 'ctl.example. IN TXT "v=spf1 ip4:192.0.2.1\001 -all"'
    echo 'nul.example. IN TXT "v=spf1 \000ip4:192.0.2.1 -all"'
    echo 'nulend.example. IN TXT "v=spf1 ip4:192.0.2.1 -all\000"'
    echo 'crlf.example. IN TXT "v=spf1 ip4:192.0.2.1\013\010 -all"'
    echo 'esc.example. IN TXT "v=spf1 ip4:192.0.2.1 -all \027[31m\128\255"'
    echo 'expnul.example. IN TXT "v=spf1 -all exp=why.expnul.example"'
    echo 'why.expnul.example. IN TXT "a\000b %{i}"'
    echo 'expcrlf.example. IN TXT "v=spf1 -all exp=why.expcrlf.example"'
    echo 'why.expcrlf.example. IN TXT "one\013\010Two: injected\013\010"'
    echo 'exp8.example. IN TXT "v=spf1 -all exp=why.exp8.example"'
    echo 'why.exp8.example. IN TXT "caf\195\169 %{i}"'
    echo 'explong.example. IN TXT "v=spf1 -all exp=why.explong.example"'
    txt why.explong.example "$(head -c 3000 /dev/zero | tr '\0' x) %{i}"
    echo 'pass.example. IN TXT "v=spf1 ip4:192.0.2.1 -all"'
    echo 'fail.example. IN TXT "v=spf1 -all"'
} >"$Z"
spf() { spfcheck --control-dir "$C" --dns-zone "$Z" "$@"; }
printf 'From: a@pass.example\nSubject: hi\n\nbody\n' >"$T/msg"

# case NAME STATUS ARGS... (message on $T/in, default $T/msg): the status;
# for 111 and 100 nothing on stdout and exactly one line on stderr; for 0
# the input is the tail of the output and stderr is empty (TRACE=1: stderr
# may hold trace lines; CHECK=1: stdout must be empty).
IN=$T/msg
case_() {
    local name=$1 want=$2; shift 2
    spf "$@" <"$IN" >"$T/out" 2>"$T/err"; local got=$? why=
    if [ "$got" != "$want" ]; then why="exit $got, expected $want"
    elif [ "$got" = 0 ] && [ -n "${CHECK:-}" ]; then
        [ -s "$T/out" ] && why="--check wrote on stdout"
    elif [ "$got" = 0 ]; then
        tail -c "$(wc -c <"$IN")" "$T/out" | cmp -s - "$IN" || why="the message is not the tail of the output"
        [ -s "$T/err" ] && [ -z "${TRACE:-}" ] && why="stderr not empty: $(head -c 200 "$T/err")"
    else
        [ -s "$T/out" ] && why="stdout written"
        [ "$(wc -l <"$T/err")" = 1 ] || why="$(wc -l <"$T/err") lines on stderr: $(head -c 300 "$T/err")"
    fi
    if [ -z "$why" ]; then ok "$name"; else not_ok "$name" "$why"; fi
}
ar() { first_ar "$T/out"; }

# == Client IPs.
case_ "--ip 999.1.1.1: 111" 111 --ip 999.1.1.1 --sender a@pass.example
expect_eq "--ip 999.1.1.1: the line says so" 'spfcheck: fatal: client IP "999.1.1.1" from --ip is not an IP address' "$(cat "$T/err")"
case_ "--ip '': 111" 111 --ip '' --sender a@pass.example
expect_match "--ip '': a usage error" "^usage: spfcheck: --ip: empty value" "$(cat "$T/err")"
for ip in 1.2.3 1.2.3.4.5 01.2.3.4 '[192.0.2.1]' 'fe80::1%eth0' '::1::2' 'gggg::1' '192.0.2.1/24' "$(printf '192.0.2.1\001')" \
          "$(head -c 5000 /dev/zero | tr '\0' 1)"; do
    case_ "--ip $(printf '%q' "${ip:0:40}"): 111" 111 --ip "$ip" --sender a@pass.example
    expect_match "--ip $(printf '%q' "${ip:0:40}"): says it is no IP address" '^spfcheck: fatal: client IP ".*" from --ip is not an IP address$' "$(cat "$T/err")"
done
expect_eq "--ip of 5000 bytes: the line stays short" 1 "$(( $(wc -c <"$T/err") < 300 ))"
for env in TCPREMOTEIP=garbage TCPREMOTEIP=999.1.1.1 "TCPREMOTEIP=$(printf '\377\376')"; do
    IN=$T/msg
    env "$env" spfcheck --control-dir "$C" --dns-zone "$Z" --sender a@pass.example <"$IN" >"$T/out" 2>"$T/err"
    rc=$?; expect_eq "$(printf '%q' "$env"): exit 111, one line, nothing on stdout" "111 1 0" "$rc $(wc -l <"$T/err") $(wc -c <"$T/out")"
done
env TCPREMOTEIP= spfcheck --control-dir "$C" --dns-zone "$Z" --sender a@fail.example --mode 6 <"$T/msg" >"$T/out" 2>"$T/err"
rc=$?; expect_eq "TCPREMOTEIP empty: no client, passed unchanged" "0 $(cat "$T/msg")" "$rc $(cat "$T/out")"
case_ "--ip ::ffff:192.0.2.1: evaluated as IPv4" 0 --ip ::ffff:192.0.2.1 --sender a@pass.example
expect_match "--ip ::ffff:192.0.2.1: pass" 'spf=pass' "$(ar)"
case_ "--ip 2001:db8::1 against ip4 terms: fail" 0 --ip 2001:db8::1 --sender a@pass.example
expect_match "--ip 2001:db8::1: fail" 'spf=fail' "$(ar)"

# == Senders and HELO names: 8-bit, empty, odd.
case_ "8-bit sender domain: 0" 0 --ip 192.0.2.1 --sender $'a@p\xc3\xa4ss.example'
expect_match "8-bit sender domain: none, escaped in the field" 'spf=none .*smtp.mailfrom="p\\\\xc3\\\\xa4ss.example"' "$(ar)"
expect_eq "8-bit sender domain: our fields are printable ASCII" 0 "$(head -n -4 "$T/out" | LC_ALL=C grep -c '[^ -~	]')"
case_ "8-bit local part: 0" 0 --ip 192.0.2.1 --sender $'\xff\xfe@pass.example'
expect_match "8-bit local part: pass, escaped in envelope-from" 'envelope-from="\\\\xff\\\\xfe@pass.example"' "$(tr -d '\n' <"$T/out")"
case_ "8-bit HELO, null sender: 0" 0 --ip 192.0.2.1 --sender '' --helo $'m\xc3\xa4il.example'
expect_match "8-bit HELO: escaped in smtp.helo" 'spf=none .*smtp.helo="m\\\\xc3\\\\xa4il.example"' "$(ar)"
expect_eq "8-bit HELO: our fields are printable ASCII" 0 "$(head -n -4 "$T/out" | LC_ALL=C grep -c '[^ -~	]')"
case_ "HELO with CR, LF, NUL-free controls: 0" 0 --ip 192.0.2.1 --sender '' --helo $'mail\r\nX-Injected: 1\x01.example'
expect_eq "HELO with CR LF: no injected header line" 0 "$(grep -c '^X-Injected' "$T/out")"
case_ "--helo-check with an 8-bit HELO: 0" 0 --ip 192.0.2.1 --sender a@pass.example --helo-check --helo $'\xff.example'
expect_eq "--helo-check with an 8-bit HELO: two results" "none pass" "$(ar | grep -oE 'spf=[a-z]+' | sed 's/spf=//' | paste -sd' ')"
case_ "empty sender, no HELO: 0" 0 --ip 192.0.2.1 --sender ''
expect_match "empty sender, no HELO: none for the HELO identity" '^Authentication-Results: mx.test; spf=none .*smtp.helo=' "$(ar)"
case_ "empty sender, no HELO, mode 6: 100" 100 --ip 192.0.2.1 --sender '' --mode 6
expect_match "empty sender, no HELO, mode 6: a 5.7.1 line" '^5\.7\.1 SPF none for an empty HELO: ' "$(cat "$T/err")"
for s in 'a@' '@' 'nodomain' 'a@b@pass.example' '@pass.example' 'a@.example' 'a@pass..example' "a@$(head -c 300 /dev/zero | tr '\0' l).example" \
         "$(head -c 10000 /dev/zero | tr '\0' a)@pass.example"; do
    case_ "sender $(printf '%q' "${s:0:40}"): 0" 0 --ip 192.0.2.1 --sender "$s"
done
case_ "sender with CR LF: 0" 0 --ip 192.0.2.1 --sender $'a\r\nX-Injected: 1@pass.example'
expect_eq "sender with CR LF: no injected header line" 0 "$(grep -c '^X-Injected' "$T/out")"
expect_eq "sender of 10 KB: our fields stay folded" "" "$(IN=$T/msg; spf --ip 192.0.2.1 --sender "$(head -c 10000 /dev/zero | tr '\0' a)@pass.example" <"$T/msg" | awk 'length($0) > 998')"

# == Records: large, long, broken.
case_ "a 10 KB record (701 terms): 0" 0 --ip 192.0.2.1 --sender a@big.example
expect_match "a 10 KB record: its last ip4 matches" 'spf=pass reason="mechanism ip4:192.0.2.1 matched"' "$(ar)"
case_ "a record of 1000 ip4 terms: 0" 0 --ip 192.0.2.1 --sender a@ip1000.example
expect_match "a record of 1000 ip4 terms: evaluated to the end, fail" 'spf=fail reason="mechanism -all matched"' "$(ar)"
case_ "a record of 1000 terms, 999 a: 0" 0 --ip 192.0.2.1 --sender a@a1000.example
expect_match "a record of 1000 terms, 999 a: permerror by a 4.6.4 limit" 'spf=permerror reason="RFC 7208 4\.6\.4: more than ' "$(ar)"
case_ "a record of 1001 terms: 0" 0 --ip 192.0.2.1 --sender a@a1001.example
expect_match "a record of 1001 terms: permerror" 'spf=permerror reason="record has more than 1000 terms"' "$(ar)"
case_ "a record of 70 KB: 0" 0 --ip 192.0.2.1 --sender a@huge.example
expect_match "a record of 70 KB: permerror" 'spf=permerror' "$(ar)"
case_ "a 70 KB record, mode 6: 100" 100 --ip 192.0.2.1 --sender a@huge.example --mode 6
expect_eq "a 70 KB record, mode 6: the refusal line fits an SMTP reply" 1 "$(( $(wc -c <"$T/err") <= 512 ))"
for d in ctl nul nulend crlf esc; do
    case_ "record with control/NUL/8-bit bytes ($d): 0" 0 --ip 192.0.2.1 --sender "a@$d.example"
    expect_match "record with control/NUL/8-bit bytes ($d): permerror" 'spf=permerror' "$(ar)"
    expect_eq "record with control/NUL/8-bit bytes ($d): our fields are printable ASCII" 0 "$(head -n -4 "$T/out" | LC_ALL=C grep -c '[^ -~	]')"
    TRACE=1 case_ "record with control/NUL/8-bit bytes ($d), --trace: 0" 0 --ip 192.0.2.1 --sender "a@$d.example" --trace
    expect_eq "record with control/NUL/8-bit bytes ($d), --trace: printable ASCII" 0 "$(LC_ALL=C grep -c '[^ -~]' "$T/err")"
done
expect_match "NUL in a record: shown as \\x00" 'unknown mechanism \\"\\\\x00ip4:192\.0\.2\.1\\"' "$(IN=$T/msg; spf --ip 192.0.2.1 --sender a@nul.example <"$T/msg" | first_ar /dev/stdin)"
# A NUL inside an ip4/ip6 network is a syntax error (permerror), not the end
# of the address: inet_pton must not see a C string cut at the NUL.
{ echo 'nulip4.example. IN TXT "v=spf1 ip4:192.0.2.1\000xyz -all"'
  echo 'nulcidr.example. IN TXT "v=spf1 ip4:192.0.2.0\000/24 -all"'
  echo 'nulip6.example. IN TXT "v=spf1 ip6:2001:db8::1\000xyz ip4:192.0.2.1 -all"'
  echo 'nulsplit.example. IN TXT "v=spf1 ip4:192.0.2.1" "\000 -all"'; } >>"$Z"
for d in nulip4 nulcidr nulip6 nulsplit; do
    case_ "NUL after an ip4/ip6 network ($d): 0" 0 --ip 192.0.2.1 --sender "a@$d.example"
    expect_match "NUL after an ip4/ip6 network ($d): permerror, not pass" '^Authentication-Results: mx.test; spf=permerror reason="RFC 7208 5\.6: bad ip[46] network ' "$(ar)"
done
case_ "--record of 70 KB: 111" 111 --ip 192.0.2.1 --sender a@pass.example --record "v=spf1 $(head -c 70000 /dev/zero | tr '\0' x)"
expect_match "--record of 70 KB: names --record" '^spfcheck: fatal: --record: ' "$(cat "$T/err")"
case_ "--record with NUL-free controls: 111" 111 --ip 192.0.2.1 --sender a@pass.example --record $'v=spf1 ip4:192.0.2.1\r\n-all'
case_ "--local of 1000 terms: 0" 0 --ip 192.0.2.1 --sender a@fail.example --local "$(terms 999 'ip6:2001:db8:2::%x') +ip4:192.0.2.1"
expect_match "--local of 1000 terms: the last one rescues" 'spf=pass reason="local rule ip4:192.0.2.1 matched"' "$(ar)"
case_ "--guess with control characters: 111" 111 --ip 192.0.2.1 --sender a@fail.example --guess $'a\x01 -all'
case_ "--explanation with CR LF: 111" 111 --ip 192.0.2.1 --sender a@fail.example --explanation $'one\r\ntwo'
expect_match "--explanation with CR LF: names --explanation" '^spfcheck: fatal: --explanation: ' "$(cat "$T/err")"
printf 'line one\r\nline two\0\n' >"$C/spfexp"
case_ "control/spfexp with CR, LF, NUL: 111" 111 --ip 192.0.2.1 --sender a@fail.example
expect_match "control/spfexp with CR, LF, NUL: names the file" "^spfcheck: fatal: $C/spfexp: " "$(cat "$T/err")"
rm "$C/spfexp"

# == Explanations from DNS with CR/LF, NUL, 8-bit, 3000 bytes: one line.
for d in expnul expcrlf exp8 explong; do
    case_ "exp= TXT ($d), mode 3: 100, one line" 100 --mode 3 --ip 192.0.2.1 --sender "a@$d.example"
    expect_match "exp= TXT ($d): a 5.7.1 line of printable ASCII" '^5\.7\.1 SPF fail: [ -~]+$' "$(cat "$T/err")"
    expect_eq "exp= TXT ($d): the line fits an SMTP reply" 1 "$(( $(wc -c <"$T/err") <= 512 ))"
done
expect_match "exp= TXT with CR LF: not used, the default" '^5\.7\.1 SPF fail: See https://www\.open-spf\.org/Why\?s=a%40expcrlf\.example&' "$(IN=$T/msg; spf --mode 3 --ip 192.0.2.1 --sender a@expcrlf.example <"$T/msg" 2>&1)"
expect_match "exp= of 3000 bytes: cut, and says so" '^5\.7\.1 SPF fail: x+\.\.\.$' "$(IN=$T/msg; spf --mode 3 --ip 192.0.2.1 --sender a@explong.example <"$T/msg" 2>&1)"

# == Messages: NUL bytes, huge lines, no separator, empty.
msgcase() {  # NAME FILE: pass and fail, mode 1; LF or CRLF fields, message intact
    IN=$2
    case_ "$1: pass, exit 0, intact" 0 --ip 192.0.2.1 --sender a@pass.example
    expect_match "$1: pass, our field on top" '^Received-SPF: pass ' "$(head -n1 "$T/out")"
    case_ "$1: mode 3 fail, 100" 100 --mode 3 --ip 192.0.2.1 --sender a@fail.example
    CHECK=1 case_ "$1: --check, 0, nothing on stdout" 0 --check --ip 192.0.2.1 --sender a@pass.example
    IN=$T/msg
}
: >"$T/empty"; msgcase "empty message" "$T/empty"
printf 'From: a@pass.example\nSubject: no separator' >"$T/nosep"; msgcase "no separator, no final LF" "$T/nosep"
printf 'From: a@pass.example\n' >"$T/onlyheader"; msgcase "header only" "$T/onlyheader"
printf '\nbody only\n' >"$T/bodyonly"; msgcase "body only" "$T/bodyonly"
printf 'X-Nul: a\0b\nFrom: \0\n\nbody\0nul\r\nbare\rCR\n\x80\xff\n' >"$T/nul"; msgcase "NUL, bare CR, 8-bit" "$T/nul"
{ printf 'From: a@pass.example\nSubject: '; head -c 2000000 /dev/zero | tr '\0' x; printf '\n\nbody\n'; } >"$T/longhdr"
msgcase "2 MB header line" "$T/longhdr"
{ printf 'From: a@pass.example\n\n'; head -c 5000000 /dev/zero | tr '\0' y; } >"$T/longbody"
msgcase "5 MB body line without LF" "$T/longbody"
printf ' leading continuation\nFrom: a\n\nx\n' >"$T/cont"; msgcase "leading continuation line" "$T/cont"
expect_eq "leading continuation: the orphan guard follows our fields" "X-Qauth-Orphan-Line:" \
    "$(IN=$T/cont; spf --ip 192.0.2.1 --sender a@pass.example <"$T/cont" | grep -v '^[A-Z][-A-Za-z]*-\(SPF\|Results\):' | grep -v '^	' | head -n1)"
printf 'From: a\r\nSubject: x\r\n\r\nbody\r\n' >"$T/crlf"; msgcase "CRLF" "$T/crlf"
expect_eq "CRLF: every line of our fields ends in CRLF" 0 \
    "$(spf --ip 192.0.2.1 --sender a@pass.example <"$T/crlf" | head -n -4 | grep -vc $'\r$')"
printf 'Received: from x (HELO \xff\0) (999.1.2.3)\n  by y\nFrom: a\n\nx\n' >"$T/rcvd"
IN=$T/rcvd
case_ "--trust-received, a garbage Received: line: 0" 0 --trust-received --sender a@fail.example --mode 6
IN=$T/msg
