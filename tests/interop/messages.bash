# Test messages and small helpers shared by the interop suites (sourced; not
# a suite itself, so its name does not end in .sh).

# make_messages DIR DOMAIN: writes DIR/NAME.eml for each NAME of $MSGS, with
# From: alice@DOMAIN. All LF (as qmail stores mail) except crlf.eml.
MSGS="plain tricky long crlf empty nonl"
make_messages() {
    local dir=$1 dom=$2
    _hdr() {  # _hdr ID SUBJECT
        printf 'From: Alice Example <alice@%s>\nTo: Bob <bob@example.net>\nSubject: %s\n' "$dom" "$2"
        printf 'Date: Sun, 29 Nov 2026 12:00:00 +0000\nMessage-ID: <%s@%s>\nMIME-Version: 1.0\n' "$1" "$dom"
        printf 'Content-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: 8bit\n'
    }
    {
        _hdr plain.1 'interop plain'
        printf '\nHello Bob,\n\nthis is a plain message.\n-- \nAlice\n'
    } >"$dir/plain.eml"

    # Folded Subject, whitespace runs and trailing WSP in header and body,
    # a header name in lower case, 8-bit bytes (Latin-1 and raw UTF-8, also
    # in a header), a 990-byte line, lines that SMTP and mbox treat
    # specially, and blank lines (with and without WSP) at the end.
    {
        printf 'From: Alice Example <alice@%s>\n' "$dom"
        printf 'to:   Bob   <bob@example.net>  \t\n'
        printf 'Subject: interop test with a folded\n\t subject   line that goes on\n    and on \n'
        printf 'Date: Sun, 29 Nov 2026 12:00:00 +0000\nMessage-ID: <tricky.1@%s>\n' "$dom"
        printf 'X-8bit: caf\351 \303\251t\303\251\n'
        printf 'Content-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: 8bit\n'
        printf '\nHello Bob,\n'
        printf 'Gr\374\337e aus K\366ln, \303\274ber UTF-8 auch.\n'
        printf 'runs:  two  spaces,\t\ttwo tabs, \t mixed \t \n'
        printf 'trailing spaces   \n'
        printf 'trailing tab\t\n'
        printf '   \t   \n'
        printf '\n'
        printf '.\n..leading dots\nFrom the start of a line\n'
        printf '%0990d\n' 7
        printf 'last text line\n'
        printf '\n\n  \n\t\n\n'
    } >"$dir/tricky.eml"

    # A long body (about 0.8 MB, 18000 lines of varied length) so that line
    # ends and WSP runs fall on every buffer boundary; crlf.eml is the same
    # with CRLF line ends.
    LC_ALL=C awk 'BEGIN {
        w = "the quick brown fox jumps over the lazy dog, caf\351 \303\251t\303\251 "
        for (i = 1; i <= 18000; i++) {
            n = (i * 37) % 83
            line = sprintf("%05d ", i) substr(w w, 1 + i % 40, n)
            if (i % 5 == 0) line = line "   "
            if (i % 7 == 0) line = line "\t \t"
            if (i % 17 == 0) line = line "  runs \t\t of   wsp  x"
            if (i % 11 == 0) line = ""
            if (i % 13 == 0) line = "  \t  "
            print line
        }
        print ""; print "  "; print ""
    }' >"$dir/long.body"
    { _hdr long.1 'interop long body'; printf '\n'; cat "$dir/long.body"; } >"$dir/long.eml"
    { _hdr crlf.1 'interop CRLF'; printf '\n'; cat "$dir/long.body"; } | sed 's/$/\r/' >"$dir/crlf.eml"
    rm -f "$dir/long.body"
    { _hdr empty.1 'interop empty body'; printf '\n'; } >"$dir/empty.eml"
    { _hdr nonl.1 'interop no final newline'; printf '\nthe body ends without a line end'; } >"$dir/nonl.eml"
}

# zone_txt NAME TEXT: one TXT record line for an RFC 1035 zone file, the
# text split into strings of 250 bytes (a string holds at most 255).
zone_txt() {
    printf '%s. IN TXT' "$1"
    printf '%s\n' "$2" | fold -w 250 | while IFS= read -r s; do printf ' "%s"' "$s"; done
    printf '\n'
}
# p= of a key record: the SPKI DER for RSA, the raw 32 bytes for Ed25519
# (RFC 8463 4.2), from a private key file in PEM.
rsa_p() { openssl pkey -in "$1" -pubout -outform DER | base64 -w0; }
ed_p() { openssl pkey -in "$1" -pubout -outform DER | tail -c 32 | base64 -w0; }

# wire SRC DST: LF -> CRLF, as qmail-remote sends a message (existing LFs
# only: a last line without LF stays as it is; CRLF stays CRLF).
wire() { perl -pe 's/(?<!\r)\n/\r\n/' "$1" >"$2"; }

# canon_len simple|relaxed FILE: length of the canonical body (RFC 6376
# 3.4.3, 3.4.4) of a message.
canon_len() {
    perl -0777 -e '$c = shift; $_ = <STDIN>; s/\r\n/\n/g; s/\A.*?\n\n//s or $_ = "";
        if ($c eq "relaxed") { s/[ \t]+$//mg; s/[ \t]+/ /g; }
        s/\n*\z//; $_ .= "\n" if length || $c eq "simple"; s/\n/\r\n/g; print length' "$1" <"$2"
}

# field_len FILE: bytes of the first header field, with its line ends.
field_len() { awk 'NR == 1 { print; next } /^[ \t]/ { print; next } { exit }' "$1" | wc -c; }

# tag FILE NAME: the value of a tag of the first header field (unfolded,
# all WSP removed).
tag() {
    awk 'NR == 1 { print; next } /^[ \t]/ { print; next } { exit }' "$1" |
        tr -d '\r\n\t ' | tr ';' '\n' | sed -n "s/^$2=//p" | head -n1
}
