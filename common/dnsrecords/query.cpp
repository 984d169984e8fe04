#include "dnsrecords/query.hpp"

#include "dns/text.hpp"

namespace qauth::dnsrecords {

std::optional<dns::Answer> ask(dns::Resolver& dns, std::string_view name, dns::RrType type, Lint& lint) {
    dns::Answer a = dns.query(name, type);
    if (a.status != dns::Status::TempFail) return a;
    note_trouble(lint, name, type, a);
    return std::nullopt;
}

void note_trouble(Lint& lint, std::string_view name, dns::RrType type, const dns::Answer& a) {
    lint.trouble.push_back("temporary DNS failure: " +
                           (a.error.empty() ? std::string(name) + "/" + std::string(dns::type_name(type)) : a.error));
}

bool is_void(const dns::Answer& a) { return a.status == dns::Status::NxDomain || a.status == dns::Status::NoData; }

}  // namespace qauth::dnsrecords
