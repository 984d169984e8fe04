// Result type shared by every parser and protocol routine: a value, or an
// error that says which rule failed, so that diagnostics on standard error
// and the Authentication-Results reason can cite it.
#pragma once

#include <expected>
#include <string>
#include <utility>

namespace qauth {

/// Why an operation failed. `reason` is one human-readable line, normally
/// naming the RFC section whose rule was broken ("RFC 6376 3.5: missing b= tag").
struct Error {
    std::string reason;
    /// The caller asked for something impossible (a bad option value):
    /// reported as "usage: ..." (DESIGN §3), still a temporary failure.
    bool usage = false;
};

template <typename T>
using Result = std::expected<T, Error>;

/// Shorthand for returning a failure: `return fail("RFC 6376 3.5: ...");`.
inline std::unexpected<Error> fail(std::string reason) {
    return std::unexpected<Error>(Error{std::move(reason)});
}

/// A usage error: `return usage_error("--headers must include From");`.
inline std::unexpected<Error> usage_error(std::string reason) {
    return std::unexpected<Error>(Error{std::move(reason), true});
}

}  // namespace qauth
