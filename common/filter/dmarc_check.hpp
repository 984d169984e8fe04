// dmarccheck as a filter stage: DMARC for the RFC5322.From domains of an
// incoming message (RFC 9989, or RFC 7489 with --discovery psl), from the
// SPF and DKIM results our own filters wrote in this pass, or computed here
// when missing; prepend Authentication-Results dmarc= and, when enforcing,
// refuse (p=reject) or mark (p=quarantine) the message.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "dkim/verify.hpp"
#include "dmarc/discovery.hpp"
#include "dns/resolver.hpp"
#include "filter/runner.hpp"
#include "qmail/envelope.hpp"

namespace qauth::filter {

/// The field dmarccheck prepends, when enforcing, to a message whose
/// policy asks for quarantine, for a delivery rule to act on (a .qmail
/// line, maildrop, Sieve): "X-Qauth-DMARC-Quarantine: example.com".
inline constexpr std::string_view kQuarantineName = "X-Qauth-DMARC-Quarantine";
inline constexpr std::string_view kQuarantineField = "X-Qauth-DMARC-Quarantine:";

struct DmarcCheckConfig {
    std::string control_dir;                 ///< --control-dir
    std::optional<std::string> authserv_id;  ///< --authserv-id
    dns::Options dns;                        ///< --dns-server, --dns-zone, --dns-timeout
    qmail::EnvelopeOptions envelope;         ///< --sender, --ip, --helo, --trust-received (for a missing SPF result)
    dmarc::Discovery discovery = dmarc::Discovery::TreeWalk;  ///< --discovery
    std::optional<bool> enforce;             ///< --reject / --no-reject (else control/dmarcreject, 0)
    bool check = false;                      ///< --check: exit status only
    dkim::VerifyOptions verify;              ///< for a missing DKIM result; --now
    dmarc::Trace trace;                      ///< --trace
    qmail::Environment env = qmail::process_env;
};

/// The stage for `config`: control/dmarc read (0: every message passes
/// unchanged, no field), control/dmarcreject (enforcement), the
/// authserv-id and the resolver. Errors name the option or file.
///
/// Per message: the SPF and DKIM results are the dmarc-relevant entries of
/// our own leading A-R block (authres/parse.hpp); fields below it with our
/// authserv-id are forged and removed. No spf= entry there: SPF is checked
/// here for the envelope (no local or guess rules); no dkim= entry: every
/// signature is verified here. Those results join our field. Every From
/// domain is evaluated and the stricter verdict decides (several From
/// domains); no From, or one without a usable domain, is permerror.
/// Enforcing: disposition reject is exit 100 "5.7.1 rejected by DMARC
/// policy for DOMAIN"; quarantine adds kQuarantineField; temperror is 111;
/// permerror (no usable From) is a refusal too. Not enforcing: the field
/// only, with dis=none. A kQuarantineField that arrived is removed, so that
/// only ours reaches the delivery rules. --check enforces unless
/// --no-reject says otherwise (main.cpp).
Result<std::unique_ptr<Stage>> make_dmarc_check(const DmarcCheckConfig& config);

}  // namespace qauth::filter
