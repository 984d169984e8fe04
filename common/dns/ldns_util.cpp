#include "dns/ldns_util.hpp"

#include <string>

#include "util/strings.hpp"

namespace qauth::dns {

namespace {

// A target name as text: the root, which has no labels, is written ".".
std::string target_text(const ldns_rdf* dname) {
    std::string key = dname_key(dname);
    return key.empty() ? "." : key;
}

std::optional<IpAddress> address_of(const ldns_rdf* rdf, std::size_t size) {
    if (ldns_rdf_size(rdf) != size) return std::nullopt;
    return IpAddress::from_bytes({ldns_rdf_data(rdf), size});
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
            key += ascii_lower(c);
        }
    }
    return key;
}

std::optional<Rdata> record_data(const ldns_rr* rr) {
    std::size_t n = ldns_rr_rd_count(rr);
    switch (ldns_rr_get_type(rr)) {
        case LDNS_RR_TYPE_TXT: {
            auto text = txt_text(rr);
            if (!text) return std::nullopt;
            return Rdata{std::move(*text), {}, {}};
        }
        case LDNS_RR_TYPE_A:
        case LDNS_RR_TYPE_AAAA: {
            const std::size_t size = ldns_rr_get_type(rr) == LDNS_RR_TYPE_A ? 4 : 16;
            auto ip = n == 1 ? address_of(ldns_rr_rdf(rr, 0), size) : std::nullopt;
            if (!ip) return std::nullopt;
            return Rdata{ip->str(), ip, {}};
        }
        case LDNS_RR_TYPE_MX: {  // RFC 1035 §3.3.9: PREFERENCE EXCHANGE
            if (n != 2 || ldns_rdf_size(ldns_rr_rdf(rr, 0)) != 2 ||
                ldns_rdf_get_type(ldns_rr_rdf(rr, 1)) != LDNS_RDF_TYPE_DNAME)
                return std::nullopt;
            Mx mx{ldns_rdf2native_int16(ldns_rr_rdf(rr, 0)), dname_key(ldns_rr_rdf(rr, 1))};
            std::string text = std::to_string(mx.preference) + ' ' + target_text(ldns_rr_rdf(rr, 1));
            return Rdata{std::move(text), {}, std::move(mx)};
        }
        case LDNS_RR_TYPE_PTR:
        case LDNS_RR_TYPE_NS:
        case LDNS_RR_TYPE_CNAME:
            if (n != 1 || ldns_rdf_get_type(ldns_rr_rdf(rr, 0)) != LDNS_RDF_TYPE_DNAME)
                return std::nullopt;
            return Rdata{target_text(ldns_rr_rdf(rr, 0)), {}, {}};
        default:
            return std::nullopt;
    }
}

void append_record(Answer& answer, const Rdata& rd) {
    answer.records.push_back(rd.text);
    if (rd.address) answer.addresses.push_back(*rd.address);
    if (rd.mx) answer.mx.push_back(*rd.mx);
}

}  // namespace qauth::dns
