#include "mail/address.hpp"

#include "dns/domain.hpp"
#include "util/strings.hpp"

namespace qauth::mail {

namespace {

constexpr std::size_t kMaxAddresses = 100;
constexpr std::size_t kMaxValue = 64 * 1024;


}  // namespace

std::vector<std::string> addresses(std::string_view v) {
    if (v.size() > kMaxValue) v = v.substr(0, kMaxValue);
    std::vector<std::string> out;
    // One pass: drop comments, keep quoted strings whole, split at commas and
    // group punctuation outside quotes and angle brackets.
    std::string cur, angle;
    bool in_angle = false, have_angle = false;
    auto push = [&] {
        std::string a(trim_fws(have_angle ? angle : cur));
        if (!a.empty() && out.size() < kMaxAddresses) out.push_back(std::move(a));
        cur.clear();
        angle.clear();
        have_angle = in_angle = false;
    };
    for (std::size_t i = 0; i < v.size(); ++i) {
        char c = v[i];
        if (c == '(') {  // comment, possibly nested
            int depth = 1;
            for (++i; i < v.size() && depth > 0; ++i) {
                if (v[i] == '\\') ++i;
                else if (v[i] == '(') ++depth;
                else if (v[i] == ')') --depth;
            }
            --i;
            continue;
        }
        if (c == '"') {  // quoted string: part of a display name or local-part
            std::string q = "\"";
            for (++i; i < v.size() && v[i] != '"'; ++i) {
                if (v[i] == '\\' && i + 1 < v.size()) q += v[i++];
                q += v[i];
            }
            q += '"';
            (in_angle ? angle : cur) += q;
            continue;
        }
        if (c == '<' && !in_angle) {
            in_angle = have_angle = true;
            angle.clear();
            continue;
        }
        if (c == '>' && in_angle) {
            in_angle = false;
            continue;
        }
        if (!in_angle && (c == ',' || c == ';')) {
            push();
            continue;
        }
        if (!in_angle && c == ':') {  // group name ends: drop it
            cur.clear();
            continue;
        }
        (in_angle ? angle : cur) += c;
    }
    push();
    // Without angle brackets the whole text is the addr-spec; its folding
    // whitespace is not part of it.
    for (auto& a : out)
        if (a.find('"') == std::string::npos) a = strip_fws(a);
    return out;
}

std::optional<std::string> address_domain(std::string_view address) {
    std::size_t at = address.rfind('@');
    if (at == std::string_view::npos) return std::nullopt;
    std::string_view d = trim_fws(address.substr(at + 1));
    while (!d.empty() && d.back() == '>') d.remove_suffix(1);
    auto domain = dns::Domain::parse(d, dns::NameRules::Mail);
    if (!domain) return std::nullopt;
    return domain->str();
}

}  // namespace qauth::mail
