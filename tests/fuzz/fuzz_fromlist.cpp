// Fuzz harness (tests/fuzz/fuzz.hpp, `make fuzz`): the RFC 5322 address-list
// parser and the RFC5322.From domains DMARC evaluates (mail/address.hpp).
// The input is parsed once as one field value and once as a header block,
// whose From fields go to from_domains(). Invariants, besides no crash:
// bounded output; every address non-empty, no longer than the input and,
// in a well-formed list, trimmed; every domain a fixed point of address_domain(); from_domains()
// succeeds only when every From address has exactly one '@' outside quotes,
// and then returns each domain once, all of them from those addresses.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "dns/domain.hpp"
#include "fuzz.hpp"
#include "mail/address.hpp"
#include "mail/header.hpp"
#include "util/strings.hpp"

using namespace qauth;

namespace {

std::size_t unquoted_ats(std::string_view a) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i] == '"') {
            for (++i; i < a.size() && a[i] != '"'; ++i)
                if (a[i] == '\\') ++i;
        } else if (a[i] == '@') {
            ++n;
        }
    }
    return n;
}

// A domain as from_domains() and address_domain() return it: a Mail name in
// normal form, and its own address_domain().
bool normal_domain(const std::string& d) {
    auto parsed = dns::Domain::parse(d, dns::NameRules::Mail);
    return parsed && parsed->str() == d && !d.empty() && mail::address_domain("x@" + d) == d;
}

void check_list(std::string_view value, const mail::AddressList& list) {
    if (list.addresses.size() > 100) __builtin_trap();
    for (const auto& a : list.addresses) {
        if (a.empty() || a.size() > value.size()) __builtin_trap();
        // Trimmed, but for an unterminated quoted string, which runs to the end as found.
        if (list.problem.empty() && (is_fws(a.front()) || is_fws(a.back()))) __builtin_trap();
        if (auto d = mail::address_domain(a); d && !normal_domain(*d)) __builtin_trap();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);

    auto list = mail::parse_address_list(text);
    check_list(text, list);
    if (mail::addresses(text) != list.addresses) __builtin_trap();

    mail::Header header;
    mail::parse_fields(text, header.fields);
    auto domains = mail::from_domains(header);
    if (!domains) {
        if (domains.error().reason.empty()) __builtin_trap();
        if ((domains.error().problem == mail::FromProblem::NoField) != header.find_all("From").empty())
            __builtin_trap();
        return 0;
    }
    if (domains->empty() || domains->size() > 100) __builtin_trap();
    std::vector<std::string> seen;
    for (std::size_t idx : header.find_all("From")) {
        std::string value = header.fields[idx].unfolded_value();
        auto from = mail::parse_address_list(value);
        check_list(value, from);
        if (!from.problem.empty() || from.addresses.empty()) __builtin_trap();
        for (const auto& a : from.addresses) {
            auto d = mail::address_domain(a);
            if (unquoted_ats(a) != 1 || !d) __builtin_trap();
            if (std::find(seen.begin(), seen.end(), *d) == seen.end()) seen.push_back(*d);
        }
    }
    // Exactly the domains of the addresses, once each, in first-seen order.
    if (seen != *domains) __builtin_trap();
    for (const auto& d : *domains)
        if (!normal_domain(d)) __builtin_trap();
    return 0;
}
