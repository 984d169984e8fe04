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

#include "dns/resolver.hpp"

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

/// One record's data as Answer (resolver.hpp) holds it: the text form, and
/// the typed form for A/AAAA (an address) and MX (preference and host).
struct Rdata {
    std::string text;
    std::optional<IpAddress> address;
    std::optional<Mx> mx;
    bool operator==(const Rdata&) const = default;
};

/// The data of one A, AAAA, TXT, MX, PTR, NS or CNAME record, read from its
/// wire form (no text is parsed). nullopt for other types and for malformed
/// rdata.
std::optional<Rdata> record_data(const ldns_rr* rr);

/// Appends `rd` to `answer`: the text to records, the typed form beside it.
void append_record(Answer& answer, const Rdata& rd);

}  // namespace qauth::dns
