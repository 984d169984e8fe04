// Changing control files safely (qauth-config): a crash leaves the old file
// or the new one, never part of one, and a change keeps the file's owner and
// mode.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "qmail/control.hpp"
#include "qmail/settings.hpp"
#include "util/result.hpp"

namespace qauth::qmail {

/// Makes `content` control file `name` with io::write_file_atomically: a
/// temporary file in the control directory, written, fsync'ed, renamed over
/// the old file, the directory fsync'ed. An existing file passes on its owner
/// and group (where we may set them) and its mode, less the bits for others
/// when `secret`; a new file gets mode 0644, or 0600 when `secret`.
Result<void> write_control(const ControlDir& control, std::string_view name, std::string_view content, bool secret);

/// Removes control file `name` (the programs then take the default) and
/// fsyncs the directory. False when there was no file.
Result<bool> remove_control(const ControlDir& control, std::string_view name);

/// `set` (`content` from check_value()) or `unset` (nullopt) of `setting`,
/// under an exclusive lock on the control directory (io::DirLock), so that
/// the panel's rule (panel_rule_refusal()) is checked against what the
/// other writers left. A refusal is a usage error (Error::usage); anything
/// else is I/O trouble naming the file.
Result<void> change_setting(const ControlDir& control, const Setting& setting,
                            const std::optional<std::string>& content);

/// `qauth-config set NAME VALUE`: VALUE "-" for a multi-line setting is read
/// from standard input (at most kMaxControlFile bytes); a secret given on the
/// command line is refused (every user sees a command line); then
/// check_value() and change_setting(). Refusals are usage errors. `warn` is
/// told when the setting's environment variable is set here and overrides
/// the file.
Result<void> set_setting(const ControlDir& control, const Setting& setting, const std::string& value,
                         const std::function<void(const std::string&)>& warn);

}  // namespace qauth::qmail
