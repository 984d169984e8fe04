# spfcheck as an admin runs it, offline (tests/data/spfcheck.zone): the exact
# fields for each result with LF and CRLF input, the modes 0-6 and where the
# mode comes from, refusal texts, local and guess rules, relay clients, the
# HELO identity, forged fields, --check, --record, --trace, file input.
. "$(dirname "$0")/../lib.sh"
C=$T/control; mkdir -p "$C"; echo mx.test >"$C/me"
ZONE=$TOP/tests/data/spfcheck.zone
unset SPFBEHAVIOR SENDER TCPREMOTEIP HELO RELAYCLIENT SMTPAUTHUSER QMAILUSER QMAILHOST
spf() { spfcheck --control-dir "$C" --dns-zone "$ZONE" "$@"; }
printf 'From: a@pass.example\nSubject: hi\n\nbody\n' >"$T/msg"
printf 'From: a@pass.example\r\nSubject: hi\r\n\r\nbody\r\n' >"$T/msg.crlf"

# run_spf NAME STATUS INPUT ARGS...: runs spf on INPUT into $T/out, $T/err
# and checks the exit status.
run_spf() {
    local name=$1 want=$2 in=$3; shift 3
    spf "$@" <"$in" >"$T/out" 2>"$T/err"; local got=$?
    if [ "$got" = "$want" ]; then ok "$name: exit $want"
    else not_ok "$name: exit $want" "exit $got" "$(head -c 300 "$T/err")"; fi
}

# == The fields for each result, byte for byte, LF and CRLF.
cat >"$T/f.pass" <<'EOF'
Received-SPF: pass (mx.test: domain of a@pass.example designates 192.0.2.1 as
	permitted sender) client-ip=192.0.2.1; envelope-from="a@pass.example";
	helo=mail.example.net; receiver=mx.test; identity=mailfrom;
	mechanism="ip4:192.0.2.1";
Authentication-Results: mx.test; spf=pass reason="mechanism ip4:192.0.2.1
	matched" smtp.mailfrom=pass.example
EOF
cat >"$T/f.fail" <<'EOF'
Received-SPF: fail (mx.test: domain of a@fail.example does not designate
	192.0.2.1 as permitted sender) client-ip=192.0.2.1;
	envelope-from="a@fail.example"; helo=mail.example.net;
	receiver=mx.test; identity=mailfrom; mechanism="-all";
Authentication-Results: mx.test; spf=fail reason="mechanism -all matched"
	smtp.mailfrom=fail.example
EOF
cat >"$T/f.softfail" <<'EOF'
Received-SPF: softfail (mx.test: domain of transitioning a@softfail.example
	does not designate 192.0.2.1 as permitted sender) client-ip=192.0.2.1;
	envelope-from="a@softfail.example"; helo=mail.example.net;
	receiver=mx.test; identity=mailfrom; mechanism="~all";
Authentication-Results: mx.test; spf=softfail reason="mechanism ~all matched"
	smtp.mailfrom=softfail.example
EOF
cat >"$T/f.neutral" <<'EOF'
Received-SPF: neutral (mx.test: 192.0.2.1 is neither permitted nor denied by
	domain of a@neutral.example) client-ip=192.0.2.1;
	envelope-from="a@neutral.example"; helo=mail.example.net;
	receiver=mx.test; identity=mailfrom; mechanism="?all";
Authentication-Results: mx.test; spf=neutral reason="mechanism ?all matched"
	smtp.mailfrom=neutral.example
EOF
cat >"$T/f.none" <<'EOF'
Received-SPF: none (mx.test: domain of a@none.example does not designate
	permitted sender hosts) client-ip=192.0.2.1;
	envelope-from="a@none.example"; helo=mail.example.net;
	receiver=mx.test; identity=mailfrom;
Authentication-Results: mx.test; spf=none reason="RFC 7208 4.5: no SPF record
	at \"none.example\"" smtp.mailfrom=none.example
EOF
cat >"$T/f.permerror" <<'EOF'
Received-SPF: permerror (mx.test: permanent error in processing domain of
	a@permerror.example) client-ip=192.0.2.1;
	envelope-from="a@permerror.example"; helo=mail.example.net;
	problem="RFC 7208 4.6.1: unknown mechanism \"bogus:x\"";
	receiver=mx.test; identity=mailfrom;
Authentication-Results: mx.test; spf=permerror reason="RFC 7208 4.6.1: unknown
	mechanism \"bogus:x\"" smtp.mailfrom=permerror.example
