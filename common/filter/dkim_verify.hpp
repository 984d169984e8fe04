// dkimverify as a filter stage: verify every DKIM-Signature and prepend one
// Authentication-Results field (RFC 6376 §6, RFC 8601), or with --check
// answer by exit status.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "dkim/verify.hpp"
#include "dns/resolver.hpp"
#include "filter/runner.hpp"

namespace qauth::filter {

struct DkimVerifyConfig {
    std::string control_dir;                 ///< --control-dir
    std::optional<std::string> authserv_id;  ///< --authserv-id
    dns::Options dns;                        ///< --dns-server, --dns-zone, --dns-timeout
    dkim::VerifyOptions verify;              ///< --allow-sha1, --max-signatures, --min-rsa-bits, --now
    bool check = false;                      ///< --check: 0 pass, 100 otherwise, 111 temperror
};

/// The verifying stage for `config`: the control directory opened (it must
/// exist), control/dkimverify read (0 switches verification off only while
/// control/dmarc is 0 too: DMARC needs it, DESIGN §5), the authserv-id
/// resolved and the resolver built (zone files are read now). Errors name
/// the option or file.
Result<std::unique_ptr<Stage>> make_dkim_verify(const DkimVerifyConfig& config);

}  // namespace qauth::filter
