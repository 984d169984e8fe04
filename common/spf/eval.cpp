#include "spf/eval.hpp"

#include <algorithm>
#include <expected>
#include <optional>
#include <span>
#include <vector>

#include "dns/domain.hpp"
#include "spf/macro.hpp"
#include "spf/record.hpp"
#include "util/strings.hpp"

namespace qauth::spf {

namespace {

using dns::Answer;
using dns::RrType;
using dns::Status;

/// A mechanism's outcome: matched or not, or the error that ends the check.
using Match = std::expected<bool, CheckResult>;

/// A result with its reason, from no mechanism.
CheckResult done(SpfResult r, std::string reason) { return CheckResult{r, std::move(reason), {}, {}}; }

std::unexpected<CheckResult> stop(SpfResult r, std::string reason) {
    return std::unexpected<CheckResult>(done(r, std::move(reason)));
}

std::string_view type_name(RrType t) {
    switch (t) {
    case RrType::A: return "A";
    case RrType::AAAA: return "AAAA";
    case RrType::MX: return "MX";
    case RrType::PTR: return "PTR";
    case RrType::TXT: return "TXT";
    default: return "?";
    }
}

std::string answer_text(const Answer& a) {
    switch (a.status) {
    case Status::Answer: {
        std::string text;
        for (const auto& r : a.records) text += (text.empty() ? "" : ", ") + printable(r, 100);
        return "answer: " + text;
    }
    case Status::NxDomain: return "NXDOMAIN";
    case Status::NoData: return "no data";
    case Status::TempFail: return "temporary failure: " + printable(a.error);
    }
    return "?";
}

/// Lower case, no trailing dot: how names from DNS and expansions compare.
std::string normal_name(std::string_view name) {
    std::string n = lower(name);
    if (!n.empty() && n.back() == '.') n.pop_back();
    return n;
}

/// Longest explanation kept as it is: fits an SMTP reply line (RFC 5321
/// §4.5.3.1.5: 512 octets) with its code and the "5.7.1 SPF fail: " prefix.
constexpr std::size_t kMaxExplanation = 400;

/// The exp= text as a header field or SMTP reply may carry it: unchanged
/// when it is short printable ASCII (spaces too, as the RFC 7208 test suite
/// compares it byte for byte), else through printable(), which turns CR, LF
/// and other controls from macro values (a sender's local part) harmless.
std::string clean_explanation(std::string text) {
    const bool plain = text.size() <= kMaxExplanation &&
                       std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
    return plain ? text : printable(text, kMaxExplanation);
}

/// §4.3: a name check_host() can look up, of at least two labels.
bool valid_domain(std::string_view domain) {
    auto d = dns::Domain::parse(domain, dns::NameRules::Query);
    return d && d->str().find('.') != std::string::npos;
}

class Evaluator {
public:
    Evaluator(dns::Resolver& dns, const dns::IpAddress& ip, std::string_view sender, std::string_view domain,
              const CheckContext& ctx)
        : dns_(dns), ip_(ip.unmapped()), ctx_(ctx) {
        const auto at = sender.rfind('@');
        if (at == std::string_view::npos) {
            local_ = "postmaster";
            sender_domain_ = sender.empty() ? std::string(domain) : std::string(sender);
        } else {
            local_ = at == 0 ? "postmaster" : std::string(sender.substr(0, at));
            sender_domain_ = std::string(sender.substr(at + 1));
        }
    }

    /// check_host() for `domain`; `explain`: fetch exp= on fail (not inside
    /// include, §6.2); `top`: the check of the caller's own domain, where
    /// CheckContext::record and local_rules apply.
    CheckResult check(const std::string& domain, bool explain, bool top) {
        trace("check_host(" + ip_.str() + ", " + printable(domain) + ", " + printable(local_) + "@" +
              printable(sender_domain_) + ")");
        if (!valid_domain(domain))
            return done(SpfResult::None, "RFC 7208 4.3: " + quoted(domain) + " is no multi-label domain name");
        const bool local = top && !ctx_.local_rules.empty();
        auto record = top && ctx_.record ? parse_given(*ctx_.record) : fetch(domain);
        if (!record && !(local && record.error().result == SpfResult::None)) return record.error();
        if (!record) {  // no record: the local rules alone, and none when they do not match
            trace("no record: local rules alone");
            auto m = directives(ctx_.local_rules, {}, domain, explain, kLocalRuleReason);
            return m ? std::move(*m) : record.error();
        }
        // The local rules go before the record's final "all", or after its
        // last directive when it ends otherwise (a redirect= still follows).
        std::vector<const Directive*> order;
        for (const Term& term : record->terms)
            if (const auto* d = std::get_if<Directive>(&term)) order.push_back(d);
        std::size_t insert_at = order.size();
        if (!order.empty() && order.back()->mechanism == Mechanism::All) --insert_at;
        if (local) {
            if (auto m = directives(std::span(order).first(insert_at), *record, domain, explain, "mechanism "))
                return std::move(*m);
            if (auto m = directives(ctx_.local_rules, *record, domain, explain, kLocalRuleReason)) return std::move(*m);
            if (auto m = directives(std::span(order).subspan(insert_at), *record, domain, explain, "mechanism "))
                return std::move(*m);
        } else if (auto m = directives(order, *record, domain, explain, "mechanism ")) {
            return std::move(*m);
        }
        if (const Modifier* redirect = record->find(ModifierKind::Redirect)) {
            trace("term redirect=" + printable(redirect->value));
            if (auto over = count_term()) return *over;
            auto target = expand(redirect->value, macros(domain), MacroUse::DomainSpec);
            if (!target) return done(SpfResult::Permerror, target.error().reason);
            CheckResult inner = check(*target, explain, false);
            if (inner.result == SpfResult::None)
                return done(SpfResult::Permerror,
                            "RFC 7208 6.1: redirect target " + quoted(*target) + " has no SPF record");
            return inner;
        }
        return done(SpfResult::Neutral, "RFC 7208 4.7: no mechanism matched, default neutral");
    }

