#include "authres/dkim.hpp"

namespace qauth::authres {

std::vector<MethodResult> dkim_entries(const std::vector<dkim::SignatureResult>& results) {
    std::vector<MethodResult> out;
    if (results.empty()) {
        out.push_back({"dkim", "none", "", {}});
        return out;
    }
    for (const auto& r : results) {
        MethodResult m{"dkim", std::string(dkim::result_name(r.result)), r.reason(), {}};
        if (r.testing && r.result != dkim::DkimResult::Pass) m.reason += " (key in test mode)";
        auto add = [&](const char* name, const std::string& v) {
            if (!v.empty()) m.properties.push_back({name, v});
        };
        add("header.d", r.domain);
        add("header.i", r.identity);
        add("header.s", r.selector);
        add("header.a", r.algorithm);
        add("header.b", r.b_prefix);
        out.push_back(std::move(m));
    }
    return out;
}

}  // namespace qauth::authres
