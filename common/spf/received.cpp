#include "spf/received.hpp"

#include <algorithm>

#include "mail/fold.hpp"
#include "util/strings.hpp"

namespace qauth::spf {

namespace {

// RFC 5322 §3.2.3 atext, and '.' between atoms.
bool is_dot_atom(std::string_view v) {
    if (v.empty() || v.front() == '.' || v.back() == '.' || v.find("..") != std::string_view::npos) return false;
    return std::all_of(v.begin(), v.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
               std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
    });
}

// A §9.1 key-value pair's value: dot-atom or quoted-string.
std::string value(std::string_view raw) {
    std::string v = printable(raw);
    return is_dot_atom(v) ? v : quoted_string(v);
}

std::string comment(const ReceivedSpf& r) {
    const std::string who = comment_text(r.sender), ip = comment_text(r.client_ip);
    std::string text;
    switch (r.check.result) {
    case SpfResult::Pass: text = "domain of " + who + " designates " + ip + " as permitted sender"; break;
    case SpfResult::Fail: text = "domain of " + who + " does not designate " + ip + " as permitted sender"; break;
    case SpfResult::Softfail:
        text = "domain of transitioning " + who + " does not designate " + ip + " as permitted sender";
        break;
    case SpfResult::Neutral: text = ip + " is neither permitted nor denied by domain of " + who; break;
    case SpfResult::None: text = "domain of " + who + " does not designate permitted sender hosts"; break;
    case SpfResult::Temperror: text = "temporary error in processing during lookup of " + who; break;
    case SpfResult::Permerror: text = "permanent error in processing domain of " + who; break;
    }
    if (r.guess)
        text += ", by the local guess rules";
    else if (r.check.reason.starts_with(kLocalRuleReason))
        text += ", by the local rules";
    return "(" + comment_text(r.receiver) + ": " + text + ")";
}

}  // namespace

std::string received_spf(const ReceivedSpf& r, std::string_view eol) {
    mail::Folder f("Received-SPF:", eol);
    f.word(result_name(r.check.result));
    for (const auto& w : split(comment(r), ' ')) f.word(w);
    f.word("client-ip=" + value(r.client_ip) + ";");
    f.word("envelope-from=" + quoted_string(r.envelope_from) + ";");
    if (!r.helo.empty()) f.word("helo=" + value(r.helo) + ";");
    if (r.check.result == SpfResult::Temperror || r.check.result == SpfResult::Permerror) {
        std::string q = "problem=" + quoted_string(r.check.reason) + ";";
        for (const auto& w : split(q, ' ')) f.word(w);
    }
    f.word("receiver=" + value(r.receiver) + ";");
    f.word("identity=" + std::string(r.identity) + ";");
    if (!r.check.mechanism.empty()) f.word("mechanism=" + quoted_string(r.check.mechanism) + ";");
    return f.finish();
}

}  // namespace qauth::spf
