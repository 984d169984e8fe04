#include "dnsrecords/dmarc_lint.hpp"

#include <algorithm>

#include "dmarc/record.hpp"
#include "dns/domain.hpp"
#include "dns/org_domain.hpp"
#include "dnsrecords/query.hpp"
#include "util/strings.hpp"

namespace qauth::dnsrecords {
namespace {

constexpr std::size_t kMaxName = 253;  // RFC 1035 §2.3.4, as text without the root dot

/// A TXT text that looks meant as DMARC but is not a record: "v=dmarc1",
/// " v=DMARC1", "p=reject; v=DMARC1".
bool looks_like_dmarc(std::string_view text) {
    std::string l = lower(text);
    return !dmarc::is_dmarc_record(text) && l.find("v=dmarc1") != l.npos;
}

/// Findings for one report URI of tag `tag` (rua or ruf).
void check_destination(dns::Resolver& dns, std::string_view domain, std::string_view name, std::string_view tag,
                       const std::string& uri, Lint& lint) {
    auto dest = report_domain(uri);
    if (!dest) return;
    auto ours = dns::Domain::parse(domain, dns::NameRules::Mail);
    auto theirs = dns::Domain::parse(*dest, dns::NameRules::Mail);
    if (!ours || !theirs) {
        lint.add(std::string(name), "RFC 7489 6.2: " + std::string(tag) + "=" + uri + ": bad destination domain");
        return;
    }
    auto org_ours = dns::organizational_domain(*ours);
    auto org_theirs = dns::organizational_domain(*theirs);
    if (!org_ours || !org_theirs) {
        lint.trouble.push_back("public suffix list: " + (org_ours ? org_theirs : org_ours).error().reason);
        return;
    }
    if (*org_ours == *org_theirs) return;
    const std::string auth = std::string(domain) + "._report._dmarc." + *dest;
    const std::string prefix = "RFC 9990 3: " + std::string(tag) + "=" + uri + " is outside " + *org_ours;
    if (auth.size() > kMaxName) {
        lint.add(std::string(name), prefix + ", and " + auth + " is too long for DNS: receivers send no reports");
        return;
    }
    auto a = ask(dns, auth, dns::RrType::TXT, lint);
    if (!a) return;
    if (std::any_of(a->records.begin(), a->records.end(), [](const std::string& t) { return dmarc::is_dmarc_record(t); }))
        return;
    lint.add(std::string(name), prefix + " without the authorization record " + auth +
                                    " TXT \"v=DMARC1\" (RFC 7489 7.1): receivers send no reports there");
}

}  // namespace

std::optional<std::string> report_domain(std::string_view uri) {
    constexpr std::string_view kMailto = "mailto:";
    if (uri.size() < kMailto.size() || !iequals(uri.substr(0, kMailto.size()), kMailto)) return std::nullopt;
    std::string_view addr = uri.substr(kMailto.size());
    addr = addr.substr(0, addr.find('!'));  // the size limit (RFC 7489 6.2)
    addr = addr.substr(0, addr.find('?'));  // mailto header fields (RFC 6068 2)
    auto at = addr.rfind('@');
    if (at == addr.npos || at + 1 == addr.size()) return std::nullopt;
    return lower(addr.substr(at + 1));
}

void lint_dmarc(dns::Resolver& dns, std::string_view domain, std::string_view name, std::string_view expected,
                Lint& lint) {
    const std::string where(name), want = "\"" + std::string(expected) + "\"";
    auto a = ask(dns, name, dns::RrType::TXT, lint);
    if (!a) return;
    for (const auto& t : a->records)
        if (looks_like_dmarc(t))
            lint.add(where, "RFC 7489 6.4: \"" + t + "\" is no DMARC record: v=DMARC1 must come first, DMARC1 in capitals");
    auto chosen = dmarc::select_record(a->records);
    if (!chosen) {
        lint.add(where, chosen.error().reason + ": receivers apply no policy; publish one, " + want);
        return;
    }
    if (!*chosen) {
        lint.add(where, "RFC 9989 4.7: no DMARC record; want " + want);
        return;
    }
    auto rec = dmarc::parse_record(**chosen);
    if (!rec) {
        lint.add(where, rec.error().reason + ": receivers apply no policy; want " + want);
        return;
    }
    for (const auto& w : rec->warnings) lint.add(where, w);
    auto ours = dmarc::parse_record(expected);
    if (ours) {
        dmarc::Record theirs = *rec;
        theirs.warnings.clear();
        ours->warnings.clear();
        if (!(theirs == *ours))
            lint.add(where, "RFC 9989 4.7: published \"" + std::string(**chosen) + "\" differs from ours, " + want);
    }
    for (const auto& uri : rec->rua) check_destination(dns, domain, name, "rua", uri, lint);
    for (const auto& uri : rec->ruf) check_destination(dns, domain, name, "ruf", uri, lint);
}

}  // namespace qauth::dnsrecords
