// Which authserv-id our Authentication-Results fields carry (RFC 8601 §2.2,
// DESIGN §5): --authserv-id, else control/me, else the host name.
#pragma once

#include <optional>
#include <string>

#include "qmail/control.hpp"
#include "util/result.hpp"

namespace qauth::authres {

/// The authserv-id: `option` when given (an empty one is a usage error),
/// else the first line of control/me, else the host name, else "localhost".
/// It stands in every A-R field as a bare token, so a value that is not one
/// (valid_authserv_id) is an error naming where it came from; so is an
/// unreadable control/me.
Result<std::string> resolve_authserv_id(const std::optional<std::string>& option, const qmail::ControlDir& control);

}  // namespace qauth::authres
