#include "dkim/keystore.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/stat.h>

#include "dns/domain.hpp"
#include "mail/address.hpp"

namespace qauth::dkim {

Result<std::vector<SigningKey>> load_domain_keys(const qmail::ControlDir& control, std::string_view domain,
                                                 const std::vector<std::string>& selectors) {
    std::vector<SigningKey> keys;
    // A name under the Mail rules is also safe as a path component.
    if (!dns::Domain::parse(domain, dns::NameRules::Mail)) return keys;
    const std::string dir = "domainkeys/" + std::string(domain);
    struct stat st;
    if (::stat(control.path(dir).c_str(), &st) != 0) {
        // Only a missing directory means "no keys"; a permission problem must
        // not send mail out unsigned without a word.
        if (errno == ENOENT || errno == ENOTDIR) return keys;
        return fail(control.path(dir) + ": cannot access: " + std::strerror(errno));
    }
    if (!S_ISDIR(st.st_mode)) return keys;

    std::vector<std::string> active = selectors;
    if (active.empty()) {
        auto listed = control.lines(dir + "/selector");
        if (!listed) return std::unexpected(listed.error());
        if (*listed && !(*listed)->empty())
            active = **listed;
        else
            active = {"default"};
    }
    for (std::size_t i = 0; i < active.size(); ++i) {
        const std::string& sel = active[i];
        if (std::find(active.begin(), active.begin() + static_cast<std::ptrdiff_t>(i), sel) !=
            active.begin() + static_cast<std::ptrdiff_t>(i))
            continue;  // a selector listed twice signs once
        if (!dns::Domain::parse(sel, dns::NameRules::Mail) || sel == "selector")  // "selector" is the list itself
            return fail((selectors.empty() ? control.path(dir + "/selector") + ": " : std::string("--selector: ")) +
                        "bad selector name: " + sel);
        auto key = crypto::load_private_key(control.path(dir + "/" + sel));
        if (!key) return std::unexpected(key.error());
        keys.push_back(SigningKey{sel, std::move(*key)});
    }
    return keys;
}

SigningDomain signing_domain(const mail::Header& header, std::string_view envelope_sender) {
    auto froms = header.find_all("From");
    auto first_domain = [&](std::size_t idx) -> std::string {
        auto addrs = mail::addresses(header.fields[idx].unfolded_value());
        if (addrs.empty()) return {};
        return mail::address_domain(addrs.front()).value_or("");
    };
    if (!froms.empty()) {
        if (auto d = first_domain(froms[0]); !d.empty()) return {d, ""};
    }
    if (auto senders = header.find_all("Sender"); !senders.empty()) {
        if (auto d = first_domain(senders[0]); !d.empty()) return {d, ""};
    }
    if (auto d = mail::address_domain(envelope_sender)) return {*d, ""};
    return {"", "no signing domain: no usable From, Sender or envelope sender"};
}

}  // namespace qauth::dkim
