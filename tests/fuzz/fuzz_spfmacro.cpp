// Fuzz harness (tests/fuzz/fuzz.hpp, `make fuzz`): the input is a
// macro-string, expanded as a domain-spec and as explanation text with
// fixed IPv4 and IPv6 contexts (the RFC 7208 §7.4 sender).
#include <string>
#include <string_view>

#include "fuzz.hpp"
#include "spf/macro.hpp"

using namespace qauth;
using namespace qauth::spf;

namespace {
MacroContext context(const char* ip) {
    return MacroContext{.sender_local = "strong-bad",
                        .sender_domain = "email.example.com",
                        .domain = "email.example.com",
                        .client = *dns::IpAddress::parse(ip),
                        .helo = "mx.example.org",
                        .receiver = "receiver.example",
                        .timestamp = 1700000000,
                        .validated_name = [] { return std::string("mx.example.org"); }};
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const char* ip : {"192.0.2.3", "2001:db8::cb01"}) {
        const MacroContext ctx = context(ip);
        for (auto use : {MacroUse::DomainSpec, MacroUse::Explanation}) {
            auto out = expand(text, ctx, use);
            // The syntax check and the expansion walk the same grammar.
            if (out.has_value() != check_macro_string(text, use).has_value() &&
                out.error().reason != "RFC 7208 7.3: macro expansion longer than 64 KiB")
                __builtin_trap();
            if (!out) continue;
            // Valid input and a printable context give printable output:
            // nothing a header or SMTP reply could be broken with.
            for (char c : *out)
                if (c < 0x20 || c > 0x7e) __builtin_trap();
        }
    }
    return 0;
}