EOF
cat >"$T/f.temperror" <<'EOF'
Received-SPF: temperror (mx.test: temporary error in processing during lookup
	of a@temperror.example) client-ip=192.0.2.1;
	envelope-from="a@temperror.example"; helo=mail.example.net;
	problem="RFC 7208 4.4: DNS failure looking up the record of
	\"temperror.example\""; receiver=mx.test; identity=mailfrom;
Authentication-Results: mx.test; spf=temperror reason="RFC 7208 4.4: DNS
	failure looking up the record of \"temperror.example\""
	smtp.mailfrom=temperror.example
EOF
RESULTS="pass fail softfail neutral none permerror temperror"
for r in $RESULTS; do
    cat "$T/f.$r" "$T/msg" >"$T/want"
    run_spf "$r, LF" 0 "$T/msg" --sender "a@$r.example" --ip 192.0.2.1 --helo mail.example.net
    expect_file "$r, LF: the exact fields and the message" "$T/want" "$T/out"
    sed 's/$/\r/' "$T/f.$r" | cat - "$T/msg.crlf" >"$T/want"
    run_spf "$r, CRLF" 0 "$T/msg.crlf" --sender "a@$r.example" --ip 192.0.2.1 --helo mail.example.net
    expect_file "$r, CRLF: our fields end in CRLF too" "$T/want" "$T/out"
done
expect_eq "no line of our fields is longer than 78" "" \
    "$(cat "$T"/f.* | awk 'length($0) > 78')"

# == Modes 0-6 against each result: status, and fields or not.
# Expected status per result, in the order of $RESULTS.
want_mode=(
    "0 0 0 0 0 0 0"
    "0 0 0 0 0 0 0"
    "0 0 0 0 0 0 111"
    "0 100 0 0 0 0 111"
    "0 100 100 0 0 0 111"
    "0 100 100 100 0 0 111"
    "0 100 100 100 100 100 111"
)
for m in 0 1 2 3 4 5 6; do
    got= shape=ok
    for r in $RESULTS; do
        spf --mode $m --sender "a@$r.example" --ip 192.0.2.1 --helo mail.example.net <"$T/msg" >"$T/out" 2>"$T/err"
        rc=$?; got="$got $rc"
        if [ $rc != 0 ]; then
            [ -s "$T/out" ] && shape="$r: exit $rc but stdout written"
        elif [ $m = 0 ]; then
            cmp -s "$T/out" "$T/msg" || shape="$r: not unchanged"
        else
            cat "$T/f.$r" "$T/msg" | cmp -s - "$T/out" || shape="$r: not the fields and the message"
        fi
    done
    expect_eq "mode $m: exit statuses for $RESULTS" "${want_mode[$m]}" "${got# }"
    expect_eq "mode $m: $( [ $m = 0 ] && echo 'message unchanged byte for byte' || echo 'fields written when accepted, nothing when not')" ok "$shape"
done
{ printf 'Received: from attacker\nAuthentication-Results: MX.test; spf=pass smtp.mailfrom=bank.example\n'
  printf 'Authentication-Results: other.example; spf=pass\n'; cat "$T/msg"; } >"$T/forged"
run_spf "mode 0, forged A-R with our id" 0 "$T/forged" --mode 0 --sender a@fail.example --ip 192.0.2.1
expect_file "mode 0: even a forged A-R passes unchanged (nothing is checked)" "$T/forged" "$T/out"
spf --mode 2 --sender a@temperror.example --ip 192.0.2.1 <"$T/msg" 2>"$T/err" >/dev/null
expect_eq "mode 2 temperror: one fatal line naming the domain" \
    'spfcheck: fatal: SPF temperror for "temperror.example": RFC 7208 4.4: DNS failure looking up the record of "temperror.example"; try again later' \
    "$(cat "$T/err")"

# == Where the mode comes from: --mode > $SPFBEHAVIOR > control/spfbehavior > 1.
mode_of() {  # prints the exit status for a fail sender: 0 in modes 1-2, 100 in 3-6
    "$@" --sender a@fail.example --ip 192.0.2.1 <"$T/msg" >"$T/out" 2>"$T/err"; echo $?
}
expect_eq "no mode anywhere: default 1 (fields, exit 0)" "0 1" \
    "$(mode_of spf) $(grep -c '^Received-SPF: fail' "$T/out")"
