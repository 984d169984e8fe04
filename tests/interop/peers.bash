# The machinery of the peer-agreement suites (spf-peers.sh, dmarc-peers.sh;
# sourced, not a suite itself): a spec of cases in $T/spec, the peers found
# installed, and one TAP line per case from our answer and each peer's.
# The spec's line kinds each suite uses: C (a case and its RFC answer), D
# (NAME | PEER | ANSWER | why: a peer's known wrong answer, with the RFC
# section), B (NAME | OUR-ANSWER | why: a known bug of ours), and its own.

# spec KIND: the KIND lines of the spec, without the kind, fields joined by '|'
# without the spaces around them.
spec() { grep -E "^$1 *\|" "$T/spec" | sed -E 's/^[A-Z] *\| *//; s/ *\| */|/g; s/ +$//'; }

# check_spec MIN KINDS PEER-KINDS PEERS: the spec's own tests: $T/cases
# (NAME|... a line) has at least MIN cases with unique names, every line of
# each of the KINDS names a case, every line of the PEER-KINDS names one of
# the PEERS (a grep -E pattern, e.g. 'pyspf|libspf2') in its second field.
check_spec() {
    local min=$1 kinds=$2 peer_kinds=$3 re=$4 k unknown n
    n=$(wc -l <"$T/cases")
    expect_eq "spec: at least $min cases, names unique" "yes 0" \
        "$([ "$n" -ge "$min" ] && echo yes || echo "$n") $(cut -d'|' -f1 "$T/cases" | sort | uniq -d | wc -l)"
    for k in $kinds; do
        unknown=$(spec "$k" | cut -d'|' -f1 | sort -u | grep -vxF -f <(cut -d'|' -f1 "$T/cases"))
        expect_eq "spec: every $k line names a case" "" "$unknown"
    done
    expect_eq "spec: every ${peer_kinds// / and } line names ${re//|/ or }" "" \
        "$(for k in $peer_kinds; do spec "$k"; done | cut -d'|' -f2 | sort -u | grep -vxE "$re")"
}

# have_peer NAME CHECK...: adds NAME to $peers when CHECK succeeds, else
# prints the note scripts/run-tests shows ("# missing peer: ...") and adds
# it to $missing_peers; in CI (CI=true or QAUTH_REQUIRE_TESTDATA=1) a
# missing peer is a failed case.
peers= missing_peers=
require_peers=; { [ "${CI:-}" = true ] || [ "${QAUTH_REQUIRE_TESTDATA:-}" = 1 ]; } && require_peers=1
have_peer() {
    local name=$1; shift
    if "$@" >/dev/null 2>&1; then peers="$peers $name"; return 0; fi
    printf '# missing peer: %s (scripts/install-deps installs it)\n' "$name"
    missing_peers="$missing_peers $name"
    if [ -n "$require_peers" ]; then not_ok "peer $name installed (required: CI=true or QAUTH_REQUIRE_TESTDATA=1)"; fi
    return 1
}

# compare_peers NAME WANT: for each PEER of $peers, adds
# its answer res[PEER,NAME] and what it must be to $actual and $expected:
# the answer listed[NAME,PEER] ("ANSWER|why", from a D line) when there is
# one, else WANT as peer_want PEER WANT prints it (when the suite defines
# peer_want: what of WANT the peer reports), else WANT. Counts in
# agree[PEER] the cases where the peer gave WANT; adds the why of each
# listed answer to the array notes and the peer's name to $mark.
compare_peers() {
    local name=$1 w=$2 p pw got l
    for p in $peers; do
        pw=$w; if declare -F peer_want >/dev/null; then pw=$(peer_want "$p" "$w"); fi
        got=${res[$p,$name]:-no-answer} l=${listed[$name,$p]:-}
        [ "$got" = "$pw" ] && agree[$p]=$((${agree[$p]:-0} + 1))
        [ -z "$l" ] || pw=${l%%|*}
        expected="$expected $p=[$pw]" actual="$actual $p=[$got]"
        [ -z "$l" ] || notes+=("$p listed: ${l#*|}") mark="$mark $p"
    done
}

# verdict NAME WHAT OURS WANT TOOL RFC TRACE: the TAP line of a case, from
# $expected and $actual (compare_peers), $notes and $mark. A B line
# (bug[NAME] = "OUR-ANSWER|why") fails whatever happens: with the bug's
# answer it says so, without it asks for the B line to go. TRACE is the
# command that explains our answer, shown on a failure.
verdict() {
    local name=$1 what=$2 ours=$3 w=$4 tool=$5 rfc=$6 trace=$7 b
    if [ -n "${bug[$name]:-}" ]; then
        b=${bug[$name]}
        if [ "$ours" = "${b%%|*}" ]; then
            not_ok "$what: known bug of $tool: ${b%%|*}, $rfc says $w" "${b#*|}" "actual:   $actual"
        else
            not_ok "$what: the known bug (${b%%|*}) is gone: remove the B line" "expected: $expected" "actual:   $actual"
        fi
    elif [ "$expected" = "$actual" ]; then
        ok "$what => $actual${mark:+ (listed:$mark)}"
    else
        not_ok "$what" "expected: $expected" "actual:   $actual" "${notes[@]}" "trace: $trace"
    fi
}

# peer_summary NCASES WHAT: one note per peer, how often it gave the RFC
# answer and how many of its answers are listed as wrong.
peer_summary() {
    local p
    for p in $peers; do
        printf '# %s gives the %s answer in %d of %d cases; %d disagreements are listed\n' \
            "$p" "$2" "${agree[$p]:-0}" "$1" "$(spec D | awk -F'|' -v p="$p" '$2 == p' | wc -l)"
    done
}
