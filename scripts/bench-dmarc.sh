# The DMARC part of scripts/bench (sourced by it; uses its B, bin, RUNS,
# record, fig, say, M, ratio and target): dmarccheck per message with
# zone-file DNS (--dns-zone), beside `opendmarc -t` (OpenDMARC's test mode,
# the milter's code run on a file) on the same messages, which can only use
# the system resolver: NSD on loopback inside dns_private (tests/lib-dns.sh).
#
# Per case and tool: the decision (dmarccheck --reject: exit 0 or 100;
# opendmarc -v: SMFIS_ACCEPT or SMFIS_REJECT; the two must agree, or the case
# is reported FAILED), callgrind's instructions of one run and the mean wall
# time of RUNS x 4 runs. The SPF and DKIM results come in Authentication-
# Results fields of our authserv-id, as spfcheck and dkimverify leave them
# (OpenDMARC's TrustedAuthservIDs), except in "compute", where dmarccheck
# checks SPF and verifies the Ed25519 signature itself (OpenDMARC cannot).

# name:opendmarc?:dmarccheck options
DMARC_CASES="pass:yes:
fail-reject:yes:
pass-psl:yes:--discovery psl
sub-org:yes:
compute:no:--ip 192.0.2.1 --sender a@pass.bench --helo h.bench"

dmarc_zone() {
    cat <<'Z'
pass.bench.          IN TXT "v=spf1 ip4:192.0.2.0/24 -all"
_dmarc.pass.bench.   IN TXT "v=DMARC1; p=reject; rua=mailto:d@pass.bench"
_dmarc.fail.bench.   IN TXT "v=DMARC1; p=reject"
_dmarc.org.bench.    IN TXT "v=DMARC1; p=quarantine; sp=reject"
Z
    cat "$B/dmarc-keys.zone"
}

# dmarc_msg CASE: the message of a case on stdout.
dmarc_msg() {
    local from=pass.bench spf=pass dkim=pass
    case $1 in
        fail-reject) from=fail.bench spf=fail dkim=fail ;;
        sub-org) from=a.b.org.bench ;;
    esac
    if [ "$1" = compute ]; then
        "$bin/qmail-dkimsign" --control-dir "$B/dmarc-ctl" <"$B/dmarc-body"
        return
    fi
    printf 'Authentication-Results: bench; spf=%s smtp.mailfrom=%s\n' "$spf" "$from"
    printf 'Authentication-Results: bench; dkim=%s header.d=%s header.s=s\n' "$dkim" "$from"
    sed "s/@pass\.bench/@$from/" "$B/dmarc-body"
}

# dmarc_cmd TOOL CASE OPTIONS: the command line that checks the case's
# message, for bash -c inside dns_private (environment assignments first, so
# that callgrind can go in front of the program).
dmarc_cmd() {
    case $1 in
        qauth) printf '%q --control-dir %q --dns-zone %q --reject %s <%q' \
            "$bin/dmarccheck" "$B/dmarc-ctl" "$B/dmarc.zone" "$3" "$B/dmarc-$2.eml" ;;
        opendmarc) printf 'export OPENDMARC_TEST_ENVFROM=a@pass.bench OPENDMARC_TEST_CLIENTIP=192.0.2.1 OPENDMARC_TEST_HELOHOST=h.bench; /usr/sbin/opendmarc -v -c %q -t %q' \
            "$B/opendmarc.conf" "$B/dmarc-$2.eml" ;;
    esac
}

# dmarc_decision TOOL CMD: "accept" or "reject" (anything else: what went wrong).
dmarc_decision() {
    local out rc
    out=$(dns_private bash -c "$2 2>&1 >/dev/null"); rc=$?
    case $1 in
        qauth) case $rc in 0) echo accept ;; 100) echo reject ;; *) echo "exit-$rc" ;; esac ;;
        opendmarc) sed -n 's/.*returned SMFIS_\([A-Z]*\).*/\1/p' <<<"$out" | tr A-Z a-z ;;
    esac
}

