// One-line diagnostics on stderr in qmail's form (DESIGN §3):
// "program: fatal: reason", "program: warning: reason".
#pragma once

#include <string_view>

#include "util/result.hpp"

namespace qauth {

/// Prints "PROGRAM: KIND: reason" on stderr as one line: a reason of at
/// most 400 bytes of printable ASCII as it is, any other made header-safe
/// by printable() (capped at 400 bytes). `kind` empty prints
/// "reason" alone, for the SMTP-ready line of a refusal ("5.7.1 ...").
void diag(std::string_view program, std::string_view kind, std::string_view reason);

/// Prints why a program cannot go on (DESIGN §3): "usage: PROGRAM: reason
/// (see --help)" for a usage error, else "PROGRAM: fatal: reason".
void report(std::string_view program, const Error& error);

}  // namespace qauth
