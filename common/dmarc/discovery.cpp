#include "dmarc/discovery.hpp"

#include <vector>

#include "dns/org_domain.hpp"
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

/// RFC 9989 organizational domain by tree walk: the first record with
/// psd=n is its own name; one with psd=y makes the name one label below it
/// (on the way up) the organizational domain; else the highest name with
/// a record; with no record at all, `domain` itself.
Result<std::string> walk_org_domain(dns::Resolver& dns, const std::string& domain, const Trace& trace) {
    const std::vector<std::string> names = walk_names(domain);
    std::optional<std::string> highest;
    for (std::size_t i = 0; i < names.size(); ++i) {
        Lookup l = lookup(dns, names[i], Rfc::Dmarcbis, trace);
        if (l.temp_fail) return fail("DNS failure looking up _dmarc." + names[i]);
        if (!l.record) continue;
        if (l.record->psd == 'n') return names[i];
        if (l.record->psd == 'y') {
            // The From domain itself a PSD: its own organizational domain.
            if (i == 0) return names[0];
            // The name one label below the PSD, on the From domain's side.
            const std::vector<std::string> all = ancestors(domain);
            for (std::size_t k = 1; k < all.size(); ++k)
                if (all[k] == names[i]) return all[k - 1];
            return names[i - 1];
        }
        highest = names[i];
    }
    return highest.value_or(domain);
}

}  // namespace

Result<std::string> organizational_domain(dns::Resolver& dns, const dns::Domain& d, Discovery mode,
                                          const Trace& trace) {
    if (mode == Discovery::Psl) return dns::organizational_domain(d);
    return walk_org_domain(dns, d.str(), trace);
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

    auto org = organizational_domain(dns, from, mode, trace);
    if (!org) return temp("organizational domain of " + from.str() + ": " + org.error().reason);
    out.org_domain = *org;
    if (mode == Discovery::Psl)
        if (auto used = dns::public_suffix_list_used(); used && *used) say(trace, "public suffix list: " + **used);

    // Candidate names: the From domain, then (RFC 7489) its organizational
    // domain, or (RFC 9989) the walk up the tree.
    std::vector<std::string> names;
    if (mode == Discovery::Psl) {
        names.push_back(from.str());
        if (out.org_domain != from.str()) names.push_back(out.org_domain);
    } else {
        names = walk_names(from.str());
    }
    for (const std::string& name : names) {
        Lookup l = lookup(dns, name, rfc, trace);
        if (l.temp_fail) return temp("DNS failure looking up _dmarc." + name);
        if (!l.record) continue;
        out.policy = Found{std::move(*l.record), name};
        break;
    }
    if (!out.policy) {
        out.reason = "no DMARC record for " + from.str();
        return out;
    }
    out.reason = "policy of " + out.policy->domain;
    if (out.policy->domain != from.str()) {
        // np= (RFC 9091 §4, RFC 9989): does the From domain exist at all?
        const dns::Answer a = dns.query(from.str(), dns::RrType::A);
        if (a.status == dns::Status::TempFail) return temp("DNS failure looking up " + from.str());
        out.nonexistent = a.status == dns::Status::NxDomain;
        say(trace, "dns " + from.str() + " A: " + (out.nonexistent ? "NXDOMAIN: a non-existent subdomain" : "exists"));
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
