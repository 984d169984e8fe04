// ldns glue shared by the network and zone-file resolvers: ownership of ldns
// handles, domain names between our text form and ldns, and the record text
// promised in resolver.hpp.
#pragma once

// Before ldns: without __bool_true_false_are_defined, ldns/common.h defines
// `false` and `true` as macros, which breaks later standard headers.
#include <stdbool.h>

#include <ldns/ldns.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace qauth::dns {

/// Frees each ldns handle with its matching (deep) free function.
struct LdnsFree {
    void operator()(ldns_rdf* p) const noexcept { ldns_rdf_deep_free(p); }
    void operator()(ldns_rr* p) const noexcept { ldns_rr_free(p); }
    void operator()(ldns_pkt* p) const noexcept { ldns_pkt_free(p); }
    void operator()(ldns_resolver* p) const noexcept { ldns_resolver_deep_free(p); }
};

/// Sole owner of an ldns handle.
template <typename T>
using LdnsPtr = std::unique_ptr<T, LdnsFree>;

/// A DNAME rdf for a name in canonical_name() form, built label by label so
/// that no byte of the name is read as an escape.
LdnsPtr<ldns_rdf> dname_rdf(std::string_view canonical);

/// The canonical_name() form of a DNAME rdf: labels as raw bytes joined by
/// '.', lower-case, no trailing dot, "" for the root.
std::string dname_key(const ldns_rdf* dname);

/// The text of one record as resolver.hpp defines it for A, AAAA, TXT, MX,
/// PTR, NS and CNAME. nullopt for other types and for malformed rdata.
std::optional<std::string> record_text(const ldns_rr* rr);

}  // namespace qauth::dns
