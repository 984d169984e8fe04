# srsfilter against Mail::SRS 0.31 (Debian libmail-srs-perl and its command
# srs), byte for byte, in both directions: for each date and separator,
# every address below is rewritten by `srs --secret=S --alias=srs.example`
# under faketime and by `srsfilter --rewrite` with --now at the same second,
# and the two results must be equal; then each result is reversed by
# `srs --reverse` and by `srsfilter --reverse`, which must give the same
# address. Dates: the epoch's first day, the last day before a 1024-day
# wrap of the stamp (2026-01-26, "77") and the first after it
# (2026-01-27, "AA"), and 2026-12-02. Then the verdicts on edge cases must
# agree: the max age across the wrap, a stamp from the future, secrets
# rotation, a smashed case, a longer hash, a wrong hash.
#
# Not compared, because Mail::SRS writes an invalid address where srsfilter
# quotes the local part (srsfilter(8), STANDARDS): a sender whose SRS local
# part is not a dot-atom (an address literal domain, a quoted local part,
# ".." or a trailing dot in it). A peer that is not installed
# (scripts/install-deps installs it) skips every case, with a note; in CI
# (CI=true or QAUTH_REQUIRE_TESTDATA=1) it fails.
. "$(dirname "$0")/../lib.sh"
: "${T:?lib.sh did not load}"
export TZ=UTC
require_peers=
if [ "${CI:-}" = true ] || [ "${QAUTH_REQUIRE_TESTDATA:-}" = 1 ]; then require_peers=yes; fi
for tool in srs faketime; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        printf '# missing peer: %s (scripts/install-deps installs it)\n' "$tool"
        if [ -n "$require_peers" ]; then not_ok "peer $tool installed (required: CI=true or QAUTH_REQUIRE_TESTDATA=1)"
        else SKIPPING="$tool is not installed"; fi
    fi
done

D=srs.example
long64=$(printf 'l%.0s' $(seq 64))
long150=$(printf 'L%.0s' $(seq 150))
ADDRS=(
    user@example.com 'MiXed.Case@Example.ORG' a=b@x.example a=b=c@x.example =lead@x.example
    trail=@x.example first.last+tag@sub.example.net "o'brien@example.ie" x_y-z@host-1.example
    UPPER@UPPER.EXAMPLE 1234567890@numbers.example '!#$%&*@specials.example' 'a/b?c^d@specials.example'
    '{x}|~`@specials.example' "$long64@long.example" "$long150@long.example" srs0@x.example
    SRS0x=y@x.example plus+@x.example -dash@x.example user@xn--bcher-kva.example a.b.c.d@e.f.g.h.example
    user@example.com. SRS0=HHHH=TT=orig.example=bob@hop.example SRS0+HHHH=TT=orig.example=bob@hop.example
    SRS0-HHHH=TT=orig.example=bob@hop.example srs0=hhhh=tt=Orig.Example=Bob@Hop.Example
    SRS1=XXXX=orig.example==HHHH=TT=o.example=bob@hop2.example
    SRS1+XXXX=orig.example=+HHHH=TT=o.example=bob@hop2.example
    srs1=xxxx=ORIG.example==hhhh=TT=o.example=bob@hop2.example a@srs.example A@SRS.EXAMPLE
)
at() { date -d "$1 12:00:00" +%s; }
mailsrs() { local day=$1; shift; faketime "$day 12:00:00" srs "$@" 2>"$T/srs.err"; }
qauth() { local day=$1; shift; srsfilter --now "$(at "$day")" --srs-domain "$D" "$@" 2>"$T/q.err"; }

