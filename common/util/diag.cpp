#include "util/diag.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

#include "util/strings.hpp"

namespace qauth {

void diag(std::string_view program, std::string_view kind, std::string_view reason) {
    // Short printable ASCII stays as it is: an SPF explanation's double
    // spaces are the domain owner's text (the RFC 7208 suite compares them).
    constexpr std::size_t kMax = 400;
    const bool plain = reason.size() <= kMax && std::all_of(reason.begin(), reason.end(), [](char c) {
        return c >= 0x20 && c < 0x7f;
    });
    std::string text = plain ? std::string(reason) : printable(reason, kMax);
    if (kind.empty())
        std::fprintf(stderr, "%s\n", text.c_str());
    else
        std::fprintf(stderr, "%.*s: %.*s: %s\n", static_cast<int>(program.size()), program.data(),
                     static_cast<int>(kind.size()), kind.data(), text.c_str());
}

void report(std::string_view program, const Error& error) {
    if (!error.usage) return diag(program, "fatal", error.reason);
    std::fprintf(stderr, "usage: %.*s: %s (see --help)\n", static_cast<int>(program.size()), program.data(),
                 printable(error.reason, 400).c_str());
}

}  // namespace qauth
