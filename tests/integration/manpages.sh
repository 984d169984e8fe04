# Every program has a man page, and every man page formats without a warning.
. "$(dirname "$0")/../lib.sh"

# help_options PROGRAM [SUBCOMMAND...]: the options in the --help of the
# program and of every subcommand below it (qauth-config dkim enable).
help_options() {
    local help sub
    help=$("$QAUTH_BIN/$1" "${@:2}" --help)
    grep -o -- '--[a-z][a-z0-9-]*' <<<"$help"
    for sub in $(awk '/^Subcommands:/{f=1; next} f && /^  [a-z]/{print $1} f && /^$/{f=0}' <<<"$help"); do
        help_options "$@" "$sub"
    done
}
for d in "$TOP"/cmd/*/; do
    p=$(basename "$d")
    set -- "$TOP"/man/"$p".[1-8]
    if [ -f "$1" ]; then ok "$p has a man page"; else not_ok "$p has a man page"; continue; fi
    w=$(MANWIDTH=80 man --warnings -l "$1" 2>&1 >/dev/null)
    expect_eq "man --warnings is silent for $(basename "$1")" "" "$w"
    expect_match "$(basename "$1") documents the exit statuses" '^\.SH "?EXIT STATUS' "$(cat "$1")"
    for opt in $(help_options "$p" | sort -u); do
        [ "$opt" = --help ] && continue
        grep -q -- "${opt//-/\\\\-}\|$opt" "$1"
        expect_eq "$(basename "$1") documents $opt" 0 $?
    done
done
# Pages that are no program's (qauth.7, the overview) format silently too.
for m in "$TOP"/man/*.[1-8]; do
    [ -d "$TOP/cmd/$(basename "${m%.*}")" ] && continue
    expect_eq "man --warnings is silent for $(basename "$m")" "" "$(MANWIDTH=80 man --warnings -l "$m" 2>&1 >/dev/null)"
done
# A help text that could not be written is no success: 111, as for any
# output error (DESIGN §3), with the reason on stderr.
for d in "$TOP"/cmd/*/; do
    p=$(basename "$d")
    "$QAUTH_BIN/$p" --help >/dev/full 2>"$T/err"
    expect_eq "$p --help >/dev/full: 111, the write error" "111 $p: fatal: standard output: write error: No space left on device" \
        "$? $(cat "$T/err")"
    "$QAUTH_BIN/$p" --help >&- 2>"$T/err"
    expect_eq "$p --help, stdout closed: 111, one line" "111 1" "$? $(grep -c "^$p: fatal: standard output" "$T/err")"
done
