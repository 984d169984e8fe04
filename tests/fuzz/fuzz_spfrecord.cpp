// Fuzz harness (tests/fuzz/fuzz.hpp, `make fuzz`): a TXT text goes through
// SPF record selection and the record parser, and every domain-spec of a
// record that parses through the macro expander, as the evaluator will.
#include <string>
#include <string_view>
#include <variant>

#include "fuzz.hpp"
#include "spf/macro.hpp"
#include "spf/record.hpp"

using namespace qauth;
using namespace qauth::spf;

namespace {
// A domain-spec that passed the parser is valid macro syntax: expanding it
// can only fail on the 64 KiB output bound.
void expand_or_trap(std::string_view spec, const MacroContext& ctx) {
    auto out = expand(spec, ctx, MacroUse::DomainSpec);
    if (!out && out.error().reason != "RFC 7208 7.3: macro expansion longer than 64 KiB") __builtin_trap();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    const std::string txt[] = {std::string(text)};
    auto chosen = select_record(txt);
    if (!chosen || chosen->has_value() != is_spf_record(text)) __builtin_trap();
    auto record = parse_record(text);
    if (!record) return 0;
    if (!is_spf_record(text) || record->terms.size() > kMaxTerms) __builtin_trap();
    const MacroContext ctx{.sender_local = "strong-bad",
                           .sender_domain = "email.example.com",
                           .domain = "email.example.com",
                           .client = *dns::IpAddress::parse("192.0.2.3"),
                           .helo = "mx.example.org",
                           .receiver = "",
                           .timestamp = 0,
                           .validated_name = nullptr};
    int redirects = 0, exps = 0;
    for (const auto& term : record->terms) {
        if (const auto* d = std::get_if<Directive>(&term)) {
            if (d->ip4_cidr > 32 || d->ip6_cidr > 128) __builtin_trap();
            const bool ip = d->mechanism == Mechanism::Ip4 || d->mechanism == Mechanism::Ip6;
            if (ip != d->network.has_value()) __builtin_trap();
            if (ip && d->network->v4() != (d->mechanism == Mechanism::Ip4)) __builtin_trap();
            if (!d->domain_spec.empty()) expand_or_trap(d->domain_spec, ctx);
        } else {
            const auto& m = std::get<Modifier>(term);
            redirects += m.kind == ModifierKind::Redirect;
            exps += m.kind == ModifierKind::Exp;
            if (m.kind != ModifierKind::Unknown) expand_or_trap(m.value, ctx);
        }
    }
    if (redirects > 1 || exps > 1) __builtin_trap();
    return 0;
}
