// Linting a published DMARC record (RFC 9989; RFC 7489 §6.3, §6.6.3, §7.1;
// RFC 9990 §3 for external report destinations).
#pragma once

#include <string_view>

#include "dns/resolver.hpp"
#include "dnsrecords/finding.hpp"

namespace qauth::dnsrecords {

/// The domain of a report URI when it is "mailto:LOCAL@DOMAIN[!SIZE]" (RFC
/// 7489 §6.2, RFC 6068), lower-case; nullopt for other schemes or no domain.
std::optional<std::string> report_domain(std::string_view uri);

/// Checks the DMARC record of `domain` at `name` (_dmarc.DOMAIN) against
/// `expected` (our text, which parses): none, or only a look-alike such as
/// "v=dmarc1" (RFC 7489 §6.4: DMARC1 is case-sensitive and comes first);
/// several (§6.6.3: receivers then apply no policy); one that does not parse
/// (§6.3); each tag that a receiver replaces by its default (the parser's
/// warnings); a record that differs from ours (compared after parsing, so
/// order, case and spacing do not matter); and each rua= or ruf= mailto:
/// URI whose domain is in another organizational domain (RFC 7489 §3.2,
/// the Public Suffix List) without the authorization record
/// DOMAIN._report._dmarc.DEST TXT "v=DMARC1" (RFC 9990 §3, RFC 7489 §7.1:
/// receivers send no reports there). DNS temporary failures go to
/// lint.trouble; an unloadable Public Suffix List too.
void lint_dmarc(dns::Resolver& dns, std::string_view domain, std::string_view name, std::string_view expected,
                Lint& lint);

}  // namespace qauth::dnsrecords