    void trace(std::string_view line) const {
        if (ctx_.trace) ctx_.trace(line);
    }

    const Budget& budget() const { return budget_; }

    /// `text` expanded as explanation text for `domain` (expand_explanation()).
    std::string explain(const std::string& domain, std::string_view text) {
        auto expanded = expand(text, macros(domain), MacroUse::Explanation);
        return expanded ? clean_explanation(std::move(*expanded)) : printable(text, kMaxExplanation);
    }

private:
    static std::string quoted(std::string_view name) { return "\"" + printable(name) + "\""; }

    /// The record of `domain` (§4.4, §4.5), or the result that ends the check:
    /// temperror on DNS failure, none without a record, permerror when there
    /// are several or it does not parse.
    std::expected<Record, CheckResult> fetch(const std::string& domain) {
        const Answer txt = query(domain, RrType::TXT);
        if (txt.status == Status::TempFail)
            return stop(SpfResult::Temperror, "RFC 7208 4.4: DNS failure looking up the record of " + quoted(domain));
        if (txt.status != Status::Answer)
            return stop(SpfResult::None, "RFC 7208 4.4: no SPF record at " + quoted(domain));
        auto selected = select_record(txt.records);
        if (!selected) return stop(SpfResult::Permerror, selected.error().reason);
        if (!*selected) return stop(SpfResult::None, "RFC 7208 4.5: no SPF record at " + quoted(domain));
        return parse_given(**selected);
    }

    /// A record's text parsed, or permerror (§4.6).
    std::expected<Record, CheckResult> parse_given(std::string_view text) {
        auto record = parse_record(text);
        if (!record) return stop(SpfResult::Permerror, record.error().reason);
        return std::move(*record);
    }

    /// Evaluates `list` left to right (§4.6.2): the result of the first
    /// matching directive (with the record's exp= on fail, §6.2), the error
    /// that ended evaluation, or nullopt when none matched. `what` starts
    /// the reason ("mechanism ", kLocalRuleReason).
    template <typename List>
    std::optional<CheckResult> directives(const List& list, const Record& record, const std::string& domain,
                                          bool explain, std::string_view what) {
        for (const auto& item : list) {
            const Directive& d = deref(item);
            const std::string text = directive_text(d);
            trace(std::string(what == "mechanism " ? "term " : what) + printable(text));
            Match m = match(d, domain);
            if (!m) return m.error();
            if (!*m) continue;
            CheckResult r{qualifier_result(d.qualifier), std::string(what) + printable(text) + " matched", {}, text};
            if (r.result == SpfResult::Fail && explain) r.explanation = explanation(record, domain);
            return r;
        }
        return std::nullopt;
    }
    static const Directive& deref(const Directive& d) { return d; }
    static const Directive& deref(const Directive* d) { return *d; }

    Answer query(std::string_view name, RrType type) { return traced(name, type, dns_.query(name, type)); }

    /// `a`, the answer to `name`/`type`, after its trace line.
    Answer traced(std::string_view name, RrType type, Answer a) {
        trace("dns " + printable(name) + " " + std::string(type_name(type)) + ": " + answer_text(a));
        return a;
    }

    /// One more of a §4.6.4 limit's count `n` (`what` names it in the trace
    /// and the reason); the permerror once past `max`.
    std::optional<CheckResult> count(int& n, int max, std::string_view what) {
        ++n;
        trace("limits: " + std::to_string(n) + " of " + std::to_string(max) + " " + std::string(what));
        if (n > max)
            return done(SpfResult::Permerror,
                        "RFC 7208 4.6.4: more than " + std::to_string(max) + " " + std::string(what));
        return std::nullopt;
    }

