// Loading srs::Params for one operation from the command line and the qmail
// control files (DESIGN §5), reading only the files that operation needs:
//
//   both      srs_domain, srs_secrets
//   rewrite   srs_hashlength, srs_separator, srs_alwaysrewrite, and unless
//             that is 1, rcpthosts and locals (our own domains)
//   reverse   srs_maxage, srs_hashmin (srs_hashlength only when srs_hashmin
//             is missing: it defaults to the hash length, as in Mail::SRS)
//
// Nothing here starts OpenSSL; only a hash does, when it is computed.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "srs/params.hpp"
#include "util/result.hpp"

namespace qauth::srs {

enum class Operation { Rewrite, Reverse };

/// Settings given on the command line; each one set wins over its control
/// file, which is then not read.
struct Overrides {
    std::string control_dir;                   ///< --control-dir ("" = $QMAIL_CONTROL or /var/qmail/control)
    std::optional<std::string> domain;         ///< --srs-domain
    std::vector<std::string> secrets;          ///< --secret (repeatable; first signs)
    std::optional<unsigned> maxage;            ///< --maxage
    std::optional<std::size_t> hashlength;     ///< --hashlength
    std::optional<std::size_t> hashmin;        ///< --hashmin
    std::optional<char> separator;             ///< --separator
    bool always_rewrite = false;               ///< --alwaysrewrite (forces it on)
    std::vector<std::string> local_domains;    ///< --local-domain (added to rcpthosts and locals)
};

/// Called with one line for each warning (a world-readable srs_secrets).
using Warn = std::function<void(std::string_view)>;

/// The parameters for `op`. The control directory is opened only when a
/// file has to be read; with `domain` and `secrets` given and no
/// `control_dir`, none is (a script's call: the other settings are their
/// options or the defaults, our domains only `local_domains`). SRS is off (Params::domain "") when srs_domain is
/// missing or empty: for Rewrite that is a result and nothing else is read;
/// for Reverse an error, since nothing can be reversed. Errors (configuration
/// errors, a temporary failure for the caller, each naming its file): a
/// missing control directory, an unreadable file, no secret (srs_secrets
/// missing or holding no secret line), a value out of range (srs_maxage
/// 1-1023, srs_hashlength and srs_hashmin 1-27, srs_separator one of
/// "=+-", srs_alwaysrewrite 0 or 1).
///
/// srs_secrets: one secret per line, exactly as written (a '#' or spaces
/// inside belong to it; only the line end and a trailing CR are removed);
/// empty lines and lines that start with '#' are skipped. A file other
/// users can read is used, with a warning.
Result<Params> load(Operation op, const Overrides& o, const Warn& warn);

/// The largest srs_secrets file read: a few secrets; anything larger is not one.
inline constexpr std::size_t kMaxSecretsFile = 64 * 1024;

/// The secrets in the text of an srs_secrets file, by the rule above (views
/// into `text`); an error when a line holds a NUL byte.
Result<std::vector<std::string_view>> secret_lines(std::string_view text);

}  // namespace qauth::srs
