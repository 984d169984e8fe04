# Each program loads only the shared libraries it uses (issue "Lean start-up"):
# the signer and dkimkeygen never ask DNS, so neither ldns nor, through it,
# libssl may be mapped into them at every start.
. "$(dirname "$0")/../lib.sh"
libs() { ldd "$QAUTH_BIN/$1" | awk '{print $1}' | sed 's/\.so.*//' | sort | tr '\n' ' '; }
for p in qmail-dkimsign dkimkeygen; do
    l=$(libs "$p")
    case " $l" in
        *" libldns"*|*" libssl"*) not_ok "$p: no ldns, no libssl" "ldd: $l" ;;
        *) ok "$p: no ldns, no libssl" ;;
    esac
done
expect_match "dkimverify: ldns, which it asks DNS with" 'libldns' "$(libs dkimverify)"