echo 3 >"$C/spfbehavior"
expect_eq "control/spfbehavior 3: fail refused" 100 "$(mode_of spf)"
expect_eq "SPFBEHAVIOR=1 over control/spfbehavior 3" 0 "$(mode_of env SPFBEHAVIOR=1 spfcheck --control-dir "$C" --dns-zone "$ZONE")"
expect_eq "--mode 1 over SPFBEHAVIOR=3" 0 "$(mode_of env SPFBEHAVIOR=3 spfcheck --control-dir "$C" --dns-zone "$ZONE" --mode 1)"
expect_eq "--mode 3 over SPFBEHAVIOR=1" 100 "$(mode_of env SPFBEHAVIOR=1 spfcheck --control-dir "$C" --dns-zone "$ZONE" --mode 3)"
expect_eq "SPFBEHAVIOR empty: control/spfbehavior counts" 100 "$(mode_of env SPFBEHAVIOR= spfcheck --control-dir "$C" --dns-zone "$ZONE")"
echo 0 >"$C/spfbehavior"
mode_of spf >/dev/null
expect_file "control/spfbehavior 0: unchanged" "$T/msg" "$T/out"
rm "$C/spfbehavior"
# An invalid mode from each source: 111, and the message names the source.
expect_eq "--mode 7: exit 111" 111 "$(mode_of spf --mode 7)"
expect_eq "--mode 7: a usage error naming --mode" "usage: spfcheck: --mode: Value 7 not in range 0 to 6 (see --help)" "$(cat "$T/err")"
expect_eq "--mode -1: exit 111" 111 "$(mode_of spf --mode -1)"
expect_eq "--mode x: exit 111" 111 "$(mode_of spf --mode x)"
expect_match "--mode x: a usage error naming --mode" '^usage: spfcheck: .*--mode' "$(cat "$T/err")"
for v in 7 -1 x 99999999999999999999 +3; do
    expect_eq "SPFBEHAVIOR=$v: exit 111" 111 "$(mode_of env SPFBEHAVIOR="$v" spfcheck --control-dir "$C" --dns-zone "$ZONE")"
    expect_eq "SPFBEHAVIOR=$v: the message names it" "spfcheck: fatal: SPFBEHAVIOR=\"$v\": must be a number from 0 to 6" "$(cat "$T/err")"
    expect_eq "SPFBEHAVIOR=$v: nothing on stdout" 0 "$(wc -c <"$T/out")"
done
echo 7 >"$C/spfbehavior"
expect_eq "control/spfbehavior 7: exit 111" 111 "$(mode_of spf)"
expect_eq "control/spfbehavior 7: the message names the file" "spfcheck: fatal: $C/spfbehavior: must be a number from 0 to 6" "$(cat "$T/err")"
echo x >"$C/spfbehavior"
expect_eq "control/spfbehavior x: exit 111" 111 "$(mode_of spf)"
expect_match "control/spfbehavior x: the message names the file" "^spfcheck: fatal: $C/spfbehavior: " "$(cat "$T/err")"
expect_eq "control/spfbehavior x, overridden by --mode 1: exit 0" 0 "$(mode_of spf --mode 1)"
rm "$C/spfbehavior"

# == The refusal line: exp=, else control/spfexp (macros), else the default.
refusal() { spf --ip 192.0.2.1 --mode "${MODE:-3}" "$@" <"$T/msg" >"$T/out" 2>"$T/err"; echo "$? $(wc -l <"$T/err") $(wc -c <"$T/out")"; }
expect_eq "default explanation: exit 100, one line, nothing on stdout" "100 1 0" "$(refusal --sender bob@fail.example)"
expect_eq "default explanation: text" '5.7.1 SPF fail: See https://www.open-spf.org/Why?s=bob%40fail.example&i=192.0.2.1&r=mx.test' "$(cat "$T/err")"
expect_eq "record's exp=: exit 100, one line" "100 1 0" "$(refusal --sender bob@exp.example)"
expect_eq "record's exp=: its text, macros expanded" '5.7.1 SPF fail: 192.0.2.1 may not send for exp.example (sender bob)' "$(cat "$T/err")"
echo 'Go away %{s} from %{i}, see %{d} %{l}' >"$C/spfexp"
refusal --sender bob@fail.example >/dev/null
expect_eq "control/spfexp: used, macros expanded" '5.7.1 SPF fail: Go away bob@fail.example from 192.0.2.1, see fail.example bob' "$(cat "$T/err")"
refusal --sender bob@exp.example >/dev/null
expect_eq "control/spfexp: the record's exp= still wins" '5.7.1 SPF fail: 192.0.2.1 may not send for exp.example (sender bob)' "$(cat "$T/err")"
refusal --sender bob@fail.example --explanation 'option %{o}' >/dev/null
expect_eq "--explanation over control/spfexp" '5.7.1 SPF fail: option fail.example' "$(cat "$T/err")"
echo 'bad %{z}' >"$C/spfexp"
expect_eq "control/spfexp with a bad macro: exit 111" "111 1 0" "$(refusal --sender bob@fail.example)"
expect_match "control/spfexp with a bad macro: names the file" "^spfcheck: fatal: $C/spfexp: " "$(cat "$T/err")"
rm "$C/spfexp"
MODE=4 refusal --sender a@softfail.example >/dev/null
expect_eq "softfail refused in mode 4: says why, then the explanation" \
    '5.7.1 SPF softfail: mechanism ~all matched; See https://www.open-spf.org/Why?s=a%40softfail.example&i=192.0.2.1&r=mx.test' "$(cat "$T/err")"
