#include "dkim/domain_report.hpp"

#include "util/strings.hpp"

namespace qauth::dkim {

std::string enable_report(const EnableOutcome& done, const std::string& domain) {
    std::string notes;
    if (done.restored) notes += "; signing of " + domain + " restored from domainkeys/" + kDisabledDir + "\n";
    if (!done.made_key) notes += "; existing key kept: " + done.key_file + "\n";
    for (const auto& a : done.linked)
        notes += "; " + a + " is signed with this key: domainkeys/" + a + " -> " + domain + "\n";
    return notes;
}

std::string disable_report(const DisableOutcome& done, const std::string& domain) {
    std::string out;
    if (!done.alias_of.empty())
        out = "DKIM signing of " + domain + " stopped: its link to " + done.alias_of + " is removed\n";
    else if (done.already)
        out = "DKIM signing of " + domain + " is off already; its keys are in " + done.parked + "\n";
    else
        out = "DKIM signing of " + domain + " stopped; its keys are kept in " + done.parked + "\n";
    for (const auto& a : done.aliases) out += "DKIM signing of its alias " + a + " stopped too\n";
    return out;
}

std::string show_report(std::span<const DomainState> domains) {
    std::string out;
    for (const auto& d : domains) {
        using S = DomainState::State;
        std::string what = d.state == S::Alias      ? "alias of " + d.alias_of
                           : d.state == S::Disabled ? "disabled, selectors"
                                                    : "signing, selectors";
        for (const auto& s : d.selectors) what += " " + s;
        if (d.state == S::Alias && !d.signed_now) what += " (not signed: no such key directory)";
        out += d.domain + "  " + printable(what, 1000) + "\n";
    }
    return out;
}

}  // namespace qauth::dkim
