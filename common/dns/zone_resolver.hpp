// Offline resolver answering from RFC 1035 master files (DESIGN §6).
//
// Simulated failures for tests: a comment line of the form
//     ;qauth: tempfail NAME [[except] TYPE ...]
// anywhere in a zone file makes lookups of NAME end in Status::TempFail, as
// a timeout or SERVFAIL would: of every type when no TYPE is given, of the
// TYPEs listed (A, TXT, MX, ...), or with "except" of every type but those
// (the SPF suite's TIMEOUT marker: the types listed before it are answered).
// A CNAME chain that reaches NAME fails the same way. NAME is absolute (any
// case, trailing dot optional); a later pragma for NAME replaces an earlier
// one. Any other ";qauth:" line is an error, so that a typo does not go
// unnoticed.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "dns/resolver.hpp"

namespace qauth::dns {

/// Loads every file in `files` with ldns. Names absent from all loaded zones
/// are NXDOMAIN; a name present with other types only is NoData, and so is an
/// empty non-terminal, a name with no records but names below it (RFC 8020).
/// CNAMEs inside the zones are followed (at most 8 links; a longer chain or a
/// loop is TempFail, as a resolver's SERVFAIL). Relative names are relative
/// to the root until a $ORIGIN line; no SOA is needed. Duplicate records are
/// kept once (RFC 2181 §5). Wildcards are not expanded. Errors name the file
/// and line.
Result<std::unique_ptr<Resolver>> make_zone_resolver(const std::vector<std::string>& files);

}  // namespace qauth::dns