    /// The address type a/mx look up for this client (§5.3, §5.4).
    RrType address_type() const { return ip_.v4() ? RrType::A : RrType::AAAA; }

    /// Counts a DNS-querying term (§4.6.4); the error once over the limit.
    std::optional<CheckResult> count_term() { return count(budget_.dns_terms, kMaxDnsTerms, "DNS-querying terms"); }

    /// Counts a void answer (§4.6.4); the error once over the limit.
    std::optional<CheckResult> count_void(const Answer& a) {
        if (a.status != Status::NxDomain && a.status != Status::NoData) return std::nullopt;
        return count(budget_.void_lookups, kMaxVoidLookups, "void lookups");
    }

    /// An address lookup of a mechanism (§5): temperror on DNS failure,
    /// permerror past the void limit, else the addresses (none for a void answer).
    std::expected<std::vector<dns::IpAddress>, CheckResult> addresses(std::string_view name, RrType type) {
        return addresses(name, query(name, type));
    }

    /// The same for `a`, the answer of such a lookup of `name` asked already.
    std::expected<std::vector<dns::IpAddress>, CheckResult> addresses(std::string_view name, Answer a) {
        if (a.status == Status::TempFail)
            return stop(SpfResult::Temperror, "RFC 7208 5: DNS failure looking up " + quoted(name));
        if (auto over = count_void(a)) return std::unexpected(*over);
        return std::move(a.addresses);
    }

    bool in_cidr(const std::vector<dns::IpAddress>& addrs, const Directive& d) const {
        for (const auto& a : addrs)
            if (ip_.in_network(a.unmapped(), ip_.v4() ? d.ip4_cidr : d.ip6_cidr)) return true;
        return false;
    }

    MacroContext macros(const std::string& domain) {
        return MacroContext{local_,       sender_domain_, domain, ip_, ctx_.helo, ctx_.receiver, ctx_.timestamp,
                            [this, domain] { return validated_name(domain); }};
    }

    /// The <target-name> of a directive: its domain-spec expanded, or the current domain (§4.8).
    std::expected<std::string, CheckResult> target(const Directive& d, const std::string& domain) {
        if (d.domain_spec.empty()) return domain;
        auto t = expand(d.domain_spec, macros(domain), MacroUse::DomainSpec);
        if (!t) return stop(SpfResult::Permerror, t.error().reason);
        return std::move(*t);
    }

    Match match(const Directive& d, const std::string& domain) {
        switch (d.mechanism) {
        case Mechanism::All: return true;
        case Mechanism::Ip4: return ip_.v4() && ip_.in_network(*d.network, d.ip4_cidr);
        case Mechanism::Ip6: return !ip_.v4() && ip_.in_network(*d.network, d.ip6_cidr);
        default: break;
        }
        if (auto over = count_term()) return std::unexpected(*over);
        auto t = target(d, domain);
        if (!t) return std::unexpected(t.error());
        switch (d.mechanism) {
        case Mechanism::Include: return include(*t);
        case Mechanism::A: {
            auto addrs = addresses(*t, address_type());
            if (!addrs) return std::unexpected(addrs.error());
            return in_cidr(*addrs, d);
        }
        case Mechanism::Mx: return mx(*t, d);
        case Mechanism::Ptr: {
            Answer ptr = query(dns::reverse_name(ip_), RrType::PTR);
            if (auto over = count_void(ptr)) return std::unexpected(*over);
            const std::string want = normal_name(*t);
            for (const auto& name : validated_names(ptr))
                if (name == want || name.ends_with("." + want)) return true;
            return false;
        }
        case Mechanism::Exists: {
            auto addrs = addresses(*t, RrType::A);  // always A, whatever the client (§5.7)
            if (!addrs) return std::unexpected(addrs.error());
            return !addrs->empty();
        }
        default: return false;  // handled above
        }
    }

    /// §5.2: the inner result mapped to match, no match or an error.
    Match include(const std::string& target) {
        CheckResult inner = check(target, false, false);
        trace("include:" + printable(target) + " gave " + std::string(result_name(inner.result)) + ": " + inner.reason);
        switch (inner.result) {
        case SpfResult::Pass: return true;
        case SpfResult::Fail:
        case SpfResult::Softfail:
        case SpfResult::Neutral: return false;
        case SpfResult::Temperror: return std::unexpected(inner);
        case SpfResult::None:
            return stop(SpfResult::Permerror, "RFC 7208 5.2: include target " + quoted(target) + " has no SPF record");
        case SpfResult::Permerror: return std::unexpected(inner);
        }
        return false;
    }

