#include "dmarc/inputs.hpp"

#include "authres/parse.hpp"
#include "mail/address.hpp"

namespace qauth::dmarc {

namespace {

/// A domain from an A-R property value: "example.com", "a@example.com",
/// "@example.com" (RFC 8601 §2.2 pvalue forms); empty when unusable.
std::string domain_of(const std::string* value) {
    if (!value) return {};
    const std::string as_address = value->find('@') == std::string::npos ? "x@" + *value : *value;
    return mail::address_domain(as_address).value_or("");
}

}  // namespace

AuthResults auth_results(const std::vector<authres::MethodResult>& results) {
    AuthResults out;
    std::vector<Identifier> helo;
    for (const auto& r : results) {
        if (r.method == "spf") {
            out.has_spf = true;
            if (std::string d = domain_of(authres::property(r, "smtp.mailfrom")); !d.empty())
                out.spf.push_back({std::move(d), r.result});
            else if (std::string h = domain_of(authres::property(r, "smtp.helo")); !h.empty())
                helo.push_back({std::move(h), r.result});
        } else if (r.method == "dkim") {
            out.has_dkim = true;
            std::string d = domain_of(authres::property(r, "header.d"));
            if (!d.empty()) out.dkim.push_back({std::move(d), r.result});
        }
    }
    // spfcheck --helo-check writes both identities: the HELO one counts
    // only when there is no MAIL FROM one (the null sender).
    if (out.spf.empty()) out.spf = std::move(helo);
    return out;
}

}  // namespace qauth::dmarc
