#include "util/diag.hpp"

#include <cstdio>
#include <string>

#include "util/strings.hpp"

namespace qauth {

void diag(std::string_view program, std::string_view kind, std::string_view reason) {
    std::string text = printable(reason, 400);
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
