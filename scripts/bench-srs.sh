# The SRS part of scripts/bench (sourced by it; uses its B, bin, sbin, RUNS,
# record, fig, say, M, ratio and target): srsfilter --rewrite and --reverse
# against Mail::SRS's command srs (libmail-srs-perl), one address per
# process, as a .qmail line or a script runs them.
#
# Per tool and direction: the result (srsfilter's must equal srs's, or the
# case is reported FAILED), callgrind's instructions of one run (the
# default build and the LINK=static one), and the mean wall time of
# RUNS x 20 runs. srsfilter reads its settings from a control directory
# (srs_domain, srs_secrets, rcpthosts, locals), srs takes them as options.
# Both use the clock, so the address to reverse is minted just before.

SRS_SENDER=Some.User@example.com

# srs_ir KEY CMD...: callgrind's Ir of one run of CMD
srs_ir() {
    local key=$1 n
    shift
    n=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
    record "$key" "${n:-n/a}"
}
# srs_ms KEY N CMD...: mean wall milliseconds of N runs of CMD
srs_ms() {
    local key=$1 n=$2 s e
    shift 2
    s=$EPOCHREALTIME; for _ in $(seq "$n"); do "$@" >/dev/null 2>&1; done; e=$EPOCHREALTIME
    record "$key" "$(awk -v s="$s" -v e="$e" -v n="$n" 'BEGIN { printf "%.2f\n", (e - s) * 1000 / n }')"
}

srs_measure() {
    local d build k minted
    if ! command -v srs >/dev/null 2>&1; then say "srs: Mail::SRS's srs is missing (scripts/install-deps)"; FAILED=1; return; fi
    mkdir -p "$B/srsctl"
    echo srs.bench >"$B/srsctl/srs_domain"
    (umask 077 && printf 'bench secret\n' >"$B/srsctl/srs_secrets")
    printf 'ours.bench\n.sub.ours.bench\n' >"$B/srsctl/rcpthosts"
    echo localhost >"$B/srsctl/locals"
    local peer_fwd=(srs "--secret=bench secret" --alias=srs.bench "$SRS_SENDER")
    record srs.fwd.peer.result "$("${peer_fwd[@]}" 2>/dev/null)"
    minted=$(fig srs.fwd.peer.result)
    local peer_rev=(srs "--secret=bench secret" --reverse "$minted")
    record srs.rev.peer.result "$("${peer_rev[@]}" 2>/dev/null)"
    for build in default static; do
        d=$bin; [ $build = static ] && d=${sbin:-}
        [ -n "$d" ] && [ -x "$d/srsfilter" ] || continue
        local fwd=("$d/srsfilter" --control-dir "$B/srsctl" --rewrite "$SRS_SENDER")
        local rev=("$d/srsfilter" --control-dir "$B/srsctl" --reverse "$minted")
        record "srs.fwd.$build.result" "$("${fwd[@]}" 2>/dev/null)"
        record "srs.rev.$build.result" "$("${rev[@]}" 2>/dev/null)"
        for k in fwd rev; do
            if [ "$(fig "srs.$k.$build.result")" != "$(fig "srs.$k.peer.result")" ]; then
                say "srs $k ($build): srsfilter gave $(fig "srs.$k.$build.result"), srs $(fig "srs.$k.peer.result")"
                FAILED=1
            fi
        done
        srs_ir "srs.fwd.$build.ir" "${fwd[@]}"
        srs_ir "srs.rev.$build.ir" "${rev[@]}"
        if [ $build = default ]; then
            srs_ms srs.fwd.default.ms $((RUNS * 20)) "${fwd[@]}"
            srs_ms srs.rev.default.ms $((RUNS * 20)) "${rev[@]}"
        fi
    done
    srs_ir srs.fwd.peer.ir "${peer_fwd[@]}"
    srs_ir srs.rev.peer.ir "${peer_rev[@]}"
    srs_ms srs.fwd.peer.ms $((RUNS * 4)) "${peer_fwd[@]}"
    srs_ms srs.rev.peer.ms $((RUNS * 4)) "${peer_rev[@]}"
}

srs_report() {
    local k
    printf '\n-- SRS: srsfilter against Mail::SRS srs, one address per process (callgrind Ir of one run; wall ms mean)\n'
    printf '  %-30s %16s %16s %16s %9s %9s\n' "" "srsfilter" "LINK=static" "Mail::SRS srs" "ms" "srs ms"
    for k in fwd:"--rewrite $SRS_SENDER" rev:"--reverse of it"; do
        printf '  %-30s %16s %16s %16s %9s %9s\n' "${k#*:}" "$(M "$(fig "srs.${k%%:*}.default.ir")")" \
            "$(M "$(fig "srs.${k%%:*}.static.ir")")" "$(M "$(fig "srs.${k%%:*}.peer.ir")")" \
            "$(fig "srs.${k%%:*}.default.ms")" "$(fig "srs.${k%%:*}.peer.ms")"
    done
    printf '  results: %s / %s\n' "$(fig srs.fwd.default.result)" "$(fig srs.rev.default.result)"
}

srs_targets() {
    target "Mail::SRS srs/srsfilter instructions, --rewrite" "$(ratio "$(fig srs.fwd.peer.ir)" "$(fig srs.fwd.default.ir)")" ge 10
    target "Mail::SRS srs/srsfilter instructions, --reverse" "$(ratio "$(fig srs.rev.peer.ir)" "$(fig srs.rev.default.ir)")" ge 10
}