MODE=6 refusal --sender a@permerror.example >/dev/null
expect_eq "permerror refused in mode 6: says why" \
    '5.7.1 SPF permerror: RFC 7208 4.6.1: unknown mechanism "bogus:x"; See https://www.open-spf.org/Why?s=a%40permerror.example&i=192.0.2.1&r=mx.test' "$(cat "$T/err")"
# Control characters: in an exp= text from a macro (the sender's local part)
# they are sanitised; an exp= TXT that has them itself is no macro-string
# (RFC 7208 7.1), so it is ignored and the default is used.
expect_eq "exp= with CR, LF, tab, ^A from the sender: exit 100, one line" "100 1 0" \
    "$(refusal --sender $'b\r\nX: y\tz\x01@exp.example')"
expect_eq "exp= with control characters from the sender: sanitised" \
    '5.7.1 SPF fail: 192.0.2.1 may not send for exp.example (sender b X: y z\x01)' "$(cat "$T/err")"
expect_eq "exp= TXT with CR/LF/BEL: one line" "100 1 0" "$(refusal --sender bob@expctl.example)"
expect_eq "exp= TXT with CR/LF/BEL: not a macro-string, the default is used" \
    '5.7.1 SPF fail: See https://www.open-spf.org/Why?s=bob%40expctl.example&i=192.0.2.1&r=mx.test' "$(cat "$T/err")"

# == Local rules: before the final all, at the top level only.
result_of() {  # "RESULT | REASON" of the A-R field
    spf --ip 192.0.2.1 "$@" <"$T/msg" >"$T/out" 2>"$T/err"
    first_ar "$T/out" | sed -E 's/^Authentication-Results: mx\.test; spf=([a-z]+) reason="(([^"\\]|\\.)*)".*/\1 | \2/'
}
expect_eq "--local +ip4 rescues a client the record fails" "pass | local rule ip4:192.0.2.0/24 matched" \
    "$(result_of --sender a@fail.example --local '+ip4:192.0.2.0/24')"
expect_eq "--local: the record's own earlier mechanism still decides first" "pass | mechanism ip4:192.0.2.1 matched" \
    "$(result_of --sender a@pass.example --local '-ip4:192.0.2.1')"
expect_eq "--local 'v=spf1 ...' in front is allowed" "pass | local rule ip4:192.0.2.0/24 matched" \
    "$(result_of --sender a@fail.example --local 'v=spf1 +ip4:192.0.2.0/24')"
