// Linting a published DKIM key record (RFC 6376 §3.6.1, §3.6.2; RFC 8301
// §3.2; RFC 8463 §4) against the private key we sign with.
#pragma once

#include "dns/resolver.hpp"
#include "dnsrecords/expected.hpp"
#include "dnsrecords/finding.hpp"

namespace qauth::dnsrecords {

/// RFC 8301 §3.2: verifiers MUST NOT consider signatures with RSA keys of
/// fewer bits valid.
constexpr std::size_t kMinRsaBits = 1024;

/// Checks the key record at `key.name` (a RecordKind::DkimKey record): none
/// (RFC 6376 §3.6.2.1; "we sign with it" when the selector is active),
/// several TXT records (§3.6.2.2: a verifier may pick any), and for each: a
/// record that does not parse (§3.6.1, the parser's reason), an empty p=
/// (revoked), another k= type, a p= that is no key, a public key that is
/// not the one of our private key (tested by a signature made with ours
/// and verified with theirs, so DER SubjectPublicKeyInfo and bare PKCS#1
/// both match), an RSA key under kMinRsaBits, an h= that excludes sha256
/// (what the signer uses), and t=y left on (§3.6.1: verifiers may treat the
/// mail as unsigned). DNS temporary failures go to lint.trouble.
void lint_dkim_key(dns::Resolver& dns, const ExpectedRecord& key, Lint& lint);

}  // namespace qauth::dnsrecords
