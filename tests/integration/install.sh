#!/usr/bin/env bash
# make install as a packager runs it: DESTDIR and PREFIX, the programs
# stripped by default and installed as built with INSTALL_STRIP=, the man
# pages in the section their name ends in, nothing else. It installs the
# programs already in $QAUTH_BIN (build/bin, build-asan/bin, ...) and never
# rebuilds them: make sees a build directory whose bin is that directory and
# is told (-o) to treat each program as up to date.
. "$(dirname "$0")/../lib.sh"

mkdir -p "$T/build"
ln -s "$QAUTH_BIN" "$T/build/bin"
progs=$(cd "$TOP/cmd" && ls)
old=
for p in $progs; do old="$old -o $T/build/bin/$p"; done

# install ROOT [VAR=VALUE...]: make install into ROOT with PREFIX=/usr,
# free of any make that runs the tests.
install_into() {
    local root=$1; shift
    # shellcheck disable=SC2086
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
        make -s -C "$TOP" install BUILD="$T/build" $old DESTDIR="$root" PREFIX=/usr "$@" >"$T/out" 2>&1
}

# symbols FILE: the section names that only an unstripped program has.
symbols() { readelf -SW "$1" | grep -oE '\.(debug_info|symtab)' | sort -u | tr '\n' ' '; }

# The expected file list: every program in bin, every man page in its section.
want=$(for p in $progs; do echo "usr/bin/$p 755"; done
       for m in "$TOP"/man/*.[1-8]; do echo "usr/share/man/man${m##*.}/$(basename "$m") 644"; done)
want=$(sort <<<"$want")

R=$T/root
install_into "$R"
expect_eq "make install DESTDIR PREFIX=/usr exits 0" 0 $?
expect_eq "make -s install compiles nothing and says nothing" "" "$(cat "$T/out")"
got=$(cd "$R" && find . -type f -printf '%P %m\n' | sort)
expect_eq "make install installs the programs and the man pages, nothing else" "$want" "$got"
for p in $progs; do
    expect_eq "installed $p is stripped" "" "$(symbols "$R/usr/bin/$p")"
    "$R/usr/bin/$p" --help >/dev/null 2>&1
    expect_eq "stripped $p still runs (--help)" 0 $?
done
for m in "$TOP"/man/*.[1-8]; do
    s=${m##*.}
    expect_match "$(basename "$m") installed in man$s" "^\.TH \"?[^ ]+\"? \"?$s\"?" "$(head -20 "$R/usr/share/man/man$s/$(basename "$m")")"
done

K=$T/keep
install_into "$K" INSTALL_STRIP=
expect_eq "make install INSTALL_STRIP= exits 0" 0 $?
for p in $progs; do
    cmp -s "$QAUTH_BIN/$p" "$K/usr/bin/$p"
    expect_eq "INSTALL_STRIP= installs $p as built" 0 $?
    built=$(symbols "$QAUTH_BIN/$p")
    expect_match "INSTALL_STRIP= keeps the symbols of $p" '\.symtab' "$(symbols "$K/usr/bin/$p")"
    case $built in
    *debug_info*) expect_match "INSTALL_STRIP= keeps the debug info of $p" '\.debug_info' "$(symbols "$K/usr/bin/$p")" ;;
    esac
done

# The programs are not rebuilt: the built ones are where they were, unchanged
# in time, and make had nothing to compile.
n=$(find "$QAUTH_BIN" -newer "$T/build" -type f | wc -l)
expect_eq "make install rebuilt nothing in $QAUTH_BIN" 0 "$n"