    /// §5.4: the MX names of `target` (at most kMaxMxNames) and their addresses.
    Match mx(const std::string& target, const Directive& d) {
        Answer a = query(target, RrType::MX);
        if (a.status == Status::TempFail)
            return stop(SpfResult::Temperror, "RFC 7208 5: DNS failure looking up " + quoted(target));
        if (auto over = count_void(a)) return std::unexpected(*over);
        if (a.mx.size() > kMaxMxNames)
            return stop(SpfResult::Permerror, "RFC 7208 4.6.4: more than " + std::to_string(kMaxMxNames) +
                                                  " MX names at " + quoted(target));
        // Every MX name's address lookup in one batch, one round trip (see
        // check_host() in eval.hpp), then taken in order as if asked one by one.
        std::vector<dns::Question> hosts;
        for (const auto& m : a.mx)
            if (!m.null()) hosts.push_back({m.host, address_type()});  // "0 ." (RFC 7505) names no host
        std::vector<Answer> answers = dns_.query_all(hosts);
        for (std::size_t i = 0; i < hosts.size(); ++i) {
            auto addrs = addresses(hosts[i].name, traced(hosts[i].name, hosts[i].type, std::move(answers[i])));
            if (!addrs) return std::unexpected(addrs.error());
            if (in_cidr(*addrs, d)) return true;
        }
        return false;
    }

    /// §5.5: the names of the client's PTR answer `ptr` (the first
    /// kMaxPtrNames) whose own addresses include the client. A PTR lookup
    /// that failed gives none; a name whose address lookup fails is skipped.
    std::vector<std::string> validated_names(const Answer& ptr) {
        std::vector<std::string> names;
        if (ptr.status != Status::Answer) return names;
        // All in one batch, one round trip (see check_host() in eval.hpp).
        std::vector<dns::Question> questions;
        for (std::size_t i = 0; i < ptr.records.size() && i < kMaxPtrNames; ++i)
            questions.push_back({ptr.records[i], address_type()});
        std::vector<Answer> answers = dns_.query_all(questions);
        for (std::size_t i = 0; i < questions.size(); ++i) {
            const Answer a = traced(questions[i].name, questions[i].type, std::move(answers[i]));
            if (a.status != Status::Answer) continue;
            for (const auto& addr : a.addresses)
                if (addr.unmapped() == ip_) {
                    names.push_back(normal_name(questions[i].name));
                    break;
                }
        }
        return names;
    }

    /// %{p} (§7.3): the validated name equal to <domain>, else one below it,
    /// else any, else "unknown".
    std::string validated_name(const std::string& domain) {
        const std::string want = normal_name(domain);
        // Not a term: its lookups count against no limit (§4.6.4).
        const std::vector<std::string> names = validated_names(query(dns::reverse_name(ip_), RrType::PTR));
        for (const auto& n : names)
            if (n == want) return n;
        for (const auto& n : names)
            if (n.ends_with("." + want)) return n;
        return names.empty() ? "unknown" : names.front();
    }

    /// §6.2: the exp= text of a failing record, or "" when there is none or
    /// any step fails. Its lookups count against no limit.
    std::string explanation(const Record& record, const std::string& domain) {
        const Modifier* exp = record.find(ModifierKind::Exp);
        if (!exp) return {};
        trace("term exp=" + printable(exp->value));
        auto name = expand(exp->value, macros(domain), MacroUse::DomainSpec);
        if (!name) {
            trace("exp= ignored: " + name.error().reason);
            return {};
        }
        Answer a = query(*name, RrType::TXT);
        if (a.status != Status::Answer || a.records.size() != 1) {
            trace("exp= ignored: RFC 7208 6.2: no single TXT record at " + quoted(*name));
            return {};
        }
        auto text = expand(a.records.front(), macros(domain), MacroUse::Explanation);
        if (!text) {
            trace("exp= ignored: " + text.error().reason);
            return {};
        }
        return clean_explanation(*text);
    }

    dns::Resolver& dns_;
    const dns::IpAddress ip_;
    const CheckContext& ctx_;
    std::string local_, sender_domain_;
    Budget budget_;
};

}  // namespace

CheckResult check_host(dns::Resolver& dns, const dns::IpAddress& ip, std::string_view domain, std::string_view sender,
                       const CheckContext& context) {
    Evaluator e(dns, ip, sender, domain, context);
    CheckResult r = e.check(std::string(domain), true, true);
    e.trace("result " + std::string(result_name(r.result)) + ": " + r.reason + " (" +
            std::to_string(e.budget().dns_terms) + " DNS-querying terms, " + std::to_string(e.budget().void_lookups) +
            " void lookups)");
    return r;
}

std::string expand_explanation(dns::Resolver& dns, const dns::IpAddress& ip, std::string_view domain,
                               std::string_view sender, const CheckContext& context, std::string_view text) {
    return Evaluator(dns, ip, sender, domain, context).explain(std::string(domain), text);
}

}  // namespace qauth::spf
