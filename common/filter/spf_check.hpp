// spfcheck as a filter stage: check the client IP against the SPF policy of
// the MAIL FROM domain (and of the HELO name: when the sender is <>, or
// with --helo-check), prepend Received-SPF (RFC 7208 §9.1) and an
// Authentication-Results spf= entry (RFC 8601 §2.7.2), and accept, refuse
// or defer by the check mode (spf/policy.hpp).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "dns/resolver.hpp"
#include "filter/runner.hpp"
#include "qmail/envelope.hpp"
#include "spf/eval.hpp"
#include "spf/policy.hpp"

namespace qauth::filter {

/// The explanation used when the record has no exp= and control/spfexp is
/// missing (RFC 7208 §6.2 leaves the default to the receiver).
inline constexpr const char* kDefaultExplanation = "See https://www.open-spf.org/Why?s=%{S}&i=%{I}&r=%{R}";

struct SpfCheckConfig {
    std::string control_dir;                 ///< --control-dir
    std::optional<std::string> authserv_id;  ///< --authserv-id
    dns::Options dns;                        ///< --dns-server, --dns-zone, --dns-timeout
    qmail::EnvelopeOptions envelope;         ///< --sender, --ip, --helo, --trust-received
    std::optional<int> mode;                 ///< --mode (else $SPFBEHAVIOR, control/spfbehavior, 1)
    std::optional<std::string> local;        ///< --local (else control/spfrules)
    std::optional<std::string> guess;        ///< --guess (else control/spfguess)
    spf::GuessMode guess_mode = spf::GuessMode::MorePermissive;  ///< --guess-mode
    std::optional<std::string> explanation;  ///< --explanation (else control/spfexp, kDefaultExplanation)
    std::optional<std::string> record;       ///< --record: the MAIL FROM domain's record, not looked up
    bool helo_check = false;                 ///< --helo-check: check the HELO identity too
    bool check = false;                      ///< --check: exit status only
    std::int64_t now = 0;                    ///< %{t}, Unix seconds
    spf::Trace trace;                        ///< --trace: one call per line
    qmail::Environment env = qmail::process_env;
};

/// The checking stage for `config`: the control directory opened (it must
/// exist); the mode read (a value outside 0..6, from whichever source, is a
/// configuration error naming it; 0 makes every message pass unchanged, no
/// field written); the local and guess rules and the explanation read and
/// checked (errors name the file or option); the authserv-id (also the
/// receiver, %{r}) resolved; the resolver built.
///
/// Per message: relay clients ($RELAYCLIENT) and authenticated senders
/// ($SMTPAUTHUSER) pass unchanged and unchecked, as with the qmail SPF patch;
/// so does a message without a client IP (injected locally, not by SMTP).
/// A client IP that is no address is a temporary error naming its source.
/// Authentication-Results fields with our authserv-id below our own block
/// are removed as forged (DESIGN §7).
Result<std::unique_ptr<Stage>> make_spf_check(const SpfCheckConfig& config);

}  // namespace qauth::filter
