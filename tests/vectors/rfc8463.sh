# RFC 8463 Appendix A: both signatures pass, LF and CRLF, with the exact
# Authentication-Results the README of the test data gives.
. "$(dirname "$0")/../lib.sh"
need_testdata dkim/rfc8463.zone dkim/rfc8463-signed.lf.eml dkim/rfc8463-signed.crlf.eml
D=$TESTDATA/dkim
want='Authentication-Results: test.example; dkim=pass header.d=football.example.com header.i=@football.example.com header.s=brisbane header.a=ed25519-sha256 header.b=/gCrinpc; dkim=pass header.d=football.example.com header.i=@football.example.com header.s=test header.a=rsa-sha256 header.b=F45dVWDf'
want=${want//header.b=\/gCrinpc/header.b=\"\/gCrinpc\"}
for f in lf crlf; do
    dkimverify --control-dir "$T" --authserv-id test.example --dns-zone "$D/rfc8463.zone" \
        <"$D/rfc8463-signed.$f.eml" >"$T/out.$f"
    expect_eq "rfc8463 $f: exit 0" 0 $?
    expect_eq "rfc8463 $f: A-R" "$want" "$(first_ar "$T/out.$f")"
    # Everything after our field is the input, byte for byte.
    tail -c "$(wc -c <"$D/rfc8463-signed.$f.eml")" "$T/out.$f" | cmp -s - "$D/rfc8463-signed.$f.eml"
    expect_eq "rfc8463 $f: message unchanged below the A-R" 0 $?
    expect_status_in "rfc8463 $f: --check passes" 0 "$D/rfc8463-signed.$f.eml" \
        dkimverify --check --control-dir "$T" --dns-zone "$D/rfc8463.zone"
done
grep -q $'\r$' "$T/out.crlf" && ! grep -qv $'\r$' "$T/out.crlf"
expect_eq "rfc8463 crlf: our field uses CRLF like the input" 0 $?