echo '+ip4:192.0.2.0/24' >"$C/spfrules"
expect_eq "control/spfrules: the same" "pass | local rule ip4:192.0.2.0/24 matched" "$(result_of --sender a@fail.example)"
printf '%s\n' '-ip4:10.0.0.0/8' '+ip4:192.0.2.0/24' >"$C/spfrules"
expect_eq "control/spfrules over two lines: both rules" "pass | local rule ip4:192.0.2.0/24 matched" "$(result_of --sender a@fail.example)"
expect_eq "--local over control/spfrules" "fail | mechanism -all matched" "$(result_of --sender a@fail.example --local '-ip4:10.0.0.0/8')"
rm "$C/spfrules"
spf --ip 192.0.2.1 --sender a@include.example --local '+ip4:192.0.2.0/24' --trace <"$T/msg" >"$T/out" 2>"$T/err"
expect_eq "local rules with include: matched at the top level, after the include failed" \
    "pass | local rule ip4:192.0.2.0/24 matched" \
    "$(first_ar "$T/out" | sed -E 's/^Authentication-Results: mx\.test; spf=([a-z]+) reason="([^"]*)".*/\1 | \2/')"
expect_eq "local rules with include: tried once, not inside the included record" \
    "term include:fail.example|term ip4:198.51.100.1|term -all|local rule ip4:192.0.2.0/24" \
    "$(sed -nE 's/^spfcheck: trace: ((term|local rule) .*)/\1/p' "$T/err" | paste -sd'|')"
expect_eq "a record without a final all: local rules after its last directive" "fail | local rule -ip4:192.0.2.1 matched" \
    "$(result_of --sender a@noall.example --local '-ip4:192.0.2.1')"
expect_eq "no record: the local rules alone, a match is the result" "pass | local rule ip4:192.0.2.0/24 matched" \
    "$(result_of --sender a@nospf.example --local '+ip4:192.0.2.0/24')"
expect_eq "no record: no local rule matches, none" 'none | RFC 7208 4.4: no SPF record at \"nospf.example\"' \
    "$(result_of --sender a@nospf.example --local '-ip4:10.0.0.0/8')"
expect_eq "TXT that is no SPF record: the local rules alone" "softfail | local rule ~ip4:192.0.2.1 matched" \
    "$(result_of --sender a@none.example --local '~ip4:192.0.2.1')"
echo '+ip4:192.0.2.0/24 exp=why.example.com' >"$C/spfrules"
expect_status "a modifier in control/spfrules: exit 111" 111 spf --ip 192.0.2.1 --sender a@fail.example <"$T/msg"
expect_eq "a modifier in control/spfrules: the message names the file" \
    "spfcheck: fatal: $C/spfrules: local rules: modifier \"exp=\" not allowed, only directives" "$(cat "$T/err")"
rm "$C/spfrules"
expect_status "a modifier in --local: exit 111" 111 spf --ip 192.0.2.1 --sender a@fail.example --local 'redirect=pass.example' <"$T/msg"
expect_eq "a modifier in --local: the message names --local" \
    'spfcheck: fatal: --local: local rules: modifier "redirect=" not allowed, only directives' "$(cat "$T/err")"
expect_status "a syntax error in --local: exit 111" 111 spf --ip 192.0.2.1 --sender a@fail.example --local 'ip4:300.1.1.1' <"$T/msg"
expect_match "a syntax error in --local: names --local" '^spfcheck: fatal: --local: local rules: ' "$(cat "$T/err")"

# == Guess rules: the more permissive of policy and guess (default).
cat >"$T/want" <<'EOF'
Received-SPF: pass (mx.test: domain of a@fail.example designates 192.0.2.1 as
	permitted sender, by the local guess rules) client-ip=192.0.2.1;
	envelope-from="a@fail.example"; receiver=mx.test; identity=mailfrom;
	mechanism="a";
Authentication-Results: mx.test; spf=pass reason="guess rules: mechanism a
	matched" smtp.mailfrom=fail.example
EOF
cat "$T/msg" >>"$T/want"
run_spf "policy fail, guess pass, mode 3" 0 "$T/msg" --mode 3 --sender a@fail.example --ip 192.0.2.1 --guess 'v=spf1 a -all'
expect_file "policy fail, guess pass: pass by the local guess rules, exact fields" "$T/want" "$T/out"
echo 'a -all' >"$C/spfguess"
expect_eq "control/spfguess (no v=spf1): the same" "pass | guess rules: mechanism a matched" "$(result_of --sender a@fail.example)"
rm "$C/spfguess"
expect_eq "policy pass, guess fail: pass from the record" "pass | mechanism ip4:192.0.2.1 matched" \
    "$(result_of --sender a@pass.example --guess 'v=spf1 -all')"
expect_eq "policy pass, guess fail: no guess comment" 0 "$(grep -c 'guess' "$T/out")"
expect_eq "policy neutral, guess fail: neutral" "neutral | mechanism ?all matched" \
    "$(result_of --sender a@neutral.example --guess 'v=spf1 -all')"
expect_eq "policy softfail, guess neutral: neutral by the guess" "neutral | guess rules: mechanism ?all matched" \
    "$(result_of --sender a@softfail.example --guess 'v=spf1 ?all')"
expect_eq "policy fail, guess temperror: fail stays" "fail | mechanism -all matched" \
    "$(result_of --sender a@guesserr.example --guess 'v=spf1 a -all')"
expect_eq "policy none, guess temperror: none stays" 'none | RFC 7208 4.4: no SPF record at \"guessnone.example\"' \
    "$(result_of --sender a@guessnone.example --guess 'v=spf1 a -all' --mode 2)"
expect_eq "policy none, guess temperror, mode 2: not deferred" 0 "$(spf --ip 192.0.2.1 --sender a@guessnone.example --guess 'v=spf1 a -all' --mode 2 <"$T/msg" >/dev/null 2>&1; echo $?)"
expect_eq "policy softfail, guess permerror: softfail stays" "softfail | mechanism ~all matched" \
    "$(result_of --sender a@softfail.example --guess 'v=spf1 include:nospf.example -all')"
expect_status "a syntax error in --guess: exit 111" 111 spf --ip 192.0.2.1 --sender a@fail.example --guess 'v=spf1 bogus' <"$T/msg"
expect_match "a syntax error in --guess: names --guess" '^spfcheck: fatal: --guess: guess rules: ' "$(cat "$T/err")"
echo 'v=spf1 bogus' >"$C/spfguess"
expect_status "a syntax error in control/spfguess: exit 111" 111 spf --ip 192.0.2.1 --sender a@fail.example <"$T/msg"
expect_match "a syntax error in control/spfguess: names the file" "^spfcheck: fatal: $C/spfguess: guess rules: " "$(cat "$T/err")"
rm "$C/spfguess"
# --guess-mode fallback: only when the domain has no record.
expect_eq "fallback: a record exists, the guess is not used" "fail | mechanism -all matched" \
    "$(result_of --sender a@fail.example --guess 'v=spf1 a -all' --guess-mode fallback)"
expect_eq "fallback: no SPF record, the guess decides" "pass | guess rules: mechanism a matched" \
    "$(result_of --sender a@none.example --guess 'v=spf1 a -all' --guess-mode fallback)"
expect_match "fallback: the comment says so" 'by the local guess rules' "$(cat "$T/out")"
expect_eq "fallback: no record, guess temperror: none stays" 'none | RFC 7208 4.4: no SPF record at \"guessnone.example\"' \
    "$(result_of --sender a@guessnone.example --guess 'v=spf1 a -all' --guess-mode fallback)"
expect_status "--guess-mode bogus: exit 111" 111 spf --ip 192.0.2.1 --sender a@fail.example --guess-mode bogus <"$T/msg"
expect_match "--guess-mode bogus: a usage error" '^usage: spfcheck: .*--guess-mode' "$(cat "$T/err")"

# == Relay clients, authenticated senders, no client IP: unchanged.
unchanged() {  # NAME ENV...: mode 6, fail sender
    env "${@:2}" spfcheck --control-dir "$C" --dns-zone "$ZONE" --mode 6 --sender a@fail.example <"$T/msg" >"$T/out" 2>"$T/err"
    local rc=$?
    if [ $rc = 0 ] && cmp -s "$T/out" "$T/msg" && [ ! -s "$T/err" ]; then ok "$1"
    else not_ok "$1" "exit $rc" "$(head -c 300 "$T/err")"; fi
}
unchanged "RELAYCLIENT set (empty): unchanged, no fields, mode 6" RELAYCLIENT= TCPREMOTEIP=192.0.2.1
unchanged "SMTPAUTHUSER=bob: unchanged, no fields, mode 6" SMTPAUTHUSER=bob TCPREMOTEIP=192.0.2.1
unchanged "no client IP at all: unchanged" -u TCPREMOTEIP
expect_status "SMTPAUTHUSER empty: checked, refused in mode 6" 100 env SMTPAUTHUSER= TCPREMOTEIP=192.0.2.1 \
    spfcheck --control-dir "$C" --dns-zone "$ZONE" --mode 6 --sender a@fail.example <"$T/msg"
expect_status "TCPREMOTEIP=192.0.2.1 and SENDER: checked" 0 env TCPREMOTEIP=192.0.2.1 SENDER=a@pass.example \
    spfcheck --control-dir "$C" --dns-zone "$ZONE" --mode 6 <"$T/msg"
expect_match "TCPREMOTEIP and SENDER: used" '^Received-SPF: pass \(mx.test: domain of a@pass.example designates 192.0.2.1 ' "$(cat "$T/out")"
expect_status "TCPREMOTEIP=garbage: exit 111" 111 env TCPREMOTEIP=garbage \
    spfcheck --control-dir "$C" --dns-zone "$ZONE" --sender a@pass.example <"$T/msg"
expect_eq "TCPREMOTEIP=garbage: one line saying so" 'spfcheck: fatal: client IP "garbage" from $TCPREMOTEIP is not an IP address' "$(cat "$T/err")"
expect_eq "TCPREMOTEIP=garbage: nothing on stdout" 0 "$(wc -c <"$T/out")"

# == The null sender: the HELO identity.
cat >"$T/want" <<'EOF'
Received-SPF: fail (mx.test: domain of postmaster@mail.fail.example does not
	designate 192.0.2.1 as permitted sender) client-ip=192.0.2.1;
	envelope-from=""; helo=mail.fail.example; receiver=mx.test;
	identity=helo; mechanism="-all";
Authentication-Results: mx.test; spf=fail reason="mechanism -all matched"
	smtp.helo=mail.fail.example
EOF
cat "$T/msg" >>"$T/want"
run_spf "null sender" 0 "$T/msg" --sender '' --ip 192.0.2.1 --helo mail.fail.example
expect_file "null sender: identity=helo, smtp.helo=, exact fields" "$T/want" "$T/out"
run_spf "null sender written <>" 0 "$T/msg" --sender '<>' --ip 192.0.2.1 --helo mail.fail.example
expect_file "null sender written <>: the same fields as for ''" "$T/want" "$T/out"
run_spf "null sender, HELO fail, mode 3" 100 "$T/msg" --mode 3 --sender '' --ip 192.0.2.1 --helo mail.fail.example
expect_eq "null sender, HELO fail, mode 3: the refusal names the HELO" \
    '5.7.1 SPF fail for HELO mail.fail.example: See https://www.open-spf.org/Why?s=postmaster%40mail.fail.example&i=192.0.2.1&r=mx.test' "$(cat "$T/err")"
run_spf "null sender without HELO" 0 "$T/msg" --sender '' --ip 192.0.2.1
expect_match "null sender without HELO: none" '^Authentication-Results: mx.test; spf=none ' "$(first_ar "$T/out")"
# --helo-check: both identities.
cat >"$T/want" <<'EOF'
Received-SPF: pass (mx.test: domain of postmaster@mail.pass.example designates
	192.0.2.1 as permitted sender) client-ip=192.0.2.1;
	envelope-from="a@pass.example"; helo=mail.pass.example;
	receiver=mx.test; identity=helo; mechanism="ip4:192.0.2.1";
Received-SPF: pass (mx.test: domain of a@pass.example designates 192.0.2.1 as
	permitted sender) client-ip=192.0.2.1; envelope-from="a@pass.example";
	helo=mail.pass.example; receiver=mx.test; identity=mailfrom;
	mechanism="ip4:192.0.2.1";
Authentication-Results: mx.test; spf=pass reason="mechanism ip4:192.0.2.1
	matched" smtp.helo=mail.pass.example; spf=pass reason="mechanism
	ip4:192.0.2.1 matched" smtp.mailfrom=pass.example
EOF
cat "$T/msg" >>"$T/want"
run_spf "--helo-check" 0 "$T/msg" --helo-check --sender a@pass.example --ip 192.0.2.1 --helo mail.pass.example
expect_file "--helo-check: two Received-SPF fields, two spf= entries" "$T/want" "$T/out"
run_spf "--helo-check, HELO fail, MAIL FROM pass, mode 3" 100 "$T/msg" --mode 3 --helo-check --sender a@pass.example --ip 192.0.2.1 --helo mail.fail.example
expect_match "--helo-check, HELO fail: refused for the HELO" '^5\.7\.1 SPF fail for HELO mail\.fail\.example: ' "$(cat "$T/err")"
run_spf "--helo-check, HELO fail, mode 1" 0 "$T/msg" --helo-check --sender a@pass.example --ip 192.0.2.1 --helo mail.fail.example
expect_eq "--helo-check, HELO fail, mode 1: both results" "spf=fail smtp.helo=mail.fail.example spf=pass smtp.mailfrom=pass.example" \
    "$(first_ar "$T/out" | grep -oE 'spf=[a-z]+|smtp\.[a-z]+=[^ ;]+' | paste -sd' ')"

# == Forged Authentication-Results and --check.
run_spf "forged A-R" 0 "$T/forged" --sender a@fail.example --ip 192.0.2.1
expect_eq "forged A-R with our authserv-id below the top: removed" 0 "$(grep -c bank.example "$T/out")"
expect_eq "A-R of another authserv-id: kept" 1 "$(grep -c '^Authentication-Results: other.example; spf=pass$' "$T/out")"
sed '/bank.example/d' "$T/forged" >"$T/want"
expect_eq "forged A-R: the rest of the message unchanged" "" "$(tail -n +7 "$T/out" | cmp - "$T/want" 2>&1)"
run_spf "--check, accepted" 0 "$T/forged" --check --sender a@fail.example --ip 192.0.2.1
expect_eq "--check, accepted: nothing on stdout" 0 "$(wc -c <"$T/out")"
run_spf "--check, mode 3 fail" 100 "$T/msg" --check --mode 3 --sender a@fail.example --ip 192.0.2.1
expect_eq "--check, refused: nothing on stdout" 0 "$(wc -c <"$T/out")"
expect_match "--check, refused: the 5.7.1 line" '^5\.7\.1 SPF fail: ' "$(cat "$T/err")"
run_spf "--check, mode 2 temperror" 111 "$T/msg" --check --mode 2 --sender a@temperror.example --ip 192.0.2.1

# == --record and --trace.
expect_eq "--record: the given record, not DNS" "pass | mechanism ip4:192.0.2.0/28 matched" \
    "$(result_of --sender a@nospf.example --record 'v=spf1 ip4:192.0.2.0/28 -all')"
expect_eq "--record over a published record" "fail | mechanism -all matched" \
    "$(result_of --sender a@pass.example --record 'v=spf1 -all')"
expect_status "--record with a syntax error: exit 111" 111 spf --ip 192.0.2.1 --sender a@pass.example --record 'v=spf1 bogus' <"$T/msg"
expect_match "--record with a syntax error: names --record" '^spfcheck: fatal: --record: ' "$(cat "$T/err")"
spf --ip 192.0.2.1 --sender a@include.example --helo mail.example.net <"$T/msg" >"$T/plain" 2>/dev/null
spf --ip 192.0.2.1 --sender a@include.example --helo mail.example.net --trace <"$T/msg" >"$T/out" 2>"$T/err"
expect_file "--trace: stdout the same as without it" "$T/plain" "$T/out"
expect_eq "--trace: every stderr line is a trace line" "" "$(grep -v '^spfcheck: trace: ' "$T/err")"
expect_match "--trace: the DNS queries and answers" '^spfcheck: trace: dns fail\.example TXT: answer: v=spf1 ip4:198\.51\.100\.1 -all$' "$(cat "$T/err")"
expect_match "--trace: the term counter" '^spfcheck: trace: limits: 1 of 10 DNS-querying terms$' "$(cat "$T/err")"
expect_match "--trace: the result with the counters" '^spfcheck: trace: result fail: mechanism -all matched \(1 DNS-querying terms, 0 void lookups\)$' "$(cat "$T/err")"
spf --ip 192.0.2.1 --sender a@neutral.example --guess 'v=spf1 a -all' --trace <"$T/msg" >/dev/null 2>"$T/err"
expect_match "--trace: the void lookup counter" '^spfcheck: trace: limits: 1 of 2 void lookups$' "$(cat "$T/err")"
expect_match "--trace: the guess rules" '^spfcheck: trace: guess rules: v=spf1 a -all$' "$(cat "$T/err")"
spf --ip 192.0.2.1 --sender a@temperror.example --trace <"$T/msg" >/dev/null 2>"$T/err"
expect_match "--trace: a DNS failure" '^spfcheck: trace: dns temperror\.example TXT: temporary failure: ' "$(cat "$T/err")"
expect_eq "--check --trace: nothing on stdout" 0 "$(spf --check --trace --ip 192.0.2.1 --sender a@include.example <"$T/msg" 2>/dev/null | wc -c)"

# == File input and pipe input give the same bytes.
printf 'From: a@pass.example\n\n' >"$T/nobody"
printf 'From: a@pass.example\nSubject: no end of line' >"$T/noeol"
: >"$T/empty"
{ cat "$T/msg"; head -c 300000 /dev/zero | tr '\0' 'z' | fold -w 70; } >"$T/big"
for f in msg msg.crlf nobody noeol empty forged big; do
    for args in "--sender a@pass.example" "--sender a@fail.example --helo-check --helo mail.fail.example"; do
        spf --ip 192.0.2.1 $args <"$T/$f" >"$T/from-file" 2>/dev/null; a=$?
        cat "$T/$f" | spf --ip 192.0.2.1 $args >"$T/from-pipe" 2>/dev/null; b=$?
        if [ $a = 0 ] && [ $b = 0 ] && cmp -s "$T/from-file" "$T/from-pipe"; then ok "$f ($args): file and pipe give the same bytes"
        else not_ok "$f ($args): file and pipe give the same bytes" "file: exit $a, pipe: exit $b"; fi
    done
done
