#include "dmarc/discovery.hpp"

#include <iterator>
#include <span>
#include <vector>

#include "dns/org_domain.hpp"
#include "dns/text.hpp"
#include "util/strings.hpp"

namespace qauth::dmarc {

namespace {

Rfc rfc_of(Discovery mode) { return mode == Discovery::TreeWalk ? Rfc::Dmarcbis : Rfc::Rfc7489; }

void say(const Trace& trace, const std::string& line) {
    if (trace) trace(line);
}

/// The labels of `name` from the right: "a.b.c" -> {"a.b.c", "b.c", "c"}.
std::vector<std::string> ancestors(const std::string& name) {
    std::vector<std::string> out;
    for (std::size_t at = 0;;) {
        out.push_back(name.substr(at));
        std::size_t dot = name.find('.', at);
        if (dot == std::string::npos) break;
        at = dot + 1;
    }
    return out;
}

/// The record at _dmarc.`domain`: found, none (nullopt), or a DNS failure.
struct Lookup {
    bool temp_fail = false;
    std::optional<Record> record;
};

Lookup lookup(dns::Resolver& dns, const std::string& domain, Rfc rfc, const Trace& trace) {
    const std::string name = "_dmarc." + domain;
    const dns::Answer a = dns.query(name, dns::RrType::TXT);
    if (a.status == dns::Status::TempFail) {
        say(trace, "dns " + printable(name) + " TXT: temporary failure: " + printable(a.error));
        return {true, std::nullopt};
    }
    if (a.status != dns::Status::Answer) {
        say(trace, "dns " + printable(name) + " TXT: " + (a.status == dns::Status::NxDomain ? "NXDOMAIN" : "no data"));
        return {};
    }
    auto chosen = select_record(a.records);
    if (!chosen) {
        say(trace, "dns " + printable(name) + " TXT: " + chosen.error().reason);
        return {};
    }
    if (!*chosen) {
        say(trace, "dns " + printable(name) + " TXT: no v=DMARC1 record");
        return {};
    }
    auto record = parse_record(**chosen, rfc);
    if (!record) {
        say(trace, "dns " + printable(name) + " TXT: ignored: " + record.error().reason);
        return {};
    }
    say(trace, "dns " + printable(name) + " TXT: " + printable(record_text(*record, rfc)));
    for (const auto& w : record->warnings) say(trace, "  " + w);
    return {false, std::move(*record)};
}

/// RFC 9989's walk: the From domain, then (past 8 labels) its last 7, then
/// one label less each time, at most kMaxTreeWalkQueries names.
std::vector<std::string> walk_names(const std::string& domain) {
    std::vector<std::string> all = ancestors(domain), names{all.front()};
    std::size_t next = all.size() > 8 ? all.size() - 7 : 1;
    for (; next < all.size() && names.size() < static_cast<std::size_t>(kMaxTreeWalkQueries); ++next)
        names.push_back(all[next]);
    return names;
}

/// The records of RFC 9989's walk for `domain`, in walk order, up to the
/// first with psd=y or psd=n (where the organizational domain is decided);
/// nullopt on a DNS failure (`failed` names it).
std::optional<std::vector<std::pair<std::string, Record>>> walk(dns::Resolver& dns, const std::string& domain,
                                                                 const Trace& trace, std::string& failed) {
    std::vector<std::pair<std::string, Record>> found;
    for (const std::string& name : walk_names(domain)) {
        Lookup l = lookup(dns, name, Rfc::Dmarcbis, trace);
        if (l.temp_fail) {
            failed = "_dmarc." + name;
            return std::nullopt;
        }
        if (!l.record) continue;
        const char psd = l.record->psd;
        found.emplace_back(name, std::move(*l.record));
        if (psd == 'y' || psd == 'n') break;
    }
    return found;
}

/// RFC 9989's organizational domain from the walk's records: a record with
/// psd=n is its own name's; psd=y makes the name one label below it (on
/// the From domain's side) the organizational domain, or `domain` itself
/// when that is the PSD; else the highest name with a record; with no
/// record at all, `domain` itself.
std::string org_of_walk(const std::string& domain, const std::vector<std::pair<std::string, Record>>& found) {
    if (found.empty()) return domain;
    const auto& [name, record] = found.back();
    if (record.psd == 'n' || name == domain) return name;
    if (record.psd == 'y') {
        const std::vector<std::string> all = ancestors(domain);
        for (std::size_t k = 1; k < all.size(); ++k)
            if (all[k] == name) return all[k - 1];
    }
    return name;
}

/// Whether a From domain is a non-existent domain, for np=, or the query
/// that failed.
struct Existence {
    bool nonexistent = false;
    std::string failed;  ///< "NAME TYPE" of a temporary DNS failure
};

/// RFC 9989 takes RFC 8020's meaning: a name is non-existent when a query
/// for it is NXDOMAIN, so one A query answers. RFC 9091 §2.7, which added
/// np= to RFC 7489, is broader: "a domain for which there is an NXDOMAIN or
/// NODATA response for A, AAAA, and MX records", so in psl mode a name
/// with other records only (a TXT record, or only names below it) is
/// non-existent too. NXDOMAIN ends it at once: then no type has data (RFC
/// 8020); so does the first record found.
Existence existence(dns::Resolver& dns, const std::string& name, Discovery mode, const Trace& trace) {
    static constexpr dns::RrType kRfc9091[] = {dns::RrType::A, dns::RrType::AAAA, dns::RrType::MX};
    const std::span<const dns::RrType> types(kRfc9091, mode == Discovery::Psl ? std::size(kRfc9091) : 1);
    for (const dns::RrType type : types) {
        const std::string q = name + " " + std::string(dns::type_name(type));
        const dns::Answer a = dns.query(name, type);
        if (a.status == dns::Status::TempFail) return {false, q};
        if (a.status == dns::Status::NxDomain) {
            say(trace, "dns " + q + ": NXDOMAIN: a non-existent subdomain");
            return {true, {}};
        }
        if (a.status == dns::Status::Answer || mode == Discovery::TreeWalk) {
            say(trace, "dns " + q + ": " + (a.status == dns::Status::Answer ? "exists" : "no data: exists"));
            return {};
        }
        say(trace, "dns " + q + ": no data");
    }
    say(trace, "no A, AAAA or MX record: a non-existent subdomain (RFC 9091 2.7)");
    return {true, {}};
}

}  // namespace

Result<std::string> organizational_domain(dns::Resolver& dns, const dns::Domain& d, Discovery mode,
                                          const Trace& trace) {
    if (mode == Discovery::Psl) return dns::organizational_domain(d);
    std::string failed;
    auto found = walk(dns, d.str(), trace, failed);
    if (!found) return fail("DNS failure looking up " + failed);
    return org_of_walk(d.str(), *found);
}

Discovered discover(dns::Resolver& dns, const dns::Domain& from, Discovery mode, const Trace& trace) {
    Discovered out;
    const Rfc rfc = rfc_of(mode);
    say(trace, std::string("discovery: ") +
                   (mode == Discovery::TreeWalk ? "RFC 9989 DNS tree walk" : "RFC 7489, Public Suffix List"));
    auto temp = [&](std::string why) {
        out.error = DmarcResult::Temperror;
        out.reason = std::move(why);
        return out;
    };

    if (mode == Discovery::TreeWalk) {
        // One walk gives both: the policy is the first record on the way up.
        std::string failed;
        auto found = walk(dns, from.str(), trace, failed);
        if (!found) return temp("DNS failure looking up " + failed);
        out.org_domain = org_of_walk(from.str(), *found);
        if (!found->empty()) out.policy = Found{std::move(found->front().second), found->front().first};
    } else {
        auto org = dns::organizational_domain(from);
        if (!org) return temp("organizational domain of " + from.str() + ": " + org.error().reason);
        out.org_domain = *org;
        if (auto used = dns::public_suffix_list_used(); used && *used) say(trace, "public suffix list: " + **used);
        for (const std::string& name : {from.str(), out.org_domain}) {
            Lookup l = lookup(dns, name, rfc, trace);
            if (l.temp_fail) return temp("DNS failure looking up _dmarc." + name);
            if (l.record) {
                out.policy = Found{std::move(*l.record), name};
                break;
            }
            if (out.org_domain == from.str()) break;
        }
    }
    if (!out.policy) {
        out.reason = "no DMARC record for " + from.str();
        return out;
    }
    out.reason = "policy of " + out.policy->domain;
    if (out.policy->domain != from.str()) {
        // np= (RFC 9091 §4, RFC 9989): does the From domain exist at all?
        const Existence e = existence(dns, from.str(), mode, trace);
        if (!e.failed.empty()) return temp("DNS failure looking up " + e.failed);
        out.nonexistent = e.nonexistent;
    }
    return out;
}

Policy applicable_policy(const Discovered& d, const dns::Domain& from) {
    const Record& r = d.policy->record;
    if (d.policy->domain == from.str()) return r.p;
    if (d.nonexistent && r.np) return *r.np;
    return r.sp.value_or(r.p);
}

}  // namespace qauth::dmarc
