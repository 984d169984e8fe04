# dmarccheck on bad input (issue 8): odd From fields (unbalanced quotes,
# encoded words, 200 addresses, UTF-8 domains, empty), broken _dmarc records
# (control characters, NUL, 10 KB, many tags), broken Authentication-Results
# fields in our own block, NUL bytes and a huge header. Each case gets a
# defined exit status, errors one line on stderr, and no crash. Run under
# ASan/UBSan by make check-asan.
. "$(dirname "$0")/../lib.sh"
C=$T/control; mkdir -p "$C"; echo mx.test >"$C/me"
unset TCPREMOTEIP HELO SENDER RELAYCLIENT
Z=$T/zone
txt() {  # NAME TEXT: the record, one character-string of at most 250 bytes a line
    local name=$1 text=$2 i
    printf '%s. IN TXT (' "$name"
    for ((i = 0; i < ${#text}; i += 250)); do printf '\n  "%s"' "${text:i:250}"; done
    printf ' )\n'
}
tags() { local i; for ((i = 0; i < $1; i++)); do printf '; x%d=%d' "$i" "$i"; done; }
{
    echo 'pass.example. IN TXT "v=spf1 ip4:192.0.2.1 -all"'
    echo '_dmarc.pass.example. IN TXT "v=DMARC1; p=reject"'
    echo '_dmarc.rej.example. IN TXT "v=DMARC1; p=reject"'
    echo '_dmarc.ctl.example. IN TXT "v=DMARC1;\001 p=reject\013\010; sp=none"'
    echo '_dmarc.ctlp.example. IN TXT "v=DMARC1; p=rej\001ect"'
    echo '_dmarc.nul.example. IN TXT "v=DMARC1; p=reject\000; adkim=s"'
    echo '_dmarc.nulv.example. IN TXT "v=DMARC1\000; p=reject"'
    echo '_dmarc.esc.example. IN TXT "v=DMARC1; p=reject; rua=mailto:\027[31m\255@x.example"'
    txt _dmarc.big.example "v=DMARC1; p=reject; rua=mailto:$(head -c 10000 /dev/zero | tr '\0' a)@x.example"
    txt _dmarc.mid.example "v=DMARC1; p=reject; rua=mailto:$(head -c 2000 /dev/zero | tr '\0' a)@x.example"
    txt _dmarc.some.example "v=DMARC1; p=quarantine$(tags 40)"
    txt _dmarc.many.example "v=DMARC1; p=quarantine$(tags 1200)"
    txt _dmarc.manyp.example "v=DMARC1$(tags 500); p=reject$(tags 500)"
    echo '_dmarc.two.example. IN TXT "v=DMARC1; p=reject"'
    echo '_dmarc.two.example. IN TXT "v=DMARC1; p=none"'
    echo '_dmarc.lower.example. IN TXT "v=dmarc1; p=reject"'
    echo '_dmarc.badp.example. IN TXT "v=DMARC1; p=bogus; sp=reject"'
    echo '_dmarc.semis.example. IN TXT "v=DMARC1;;;;; p = reject ;;; "'
    echo '_dmarc.pct.example. IN TXT "v=DMARC1; p=reject; pct=99999999999999999999; adkim=x; aspf=; t=maybe"'
    echo '_dmarc.xn--pss-qla.example. IN TXT "v=DMARC1; p=reject"'
} >"$Z"
dm() { dmarccheck --control-dir "$C" --dns-zone "$Z" "$@"; }

# case_ NAME STATUS ARGS... (message on $IN): the status; for 111 and 100
# nothing on stdout and one line on stderr; for 0 the input is the tail of
# the output and stderr is empty; an exit of 128 or more is a crash.
IN=$T/msg
case_() {
    local name=$1 want=$2; shift 2
    dm "$@" <"$IN" >"$T/out" 2>"$T/err"; local got=$? why=
    if [ "$got" -ge 128 ]; then why="crashed: exit $got: $(tail -c 400 "$T/err")"
    elif [ "$got" != "$want" ]; then why="exit $got, expected $want: $(head -c 300 "$T/err")"
    elif [ "$got" = 0 ]; then
        tail -c "$(wc -c <"$IN")" "$T/out" | cmp -s - "$IN" || why="the message is not the tail of the output"
        [ -s "$T/err" ] && why="stderr not empty: $(head -c 200 "$T/err")"
    else
        [ -s "$T/out" ] && why="stdout written"
        [ "$(wc -l <"$T/err")" = 1 ] || why="$(wc -l <"$T/err") lines on stderr: $(head -c 300 "$T/err")"
    fi
    if [ -z "$why" ]; then ok "$name"; else not_ok "$name" "$why"; fi
}
ar() {  # the first field of the output, unfolded
    awk '/^Authentication-Results:/ && !f {f=1; s=$0; next} f && /^[ \t]/ {sub(/^[ \t]+/, " "); s = s $0; next} f {exit} END {print s}' "$T/out" | tr -d '\r'
}
ascii() {  # our new field is printable ASCII (and tabs)
    expect_eq "$1: our field is printable ASCII" 0 "$(ar | LC_ALL=C grep -c '[^ -~	]')"
}
from() {  # FROM-VALUE: a message with that From field into $IN
    IN=$T/from; printf 'From: %s\nSubject: x\n\nbody\n' "$1" >"$IN"
}
S=(--ip 192.0.2.99 --sender a@x.example)

# == Odd From fields.
from '"a@rej.example'
case_ "From with an unbalanced quote: 0" 0 "${S[@]}"
expect_match "unbalanced quote: permerror" 'dmarc=permerror' "$(ar)"
case_ "unbalanced quote, --reject: 100" 100 --reject "${S[@]}"
expect_match "unbalanced quote, --reject: 5.7.1" '^5\.7\.1 DMARC: no usable From domain' "$(cat "$T/err")"
from '"Bank <a@pass.example>" <a@rej.example>'
case_ "quoted display name with an address in it: the real one is rej.example" 100 --reject "${S[@]}"
expect_eq "quoted display name: rej.example named" "5.7.1 rejected by DMARC policy for rej.example" "$(cat "$T/err")"
from '=?utf-8?B?YUBwYXNzLmV4YW1wbGU=?= <a@rej.example>'
case_ "encoded word (of a@pass.example) as display name: rej.example counts" 100 --reject "${S[@]}"
from '=?utf-8?Q?a=40pass.example?='
case_ "From of an encoded word only: 0" 0 "${S[@]}"
expect_match "encoded word only: permerror" 'dmarc=permerror' "$(ar)"
from '=?utf-8?B?broken'
case_ "broken encoded word: 0" 0 "${S[@]}"
from "$(for i in $(seq 1 200); do printf 'u%d@d%d.example, ' $i $i; done)last@rej.example"
case_ "200 addresses, 201 domains: 100 by the last" 100 --reject "${S[@]}"
case_ "200 addresses, not enforcing: 0" 0 "${S[@]}"
expect_eq "200 addresses: a line of our field is at most 998 bytes" "" "$(awk '/^[^ \t]/ && NR > 1 {exit} length($0) > 998' "$T/out")"
from "$(for i in $(seq 1 200); do printf 'u%d@pass.example, ' $i; done)U@PASS.EXAMPLE."
case_ "200 addresses, one domain: 0" 0 "${S[@]}"
expect_eq "200 addresses of one domain: one dmarc= entry" 1 "$(ar | grep -o '; dmarc=' | wc -l)"
from $'a@p\xc3\xa4ss.example'
case_ "UTF-8 domain: 0" 0 "${S[@]}"
ascii "UTF-8 domain"
case_ "UTF-8 domain, --reject: a defined status" "$(dm --reject "${S[@]}" <"$IN" >/dev/null 2>&1; echo $?)" --reject "${S[@]}"
expect_match "UTF-8 domain, --reject: 0 or 100 (the A-label's record), no crash" '^(0|100)$' "$(dm --reject "${S[@]}" <"$IN" >/dev/null 2>&1; echo $?)"
from $'a@\xff\xfe.example'
case_ "invalid UTF-8 domain: 0" 0 "${S[@]}"
ascii "invalid UTF-8 domain"
from ''
case_ "empty From: 0" 0 "${S[@]}"
expect_match "empty From: permerror" 'dmarc=permerror' "$(ar)"
case_ "empty From, --reject: 100" 100 --reject "${S[@]}"
for f in '<>' '@' 'a@' '@rej.example' 'a@.example' 'a@rej..example' '<a@rej.example' 'a@rej.example>' '(comment (nested' \
         'a@[192.0.2.1]' "a@$(head -c 300 /dev/zero | tr '\0' l).example" "$(head -c 20000 /dev/zero | tr '\0' a)@rej.example" \
         "$(printf 'a@rej.example\001')" 'group: a@rej.example, b@pass.example;' 'g:;, a@rej.example' "a@rej.example$(head -c 5000 /dev/zero | tr '\0' '(')"; do
    from "$f"
    case_ "From $(printf '%q' "${f:0:40}"): 0" 0 "${S[@]}"
    ascii "From $(printf '%q' "${f:0:40}")"
done
IN=$T/from; printf 'From: a@rej.example\nFrom:\nFrom: "x\nSubject: x\n\nb\n' >"$IN"
case_ "three From fields, two broken: 100 (the stricter)" 100 --reject "${S[@]}"
IN=$T/from; printf 'From: a@pa\000ss.example\nSubject: x\n\nb\n' >"$IN"
case_ "NUL in the From domain: 0" 0 "${S[@]}"
ascii "NUL in the From domain"
IN=$T/from; printf 'From: a@pass.example\r\r\nSubject: x\n\nb\n' >"$IN"
case_ "From ending in CR CR LF: 0" 0 "${S[@]}"

# == Broken _dmarc records.
for d in ctl ctlp nul nulv esc big mid some many manyp two lower badp semis pct; do
    from "a@$d.example"
    case_ "_dmarc record ($d): 0" 0 "${S[@]}"
    ascii "_dmarc record ($d)"
done
# --trace writes on stderr: check it separately, printable.
for d in ctl nul esc big; do
    from "a@$d.example"; dm --trace "${S[@]}" <"$IN" >/dev/null 2>"$T/err"; rc=$?
    expect_eq "_dmarc record ($d), --trace: exit 0, the trace printable ASCII" "0 0" "$rc $(LC_ALL=C grep -c '[^ -~]' "$T/err")"
done
from a@two.example; dm "${S[@]}" <"$IN" >"$T/out"
expect_match "two records: no policy, none" 'dmarc=none header.from=two.example' "$(ar)"
from a@lower.example; dm "${S[@]}" <"$IN" >"$T/out"
expect_match "v=dmarc1: not a record, none" 'dmarc=none header.from=lower.example' "$(ar)"
from a@semis.example; dm "${S[@]}" <"$IN" >"$T/out"
expect_match "empty tags and spaces: p=reject read" 'dmarc=fail \(p=reject dis=none\)' "$(ar)"
# Bounds (dmarc/record): a record over 64 KiB or of more than 1000 tags is
# ignored (no policy), as several records are; records of 10 KB and 2 KB are read.
from a@big.example; case_ "10 KB record, --reject: read, 100" 100 --reject "${S[@]}"
from a@mid.example; case_ "2 KB record, --reject: read, 100" 100 --reject "${S[@]}"
expect_eq "2 KB record: the refusal line fits an SMTP reply" 1 "$(( $(wc -c <"$T/err") <= 512 ))"
from a@many.example; dm "${S[@]}" <"$IN" >"$T/out"
expect_match "1200 unknown tags: over the bound, none" 'dmarc=none header.from=many.example' "$(ar)"
from a@some.example; dm "${S[@]}" <"$IN" >"$T/out"
expect_match "40 unknown tags: ignored, p=quarantine" '\(p=quarantine dis=none\)' "$(ar)"

# == Broken A-R fields in our own block.
m_ar() {  # A-R VALUE...: message with those fields of ours on top into $IN
    IN=$T/ar; : >"$IN"; local v
    for v in "$@"; do printf 'Authentication-Results: %s\n' "$v" >>"$IN"; done
    printf 'From: a@rej.example\nSubject: x\n\nb\n' >>"$IN"
}
big_resinfo=$(for i in $(seq 1 300); do printf '; spf=pass smtp.mailfrom=rej.example'; done)
for v in 'mx.test; spf=pass smtp.mailfrom="rej.example' 'mx.test; spf=pass (unbalanced smtp.mailfrom=rej.example' \
         'mx.test; spf=' 'mx.test; =pass' 'mx.test;' 'mx.test' 'mx.test; none' 'mx.test; spf=pass smtp.mailfrom=' \
         'mx.test; spf=pass smtp.mailfrom=@' 'mx.test; spf=pass smtp.mailfrom=a@' 'mx.test; dkim=pass header.d=' \
         "mx.test; spf=pass smtp.mailfrom=rej.example$(printf '\001')" "mx.test; spf=pass smtp.mailfrom=r$(printf '\303\251')j.example" \
         "mx.test$big_resinfo" "mx.test; spf=pass $(head -c 5000 /dev/zero | tr '\0' '(')" \
         "mx.test; spf=pass smtp.mailfrom=$(head -c 20000 /dev/zero | tr '\0' a).example" \
         "mx.test; $(for i in $(seq 1 30); do printf 'p%d.x=y ' $i; done)" "mx.test; spf=pass $(for i in $(seq 1 30); do printf 'smtp.p%d=y ' $i; done)"; do
    m_ar "$v"
    case_ "our A-R $(printf '%q' "${v:0:50}"): 0" 0
    case_ "our A-R $(printf '%q' "${v:0:50}"), --reject: not a pass (100)" 100 --reject
done
m_ar 'mx.test; spf=pass smtp.mailfrom=rej.example' 'mx.test; spf=pass smtp.mailfrom="broken'
case_ "a good and a broken field of ours: the good one counts (0 with --reject)" 0 --reject
IN=$T/ar; printf 'Authentication-Results: mx.test; spf=pass smtp.mailfrom=rej\000.example\nFrom: a@rej.example\n\nb\n' >"$IN"
case_ "NUL in our A-R: 0" 0
case_ "NUL in our A-R, --reject: 100" 100 --reject

# == NUL bytes, huge header, no header, no body.
IN=$T/nul; printf 'From: a@pass.example\nX: a\000b\nSubject: x\n\nb\000ody\n' >"$IN"
case_ "NUL bytes in the header and body: 0" 0 "${S[@]}"
IN=$T/huge; { printf 'From: a@rej.example\n'; for i in $(seq 1 20000); do printf 'X-Filler-%d: %s\n' $i xxxxxxxxxxxxxxxxxxxx; done
              printf 'Subject: %s\n\nb\n' "$(head -c 1000000 /dev/zero | tr '\0' s)"; } >"$IN"
case_ "a 1.5 MB header of 20001 fields: 0" 0 "${S[@]}"
case_ "a 1.5 MB header, --reject: 100" 100 --reject "${S[@]}"
IN=$T/nohdr; printf '\nbody only\n' >"$IN"
case_ "no header at all: 0" 0 "${S[@]}"
IN=$T/empty; : >"$IN"
case_ "empty input: 0" 0 "${S[@]}"
IN=$T/nobody; printf 'From: a@rej.example' >"$IN"
case_ "a From line without LF, no body: 0" 0 "${S[@]}"
IN=$T/bare; printf 'From: a@rej.example\rSubject: x\r\rb\r' >"$IN"
case_ "bare CR line ends: 0" 0 "${S[@]}"
