#include "dkim/keystore.hpp"


namespace qauth::dkim {

Result<std::vector<SigningKey>> load_domain_keys(const qmail::ControlDir& control, std::string_view domain,
                                                 const std::vector<std::string>& selectors) {
    auto active = domain_selectors(control, domain, selectors);
    if (!active) return std::unexpected(active.error());
    const std::string dir = "domainkeys/" + std::string(domain);
    std::vector<SigningKey> keys;
    for (const auto& sel : *active) {
        auto key = crypto::load_private_key(control.path(dir + "/" + sel));
        if (!key) return std::unexpected(key.error());
        keys.push_back(SigningKey{sel, std::move(*key)});
    }
    return keys;
}

}  // namespace qauth::dkim
