#include "dns/ldns_util.hpp"

#include <arpa/inet.h>

#include <string>

namespace qauth::dns {

namespace {

// A target name as text: the root, which has no labels, is written ".".
std::string target_text(const ldns_rdf* dname) {
    std::string key = dname_key(dname);
    return key.empty() ? "." : key;
}

std::optional<std::string> address_text(const ldns_rdf* rdf, int family, std::size_t size) {
    char buf[INET6_ADDRSTRLEN];
    if (ldns_rdf_size(rdf) != size || !inet_ntop(family, ldns_rdf_data(rdf), buf, sizeof buf))
        return std::nullopt;
    return std::string(buf);
}

// RFC 1035 §3.3.14: TXT-DATA is one or more <character-string>s, each a
// length octet and that many bytes; they are joined with nothing between
// (RFC 7208 §3.3, RFC 6376 §3.6.2.2).
std::optional<std::string> txt_text(const ldns_rr* rr) {
    std::string text;
    for (std::size_t i = 0; i < ldns_rr_rd_count(rr); ++i) {
        const ldns_rdf* s = ldns_rr_rdf(rr, i);
        const std::uint8_t* d = ldns_rdf_data(s);
        if (ldns_rdf_size(s) < 1 || d[0] != ldns_rdf_size(s) - 1) return std::nullopt;
        text.append(reinterpret_cast<const char*>(d + 1), d[0]);
    }
    return text;
}

}  // namespace

LdnsPtr<ldns_rdf> dname_rdf(std::string_view canonical) {
    std::string wire;
    std::size_t start = 0;
    while (start < canonical.size()) {
        std::size_t dot = canonical.find('.', start);
        if (dot == std::string_view::npos) dot = canonical.size();
        wire += static_cast<char>(dot - start);
        wire.append(canonical.substr(start, dot - start));
        start = dot + 1;
    }
    wire += '\0';
    return LdnsPtr<ldns_rdf>(ldns_dname_new_frm_data(static_cast<std::uint16_t>(wire.size()), wire.data()));
}

std::string dname_key(const ldns_rdf* dname) {
    const std::uint8_t* d = ldns_rdf_data(dname);
    std::size_t size = ldns_rdf_size(dname);
    std::string key;
    for (std::size_t pos = 0; pos < size && d[pos] != 0;) {
        std::size_t len = d[pos++];
        if (!key.empty()) key += '.';
        for (std::size_t i = 0; i < len && pos < size; ++i, ++pos) {
            char c = static_cast<char>(d[pos]);
            key += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        }
    }
    return key;
}

std::optional<std::string> record_text(const ldns_rr* rr) {
    std::size_t n = ldns_rr_rd_count(rr);
    switch (ldns_rr_get_type(rr)) {
        case LDNS_RR_TYPE_TXT:
            return txt_text(rr);
        case LDNS_RR_TYPE_A:
            if (n != 1) return std::nullopt;
            return address_text(ldns_rr_rdf(rr, 0), AF_INET, 4);
        case LDNS_RR_TYPE_AAAA:
            if (n != 1) return std::nullopt;
            return address_text(ldns_rr_rdf(rr, 0), AF_INET6, 16);
        case LDNS_RR_TYPE_MX:  // RFC 1035 §3.3.9: PREFERENCE EXCHANGE
            if (n != 2 || ldns_rdf_size(ldns_rr_rdf(rr, 0)) != 2 ||
                ldns_rdf_get_type(ldns_rr_rdf(rr, 1)) != LDNS_RDF_TYPE_DNAME)
                return std::nullopt;
            return std::to_string(ldns_rdf2native_int16(ldns_rr_rdf(rr, 0))) + ' ' +
                   target_text(ldns_rr_rdf(rr, 1));
        case LDNS_RR_TYPE_PTR:
        case LDNS_RR_TYPE_NS:
        case LDNS_RR_TYPE_CNAME:
            if (n != 1 || ldns_rdf_get_type(ldns_rr_rdf(rr, 0)) != LDNS_RDF_TYPE_DNAME)
                return std::nullopt;
            return target_text(ldns_rr_rdf(rr, 0));
        default:
            return std::nullopt;
    }
}

}  // namespace qauth::dns
