// qmail-dkimsign as a filter stage: sign with the keys of the message's
// domain, or pass it through unsigned (DESIGN §5).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "dkim/sign_policy.hpp"
#include "filter/runner.hpp"
#include "qmail/envelope.hpp"

namespace qauth::filter {

struct DkimSignConfig {
    std::string control_dir;           ///< --control-dir ("" = $QMAIL_CONTROL or the default)
    dkim::SignOptions sign;
    qmail::EnvelopeOptions envelope;   ///< --sender
    std::uint64_t now = 0;             ///< t=, Unix seconds
};

/// The signing stage for `config`: options checked (usage errors), the
/// control directory opened (it must exist) and control/dkimsign read (0:
/// every message passes through unsigned). Errors name the option or file.
Result<std::unique_ptr<Stage>> make_dkim_sign(const DkimSignConfig& config);

}  // namespace qauth::filter
