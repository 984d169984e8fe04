#include "dmarc/evaluate.hpp"

#include "util/strings.hpp"

namespace qauth::dmarc {

namespace {

Policy lower_policy(Policy p) { return p == Policy::Reject ? Policy::Quarantine : Policy::None; }

int rank(Policy p) { return p == Policy::Reject ? 2 : p == Policy::Quarantine ? 1 : 0; }

int rank(DmarcResult r) {
    switch (r) {
    case DmarcResult::Temperror: return 4;
    case DmarcResult::Fail: return 3;
    case DmarcResult::Permerror: return 2;
    case DmarcResult::None: return 1;
    case DmarcResult::Pass: return 0;
    }
    return 0;
}

/// Any identifier among `ids` with the result `word` ("pass", "temperror")
/// aligned with `from`.
bool any_aligned(const std::vector<Identifier>& ids, const dns::Domain& from, Alignment mode,
                 const std::function<Result<std::string>(const dns::Domain&)>& org_of, const Trace& trace,
                 std::string_view method, std::string_view word = "pass") {
    for (const auto& id : ids) {
        if (id.result != word) continue;
        auto d = dns::Domain::parse(id.domain, dns::NameRules::Mail);
        if (!d) continue;
        const bool ok = aligned(*d, from, mode, org_of);
        if (trace)
            trace(std::string(method) + " " + std::string(word) + " for " + d->str() + (ok ? " is" : " is not") + " aligned (" +
                  std::string(alignment_name(mode)) + ") with " + from.str());
        if (ok) return true;
    }
    return false;
}

}  // namespace

bool aligned(const dns::Domain& id, const dns::Domain& from, Alignment mode,
             const std::function<Result<std::string>(const dns::Domain&)>& org_of) {
    if (id == from) return true;
    if (mode == Alignment::Strict) return false;
    auto a = org_of(id), b = org_of(from);
    return a && b && *a == *b;
}

Verdict evaluate(dns::Resolver& dns, const dns::Domain& from, const AuthResults& auth, Discovery mode,
                 const Sampler& sample, const Trace& trace) {
    Verdict v;
    v.from_domain = from.str();
    const Discovered d = discover(dns, from, mode, trace);
    if (d.error == DmarcResult::Temperror) {
        v.result = DmarcResult::Temperror;
        v.reason = d.reason;
        return v;
    }
    if (!d.policy) {
        v.result = DmarcResult::None;
        v.reason = d.reason;
        return v;
    }
    v.policy_domain = d.policy->domain;
    v.policy = applicable_policy(d, from);
    const Record& r = d.policy->record;
    auto org_of = [&](const dns::Domain& x) -> Result<std::string> {
        if (x == from) return d.org_domain;
        return organizational_domain(dns, x, mode, trace);
    };
    v.spf_aligned = any_aligned(auth.spf, from, r.aspf, org_of, trace, "spf");
    v.dkim_aligned = any_aligned(auth.dkim, from, r.adkim, org_of, trace, "dkim");
    if (v.spf_aligned || v.dkim_aligned) {
        v.result = DmarcResult::Pass;
        v.reason = std::string("aligned ") + (v.dkim_aligned ? "DKIM" : "SPF") + " pass";
        return v;
    }
    // An aligned identifier whose check hit DNS trouble could still pass
    // (RFC 8601 §2.7.1, §2.7.2: temperror, "a later attempt may produce a
    // final result"): fail now would refuse for our own trouble (DESIGN §3).
    const bool spf_temp = any_aligned(auth.spf, from, r.aspf, org_of, trace, "spf", "temperror");
    if (spf_temp || any_aligned(auth.dkim, from, r.adkim, org_of, trace, "dkim", "temperror")) {
        v.result = DmarcResult::Temperror;
        v.reason = std::string("no aligned pass, and an aligned ") + (spf_temp ? "SPF" : "DKIM") +
                   " temperror: a later attempt may pass";
        return v;
    }
    v.result = DmarcResult::Fail;
    v.reason = "no aligned SPF or DKIM pass";
    v.disposition = v.policy;
    if (mode == Discovery::TreeWalk && r.testing) {
        v.disposition = lower_policy(v.policy);
        v.reason += "; t=y: testing, one step lower";
    } else if (mode == Discovery::Psl && r.pct < 100 && sample && !sample(r.pct)) {
        v.disposition = lower_policy(v.policy);
        v.reason += "; outside the pct=" + std::to_string(r.pct) + " sample, one step lower";
    }
    return v;
}

const Verdict& stricter(const Verdict& a, const Verdict& b) {
    if ((a.result == DmarcResult::Temperror) != (b.result == DmarcResult::Temperror))
        return a.result == DmarcResult::Temperror ? a : b;
    if (rank(a.disposition) != rank(b.disposition)) return rank(a.disposition) > rank(b.disposition) ? a : b;
    return rank(b.result) > rank(a.result) ? b : a;
}

}  // namespace qauth::dmarc
