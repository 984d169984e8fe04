# The qmail-authqueue part of scripts/bench (sourced by it; uses its B, bin,
# RUNS, record, fig, say, M, ratio and target): the whole incoming chain
# (spfcheck, dkimverify, dmarccheck, zone-file DNS) per message, run by
# qmail-authqueue as qmail-smtpd runs it (message on fd 0, envelope on fd 1,
# $TCPREMOTEIP set), beside the same three filters run by a /bin/sh wrapper
# of the kind README showed before qmail-authqueue (temporary files, a pipe
# of the filters, the exit statuses mapped). qmail-qfilter is not packaged
# for Debian; the shell wrapper is its stand-in here. The next qmail-queue
# is /bin/true for both. Per runner: callgrind's instructions summed over
# every process of one run (--trace-children=yes: the wrapper, the filters,
# the shell and its tools), and the mean wall time of RUNS x 4 runs; the
# message (10 KB, Ed25519-signed by qmail-dkimsign, SPF pass) must come out
# with spf=pass, dkim=pass and dmarc=pass, or the run is reported FAILED.

aq_setup() {
    A=$B/aq; mkdir -p "$A/ctl/authqueue" "$A/sign"
    echo bench >"$A/ctl/me"
    "$bin/dkimkeygen" --control-dir "$A/sign" --type ed25519 --selector s1 aq.bench >"$A/zone" 2>"$B/err" ||
        { say "authqueue: dkimkeygen: $(cat "$B/err")"; FAILED=1; return 1; }
    printf '%s\n' 'aq.bench. IN TXT "v=spf1 ip4:192.0.2.0/24 -all"' '_dmarc.aq.bench. IN TXT "v=DMARC1; p=reject"' >>"$A/zone"
    { echo 'From: Bench <a@aq.bench>'; sed '1,/^$/d' "$B/10k.eml" | sed '1i Subject: authqueue bench\n'; } |
        "$bin/qmail-dkimsign" --control-dir "$A/sign" --selector s1 >"$A/msg" 2>"$B/err" ||
        { say "authqueue: qmail-dkimsign: $(cat "$B/err")"; FAILED=1; return 1; }
    printf 'Fa@aq.bench\0Tb@bench\0\0' >"$A/env"
    local z="--dns-zone $A/zone"
    printf '%s\n' "$bin/spfcheck --helo h.aq.bench $z" "$bin/dkimverify $z" "$bin/dmarccheck $z" >"$A/ctl/authqueue/incoming"
    # The same three as a shell wrapper, next qmail-queue /bin/true.
    cat >"$A/shwrap" <<SH
#!/bin/sh
d=\$(mktemp -d) || exit 71
trap 'rm -rf "\$d"' EXIT
cat >"\$d/m" || exit 71
cat <&1 >"\$d/e" || exit 71
SENDER=\$(tr '\\0' '\\n' <"\$d/e" | sed -n '1s/^F//p'); export SENDER
$bin/spfcheck --helo h.aq.bench $z <"\$d/m" >"\$d/1" && $bin/dkimverify $z <"\$d/1" >"\$d/2" &&
    $bin/dmarccheck $z <"\$d/2" >"\$d/3"
case \$? in 0) ;; 100) exit 31 ;; *) exit 71 ;; esac
exec \${AUTHQUEUE_NEXT:-/bin/true} <"\$d/3" 1<"\$d/e"
SH
    chmod 755 "$A/shwrap"
    # What reaches the next qmail-queue, to check the work was done.
    printf '#!/bin/sh\ncat >"%s/out"\n' "$A" >"$A/next-record"; chmod 755 "$A/next-record"
}

# aq_cmd RUNNER [NEXT [PREFIX]]: the command line for bash -c, the next
# qmail-queue NEXT (default /bin/true), PREFIX (valgrind ...) before the program.
aq_cmd() {
    local prog=$bin/qmail-authqueue
    [ "$1" = sh ] && prog=$A/shwrap
    printf 'QMAIL_CONTROL=%q TCPREMOTEIP=192.0.2.1 AUTHQUEUE_NEXT=%q %s %q <%q 1<%q' \
        "$A/ctl" "${2:-/bin/true}" "${3:-}" "$prog" "$A/msg" "$A/env"
}

