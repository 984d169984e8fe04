#include "dnsrecords/spf_lint.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "dns/text.hpp"
#include "dnsrecords/query.hpp"
#include "spf/eval.hpp"

namespace qauth::dnsrecords {
namespace {

/// The SPF record at `name`, parsed; nullopt (with what went wrong in
/// `lint`, or as DNS trouble) when there is none to use. `none`, `several`
/// and `broken` say how to word each case: "%s" is where `name` goes.
struct Wording {
    std::string none, several, broken;
};

std::string fill(const std::string& pattern, std::string_view name) {
    std::string out = pattern;
    if (auto at = out.find("%s"); at != out.npos) out.replace(at, 2, name);
    return out;
}

std::optional<spf::Record> fetch(dns::Resolver& dns, std::string_view name, const std::string& where,
                                 const Wording& w, Lint& lint, std::string* text = nullptr) {
    auto a = ask(dns, name, dns::RrType::TXT, lint);
    if (!a) return std::nullopt;
    auto chosen = spf::select_record(a->records);
    if (!chosen) {
        lint.add(where, fill(w.several, name));
        return std::nullopt;
    }
    if (!*chosen) {
        lint.add(where, fill(w.none, name));
        return std::nullopt;
    }
    if (text) *text = std::string(**chosen);
    auto rec = spf::parse_record(**chosen);
    if (!rec) {
        lint.add(where, fill(w.broken, name) + rec.error().reason);
        return std::nullopt;
    }
    return std::move(*rec);
}

bool has_all(const spf::Record& r) {
    return std::any_of(r.terms.begin(), r.terms.end(), [](const spf::Term& t) {
        auto* d = std::get_if<spf::Directive>(&t);
        return d && d->mechanism == spf::Mechanism::All;
    });
}

class Walker {
public:
    Walker(dns::Resolver& dns, std::string_view top, Lint& lint) : dns_(dns), top_(top), lint_(lint) {}

    void walk(std::string_view domain, const spf::Record& record, int depth) {
        path_.emplace_back(domain);
        for (const auto& term : record.terms) {
            if (cost_.dns_terms >= kMaxCountedTerms) {
                cost_.stopped = true;
                break;
            }
            if (auto* d = std::get_if<spf::Directive>(&term))
                directive(domain, *d, depth);
            else if (auto* m = std::get_if<spf::Modifier>(&term); m->kind == spf::ModifierKind::Redirect &&
                                                                   !has_all(record)) {
                ++cost_.dns_terms;
                follow("redirect=", m->value, depth);
            }
        }
        path_.pop_back();
    }

    const SpfCost& cost() const { return cost_; }

private:
    /// The target of a term, canonical; nullopt when it has macros (it
    /// depends on the sender or client, so is not asked) or is no name.
    static std::optional<std::string> target(std::string_view domain, std::string_view spec) {
        if (spec.empty()) return std::string(domain);
        if (spec.find('%') != spec.npos) return std::nullopt;
        return dns::canonical_name(spec);
    }

    void directive(std::string_view domain, const spf::Directive& d, int depth) {
        using M = spf::Mechanism;
        if (d.mechanism == M::All || d.mechanism == M::Ip4 || d.mechanism == M::Ip6) return;
        ++cost_.dns_terms;
        auto name = target(domain, d.domain_spec);
        switch (d.mechanism) {
            case M::Include:
                follow("include:", d.domain_spec, depth);
                break;
            case M::Ptr:
                lint_.add(top_, "RFC 7208 5.5: " + spf::directive_text(d) +
                                    ": the ptr mechanism SHOULD NOT be used (slow, unreliable; many receivers skip it)");
                break;
            case M::A:
            case M::Exists:
                if (name) void_lookup(*name, dns::RrType::A);
                break;
            case M::Mx:
                if (name) mx(*name);
                break;
            default:
                break;
        }
    }

    void void_lookup(std::string_view name, dns::RrType type) {
        if (auto a = ask(dns_, name, type, lint_); a && is_void(*a)) ++cost_.void_lookups;
    }

