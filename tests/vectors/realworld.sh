# Five real-world signed messages: every signature passes at the reference
# time of the data's README; 005's x= has expired by now.
. "$(dirname "$0")/../lib.sh"
need_testdata dkim/realworld
D=$TESTDATA/dkim/realworld
for n in 002 003 004 005 006; do
    sigs=$(grep -ci '^DKIM-Signature:' "$D/$n.eml")
    want=$(yes pass | head -n "$sigs" | tr '\n' ' ' | sed 's/ $//')
    dkimverify --control-dir "$T" --authserv-id t --dns-zone "$D/dns.zone" --now 1667843664 <"$D/$n.eml" >"$T/out"
    expect_eq "realworld $n: $sigs signature(s) pass" "$want" "$(dkim_results "$T/out")"
done
dkimverify --control-dir "$T" --authserv-id t --dns-zone "$D/dns.zone" <"$D/005.eml" >"$T/out"
expect_eq "realworld 005 today: expired x= is permerror" "permerror" "$(dkim_results "$T/out")"
expect_match "realworld 005 today: reason names x=" 'reason="RFC 6376 3.5: signature expired' "$(first_ar "$T/out")"