# short NAME: an address shortened for case names
short() { local a=$1; [ ${#a} -gt 48 ] && a="${a:0:40}...(${#1})"; printf '%s' "$a"; }

for run in "1970-01-01 =" "2026-01-26 =" "2026-01-27 =" "2026-12-02 =" "2026-01-26 +" "2026-12-02 +"; do
    day=${run% *} sep=${run#* }
    sepopt=(); [ "$sep" = = ] || sepopt=(--separator="$sep")
    mailsrs "$day" --secret=S --alias="$D" "${sepopt[@]}" -- "${ADDRS[@]}" >"$T/fwd.srs"
    : >"$T/fwd.q"
    for a in "${ADDRS[@]}"; do
        qauth "$day" --secret S ${sepopt[@]:+--separator "$sep"} --rewrite="$a" >>"$T/fwd.q" || echo "exit $?: $(cat "$T/q.err")" >>"$T/fwd.q"
    done
    mapfile -t want <"$T/fwd.srs"
    mapfile -t got <"$T/fwd.q"
    for i in "${!ADDRS[@]}"; do
        expect_eq "rewrite $day sep $sep: $(short "${ADDRS[$i]}")" "${want[$i]:-(srs printed nothing: $(head -c 200 "$T/srs.err"))}" "${got[$i]:-}"
    done
    # reverse what Mail::SRS made (the same bytes as ours when the case above passed)
    rev_in=()
    for i in "${!ADDRS[@]}"; do [ "${want[$i]:-}" != "${ADDRS[$i]}" ] && rev_in+=("${want[$i]:-x}"); done
    mailsrs "$day" --secret=S --reverse -- "${rev_in[@]}" >"$T/rev.srs"
    mapfile -t rwant <"$T/rev.srs"
    for i in "${!rev_in[@]}"; do
        r=$(qauth "$day" --secret S --reverse="${rev_in[$i]}") || r="exit $?: $(cat "$T/q.err")"
        expect_eq "reverse $day sep $sep: $(short "${rev_in[$i]}")" "${rwant[$i]:-(srs printed nothing: $(head -c 200 "$T/srs.err"))}" "$r"
    done
done

# verdict NAME DAY SRS-ARGS... -- SRSFILTER-ARGS...: both accept with the same
# output, or both refuse (srs dies, srsfilter exits 100).
verdict() {
    local name=$1 day=$2 s=() q=() m rs rq
    shift 2
    while [ "$1" != -- ]; do s+=("$1"); shift; done
    shift; q=("$@")
    m=$(mailsrs "$day" "${s[@]}"); rs=$?
    r=$(qauth "$day" "${q[@]}"); rq=$?
    if [ $rs = 0 ] && [ $rq = 0 ]; then expect_eq "$name: both accept, same result" "$m" "$r"
    elif [ $rs != 0 ] && [ $rq = 100 ]; then ok "$name: both refuse ($(head -n1 "$T/q.err"))"
    else not_ok "$name: verdicts differ" "srs: exit $rs: $m $(head -c 200 "$T/srs.err")" "srsfilter: exit $rq: $r $(cat "$T/q.err")"; fi
}
minted=$(mailsrs 2026-01-20 --secret=S --alias="$D" user@example.com)
verdict "max age: 21 days after minting, across the wrap" 2026-02-10 --secret=S --reverse "$minted" -- --secret S --reverse "$minted"
verdict "max age: 22 days after minting" 2026-02-11 --secret=S --reverse "$minted" -- --secret S --reverse "$minted"
verdict "future stamp: the day before minting" 2026-01-19 --secret=S --reverse "$minted" -- --secret S --reverse "$minted"
verdict "rotation: the old secret second still verifies" 2026-01-25 --secret=NEW --secret=S --reverse "$minted" -- --secret NEW --secret S --reverse "$minted"
verdict "rotation: a dropped secret no longer does" 2026-01-25 --secret=NEW --reverse "$minted" -- --secret NEW --reverse "$minted"
upper=$(printf '%s' "${minted%@*}" | tr a-z A-Z)@$D
verdict "case smashed: the whole local part in capitals" 2026-01-21 --secret=S --reverse "$upper" -- --secret S --reverse "$upper"
lower=$(printf '%s' "${minted%@*}" | tr A-Z a-z)@$D
verdict "case smashed: the whole local part in small letters" 2026-01-21 --secret=S --reverse "$lower" -- --secret S --reverse "$lower"
verdict "hash length 6, written" 2026-01-21 --secret=S --alias="$D" --hashlength=6 user@example.com -- --secret S --hashlength 6 --rewrite user@example.com
six=$(mailsrs 2026-01-21 --secret=S --alias="$D" --hashlength=6 user@example.com)
verdict "hash length 6, reversed" 2026-01-21 --secret=S --hashlength=6 --reverse "$six" -- --secret S --hashlength 6 --reverse "$six"
bad=SRS0=AAAA${minted#SRS0=????}
verdict "wrong hash" 2026-01-21 --secret=S --reverse "$bad" -- --secret S --reverse "$bad"
s1=$(mailsrs 2026-01-21 --secret=S --alias="$D" SRS0=HHHH=TT=orig.example=bob@hop.example)
bad1=SRS1=AAAA${s1#SRS1=????}
verdict "wrong SRS1 hash" 2026-01-21 --secret=S --reverse "$bad1" -- --secret S --reverse "$bad1"
verdict "not an SRS address" 2026-01-21 --secret=S --reverse user@srs.example -- --secret S --reverse user@srs.example