# aq_ir RUNNER NEXT [VALGRIND-OPTIONS]: callgrind's instructions summed over
# every process (each logs to its own file: a filter's stderr is the wrapper's
# pipe, and an exec keeps the pid, hence the sequence number %n).
aq_ir() {
    rm -f "$A"/vg.*
    bash -c "$(aq_cmd "$1" "$2" "valgrind --tool=callgrind --callgrind-out-file=/dev/null --log-file=$A/vg.%p.%n ${3:-}")" >/dev/null 2>&1
    cat "$A"/vg.* 2>/dev/null | sed -n 's/.*Collected : \([0-9]*\).*/\1/p' | awk '{ s += $1; c++ } END { if (c) print s }'
}

aq_measure() {
    local runner cmd n runs=$((RUNS * 4))
    [ -x "$bin/qmail-authqueue" ] && [ -x "$bin/spfcheck" ] || { say "authqueue: qmail-authqueue or spfcheck not built: skipped"; return; }
    aq_setup || return
    for runner in authqueue sh; do
        rm -f "$A/out"
        bash -c "$(aq_cmd "$runner" "$A/next-record")" 2>"$B/err"
        if ! { grep -q 'spf=pass' "$A/out" && grep -q 'dkim=pass' "$A/out" && grep -q 'dmarc=pass' "$A/out"; } 2>/dev/null; then
            say "authqueue $runner: the chain did not pass the message: $(head -c 300 "$B/err")"
            record "aq.$runner.ir" FAILED; FAILED=1; continue
        fi
        n=$(aq_ir "$runner" /bin/true --trace-children=yes)
        record "aq.$runner.ir" "${n:-n/a}"
        cmd=$(aq_cmd "$runner")
        record "aq.$runner.ms" "$(bash -c "s=\$(date +%s%N); for i in \$(seq $runs); do ($cmd) >/dev/null 2>&1; done; e=\$(date +%s%N); echo \$(( (e - s) / $runs / 10000 ))" |
            awk '{ printf "%.2f\n", $1 / 100 }')"
    done
    # The wrapper alone, up to its exec (a next qmail-queue that does not
    # exist ends it there): an empty chain, which execs the next qmail-queue
    # at once, and one filter (cat, not counted), which shows the spool,
    # envelope and fork/exec path.
    : >"$A/ctl/authqueue/incoming"
    record aq.empty.ir "$(aq_ir authqueue /nonexistent)"
    echo cat >"$A/ctl/authqueue/incoming"
    record aq.cat.ir "$(aq_ir authqueue /nonexistent)"
}

aq_report() {
    printf '\n-- qmail-authqueue: the incoming chain (spfcheck, dkimverify, dmarccheck; zone file), 10 KB signed message\n'
    printf '  %-52s %14s %9s\n' "" "instructions" "ms"
    printf '  %-52s %14s %9s\n' "qmail-authqueue, chain in control/authqueue/incoming" "$(M "$(fig aq.authqueue.ir)")" "$(fig aq.authqueue.ms)"
    printf '  %-52s %14s %9s\n' "/bin/sh wrapper, the same filters (qmail-qfilter's place)" "$(M "$(fig aq.sh.ir)")" "$(fig aq.sh.ms)"
    printf '  %-52s %14s\n' "qmail-authqueue alone, empty chain (up to the exec)" "$(M "$(fig aq.empty.ir)")"
    printf '  %-52s %14s\n' "qmail-authqueue alone, chain 'cat' (cat not counted)" "$(M "$(fig aq.cat.ir)")"
    printf '  (instructions: every process of one run; ms: mean wall time per message)\n'
}

aq_targets() {
    target "incoming chain through qmail-authqueue, instructions (M)" "$(ratio "$(fig aq.authqueue.ir)" 1000000)" le 30
    target "incoming chain through qmail-authqueue, wall ms" "$(fig aq.authqueue.ms)" le 15 \
        "sh wrapper: $(fig aq.sh.ms)"
}
