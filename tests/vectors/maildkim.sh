# Mail::DKIM's verifier corpus: the RFC 8301 column of the data's README, and
# the RFC 6376 column when sha1 and 512-bit keys are allowed for the test.
. "$(dirname "$0")/../lib.sh"
need_testdata dkim/maildkim
D=$TESTDATA/dkim/maildkim
zones=(--dns-zone "$D/fake.zone" --dns-zone "$TOP/tests/data/maildkim-failures.zone")
# file  RFC-8301-strict  RFC-6376
while read -r f strict legacy; do
    dkimverify --control-dir "$T" --authserv-id t "${zones[@]}" <"$D/$f" >"$T/out"
    expect_eq "maildkim $f (RFC 8301)" "${strict//,/ }" "$(dkim_results "$T/out")"
    dkimverify --control-dir "$T" --authserv-id t "${zones[@]}" --allow-sha1 --min-rsa-bits 512 <"$D/$f" >"$T/out"
    expect_eq "maildkim $f (RFC 6376)" "${legacy//,/ }" "$(dkim_results "$T/out")"
done <<'LIST'
goodkey_ed25519.txt pass pass
badkey1_ed25519.txt permerror permerror
badkey2_ed25519.txt fail fail
badkey3_ed25519.txt fail fail
badkey4_ed25519.txt permerror permerror
badkey5_ed25519.txt permerror permerror
good_83176.txt permerror pass
good_1878523.txt permerror pass
good_rfc4871_4.txt permerror pass
good_qp_1.txt permerror pass
goodkey_3.txt permerror pass
badkey_8.txt permerror pass
badkey_10.txt permerror permerror
badkey_11.txt permerror permerror
badkey_14.txt temperror temperror
badkey_15.txt temperror temperror
ignore_1.txt permerror permerror
ignore_7.txt permerror permerror
ignore_8.txt permerror permerror
multiple_2.txt permerror,permerror,permerror,permerror permerror,pass,fail,permerror
bad_1878954.txt permerror fail
LIST