    void mx(std::string_view name) {
        auto a = ask(dns_, name, dns::RrType::MX, lint_);
        if (!a) return;
        if (is_void(*a)) {
            ++cost_.void_lookups;
            return;
        }
        if (a->mx.size() > spf::kMaxMxNames) {
            lint_.add(top_, "RFC 7208 4.6.4: " + std::string(name) + " has " + std::to_string(a->mx.size()) +
                                " MX records, over the limit of 10 for an mx term: permerror");
            return;
        }
        std::vector<dns::Question> qs;
        for (const auto& m : a->mx)
            if (!m.null()) qs.push_back({m.host, dns::RrType::A});
        auto answers = dns_.query_all(qs);
        for (std::size_t i = 0; i < answers.size(); ++i) {
            if (answers[i].status == dns::Status::TempFail)
                note_trouble(lint_, qs[i].name, dns::RrType::A, answers[i]);
            else if (is_void(answers[i]))
                ++cost_.void_lookups;
        }
    }

    void follow(std::string_view how, std::string_view spec, int depth) {
        auto name = target("", spec);
        if (!name || name->empty()) return;  // macros: known only at check time
        const std::string term = std::string(how) + *name;
        if (std::find(path_.begin(), path_.end(), *name) != path_.end()) {
            lint_.add(top_, "RFC 7208 4.6.4: " + term + " loops back to a record that includes it: permerror");
            return;
        }
        if (depth >= kMaxIncludeDepth) {
            lint_.add(top_, "RFC 7208 4.6.4: " + term + " nested more than " + std::to_string(kMaxIncludeDepth) +
                                " deep: not followed");
            return;
        }
        const bool redirect = how == "redirect=";
        const std::string rule = redirect ? "RFC 7208 6.1: " : "RFC 7208 5.2: ";
        Wording w{rule + term + ": no SPF record at %s: permerror", "RFC 7208 4.5: " + term + ": several SPF records at %s: permerror",
                  "RFC 7208 4.6: " + term + ": record at %s does not parse, permerror: "};
        if (auto rec = fetch(dns_, *name, top_, w, lint_)) walk(*name, *rec, depth + 1);
    }

    dns::Resolver& dns_;
    std::string top_;
    Lint& lint_;
    SpfCost cost_;
    std::vector<std::string> path_;
};

bool same_terms(const spf::Record& a, const spf::Record& b) { return a.terms == b.terms; }

}  // namespace

SpfCost spf_cost(dns::Resolver& dns, std::string_view domain, const spf::Record& record, Lint& lint) {
    Walker w(dns, domain, lint);
    w.walk(domain, record, 0);
    return w.cost();
}

void lint_spf(dns::Resolver& dns, std::string_view name, std::string_view expected, Lint& lint) {
    const std::string want = "\"" + std::string(expected) + "\"";
    Wording w{"RFC 7208 4.5: no SPF record; want " + want,
              "RFC 7208 4.5: several SPF records: permerror at every receiver; publish one, " + want,
              "RFC 7208 4.6: the SPF record does not parse, permerror at every receiver: "};
    std::string text;
    auto rec = fetch(dns, name, std::string(name), w, lint, &text);
    if (!rec) return;
    auto ours = spf::parse_record(expected);
    if (ours && !same_terms(*rec, *ours))
        lint.add(std::string(name), "RFC 7208 4.5: published \"" + text + "\" differs from ours, " + want);
    SpfCost cost = spf_cost(dns, name, *rec, lint);
    if (cost.dns_terms > spf::kMaxDnsTerms)
        lint.add(std::string(name), "RFC 7208 4.6.4: " + std::string(cost.stopped ? "at least " : "") +
                                        std::to_string(cost.dns_terms) +
                                        " DNS-querying terms (include, a, mx, ptr, exists, redirect, through every "
                                        "include), over the limit of 10: permerror at every receiver");
    if (cost.void_lookups > spf::kMaxVoidLookups)
        lint.add(std::string(name), "RFC 7208 4.6.4: " + std::to_string(cost.void_lookups) +
                                        " void lookups (NXDOMAIN or no data), over the limit of 2: permerror");
}

}  // namespace qauth::dnsrecords