dmarc_measure() {
    local name peer opts tool cmd n runs=$((RUNS * 4))
    mkdir -p "$B/dmarc-ctl" && echo bench >"$B/dmarc-ctl/me"
    "$bin/dkimkeygen" --control-dir "$B/dmarc-ctl" --type ed25519 pass.bench >"$B/dmarc-keys.zone" 2>"$B/err" ||
        { say "dmarc: dkimkeygen: $(cat "$B/err")"; FAILED=1; return; }
    { echo 'From: Bench <a@pass.bench>'; sed '1,/^$/d' "$B/10k.eml" | sed '1i Subject: dmarc bench\n'; } >"$B/dmarc-body"
    dmarc_zone >"$B/dmarc.zone"
    printf '%s\n' "AuthservID bench" "TrustedAuthservIDs bench" "RejectFailures true" "SPFSelfValidate false" \
        "PublicSuffixList /usr/share/publicsuffix/public_suffix_list.dat" >"$B/opendmarc.conf"
    dns_start "$B/dmarc.zone" 2>"$B/err" || { say "dmarc: NSD did not start: $(cat "$B/err")"; FAILED=1; return; }
    while IFS=: read -r name peer opts; do
        dmarc_msg "$name" >"$B/dmarc-$name.eml"
        for tool in qauth opendmarc; do
            if [ "$tool" = opendmarc ] && { [ "$peer" != yes ] || [ ! -x /usr/sbin/opendmarc ]; }; then continue; fi
            cmd=$(dmarc_cmd "$tool" "$name" "$opts")
            record "dmarc.$name.$tool.result" "$(dmarc_decision "$tool" "$cmd")"
            n=$(dns_private bash -c "${cmd%%/*}valgrind --tool=callgrind --callgrind-out-file=/dev/null /${cmd#*/} 2>&1 >/dev/null" |
                sed -n 's/.*Collected : \([0-9]*\).*/\1/p' | tail -n1)
            record "dmarc.$name.$tool.ir" "${n:-n/a}"
            record "dmarc.$name.$tool.ms" "$(dns_private bash -c "s=\$(date +%s%N); for i in \$(seq $runs); do ($cmd) >/dev/null 2>&1; done; e=\$(date +%s%N); echo \$(( (e - s) / $runs / 10000 ))" |
                awk '{ printf "%.2f\n", $1 / 100 }')"
        done
        if [ "$peer" = yes ] && [ -x /usr/sbin/opendmarc ] &&
            [ "$(fig "dmarc.$name.qauth.result")" != "$(fig "dmarc.$name.opendmarc.result")" ]; then
            say "dmarc $name: decisions differ: dmarccheck $(fig "dmarc.$name.qauth.result"), opendmarc $(fig "dmarc.$name.opendmarc.result")"
            FAILED=1
        fi
    done <<<"$DMARC_CASES"
    dns_stop
}

dmarc_report() {
    local name peer opts tool
    printf '\n-- DMARC: dmarccheck (zone file) and opendmarc -t (NSD on loopback), 10 KB message\n'
    printf '  %-12s %-7s | %-22s | %-22s\n' "" "" "instructions  ms" "opendmarc -t"
    while IFS=: read -r name peer opts; do
        printf '  %-12s %-7s' "$name" "$(fig "dmarc.$name.qauth.result")"
        for tool in qauth opendmarc; do
            printf ' | %12s %8s' "$(M "$(fig "dmarc.$name.$tool.ir")")" "$(fig "dmarc.$name.$tool.ms")"
        done
        printf '\n'
    done <<<"$DMARC_CASES"
    printf '  (ms: mean wall time per message, the loop run in a subshell each time for both;\n'
    printf '  compute: dmarccheck checks SPF and verifies an Ed25519 signature itself)\n'
}

dmarc_targets() {
    local name peer opts n most=0
    while IFS=: read -r name peer opts; do
        n=$(fig "dmarc.$name.qauth.ir")
        case $n in *[!0-9]* | "") most=n/a ;; *) [ "$most" != n/a ] && [ "$n" -gt "$most" ] && most=$n ;; esac
    done <<<"$DMARC_CASES"
    target "dmarccheck instructions per message, largest case (M)" "$(ratio "$most" 1000000)" le 10
}
