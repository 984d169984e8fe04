// Offline resolver answering from RFC 1035 master files (DESIGN §6).
//
// Simulated failures for tests: a comment line of the form
//     ;qauth: tempfail NAME
// anywhere in a zone file makes every lookup of NAME (any type) end in
// Status::TempFail, as a timeout or SERVFAIL would.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "dns/resolver.hpp"

namespace qauth::dns {

/// Loads every file in `files` with ldns. Names absent from all loaded zones
/// are NXDOMAIN; a name present with other types only is NoData. CNAMEs inside
/// the zones are followed (at most 8 links). Errors name the file and line.
Result<std::unique_ptr<Resolver>> make_zone_resolver(const std::vector<std::string>& files);

}  // namespace qauth::dns
