// reverse_name() (dns/address.hpp), apart from the rest of IpAddress so
// that address parsing does not pull ldns into programs that ask no DNS.
#include <new>

#include "dns/address.hpp"
#include "dns/ldns_util.hpp"

namespace qauth::dns {

std::string reverse_name(const IpAddress& ip) {
    auto b = ip.bytes();
    LdnsPtr<ldns_rdf> addr(ldns_rdf_new_frm_data(ip.v4() ? LDNS_RDF_TYPE_A : LDNS_RDF_TYPE_AAAA, b.size(), b.data()));
    LdnsPtr<ldns_rdf> rev(addr ? ldns_rdf_address_reverse(addr.get()) : nullptr);
    if (!rev) throw std::bad_alloc();  // ldns fails here only when out of memory
    return dname_key(rev.get());
}

}  // namespace qauth::dns
