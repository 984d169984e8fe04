// The parts of dkim/keystore that need no key and no crypto library, for
// programs that only ask whether a domain signs (qmail-authremote).
#include "dkim/keystore.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/stat.h>

#include "dns/domain.hpp"
#include "mail/address.hpp"

namespace qauth::dkim {

Result<std::vector<std::string>> domain_selectors(const qmail::ControlDir& control, std::string_view domain,
                                                  const std::vector<std::string>& selectors) {
    std::vector<std::string> none;
    // A name under the Mail rules is also safe as a path component.
    if (!dns::Domain::parse(domain, dns::NameRules::Mail)) return none;
    const std::string dir = "domainkeys/" + std::string(domain);
    struct stat st;
    if (::stat(control.path(dir).c_str(), &st) != 0) {
        // Only a missing directory means "no keys"; a permission problem must
        // not send mail out unsigned without a word.
        if (errno == ENOENT || errno == ENOTDIR) return none;
        return fail(control.path(dir) + ": cannot access: " + std::strerror(errno));
    }
    if (!S_ISDIR(st.st_mode)) return none;

    std::vector<std::string> active = selectors;
    if (active.empty()) {
        auto listed = control.lines(dir + "/selector");
        if (!listed) return std::unexpected(listed.error());
        if (*listed && !(*listed)->empty())
            active = **listed;
        else
            active = {"default"};
    }
    std::vector<std::string> out;
    for (const auto& sel : active) {
        if (std::find(out.begin(), out.end(), sel) != out.end()) continue;  // a selector listed twice signs once
        if (!dns::Domain::parse(sel, dns::NameRules::Mail) || sel == "selector")  // "selector" is the list itself
            return fail((selectors.empty() ? control.path(dir + "/selector") + ": " : std::string("--selector: ")) +
                        "bad selector name: " + sel);
        out.push_back(sel);
    }
    return out;
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
