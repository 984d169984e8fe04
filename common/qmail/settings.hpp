// The panel's switches as control files (DESIGN §5, issue 10): the table of
// every setting qauth-config shows and changes, with its default, its rule
// and where the programs read it; the effective value and its source; the
// check of a new value; and the panel's rule that DKIM verification stays on
// while DMARC is on.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "qmail/control.hpp"
#include "qmail/envelope.hpp"
#include "util/result.hpp"

namespace qauth::qmail {

/// What a setting's value must be.
enum class SettingRule {
    Switch,     ///< 0 or 1
    Number,     ///< a decimal number in [min, max]
    Separator,  ///< one of = + - (srs_separator)
    Domain,     ///< a host name (dkim::keygen_domain rules)
    SpfLocal,   ///< spf::parse_local_rules()
    SpfGuess,   ///< spf::parse_guess_rules()
    SpfExp,     ///< an SPF explanation macro-string (RFC 7208 §6.2, §7)
    Secrets,    ///< one secret a line (srs_secrets): never shown
};

struct Setting {
    std::string_view name;        ///< the control file
    std::string_view fallback;    ///< the programs' default when the file is missing ("" = none)
    SettingRule rule;
    long min = 0, max = 0;        ///< SettingRule::Number
    std::string_view env;         ///< an environment variable that overrides the file ("" = none)
    std::string_view default_of;  ///< the default is that setting's effective value (srs_hashmin)
    std::string_view description;

    /// Read as the programs read it: every line, joined by a space (spfrules,
    /// spfguess, spfexp), or one secret a line; else only the first line counts.
    bool multi_line() const;
    /// Given on standard input by `set NAME -` (multi-line settings only).
    bool secret() const { return rule == SettingRule::Secrets; }
    /// The valid values, for the list and for error messages ("0 or 1", "1-1023").
    std::string valid_values() const;
};

/// Every setting, in the order qauth-config shows them.
std::span<const Setting> settings();

/// The setting named `name`; nullptr for no such setting.
const Setting* find_setting(std::string_view name);

/// One line per setting, "NAME: description; valid values, default D[, env
/// E overrides]\n", in table order (what `qauth-config list` prints).
std::string describe_settings();

/// The file content for `value` given to `set` (standard input for a
/// multi-line setting): checked against the setting's rule and returned with
/// one trailing newline. A bad value is a usage error (Error::usage) whose
/// reason says what is wanted.
Result<std::string> check_value(const Setting& setting, std::string_view value);

/// What a setting is now.
struct Effective {
    std::string value;        ///< as shown: the value, "(none)", or "N secrets, mode 0600"
    std::string source;       ///< "default", "control/NAME" or "env NAME"
    std::string warning;      ///< a problem the admin should fix (invalid value, world-readable secrets)
    std::optional<long> number;  ///< a Switch or Number's value, when it is one
};

/// The effective value of `setting` in `control`, as the programs would take
/// it (an environment override first, then the file, then the default).
/// Errors name a file that exists but cannot be read.
Result<Effective> effective(const Setting& setting, const ControlDir& control, const Environment& env = process_env);

/// What `qauth-config show` prints.
struct SettingsTable {
    std::string text;                   ///< one line a setting: NAME  SOURCE  VALUE
    std::vector<std::string> warnings;  ///< the settings' warnings, in table order
};

/// The effective values of `chosen` as a table: NAME and SOURCE padded to
/// their widest entry plus two spaces, the value made printable (at most
/// 1000 bytes), each line ending in a newline. Errors are effective()'s.
Result<SettingsTable> settings_table(std::span<const Setting* const> chosen, const ControlDir& control,
                                     const Environment& env = process_env);

/// The panel's rule (DESIGN §5: dkimverify is forced on while DMARC is on):
/// a reason when changing `name` to `value` (nullopt: unset, back to the
/// default) would leave DMARC on (dmarc not 0) with DKIM verification off
/// (dkimverify 0); nullopt when the change is allowed. Errors are unreadable
/// files.
Result<std::optional<std::string>> panel_rule_refusal(const ControlDir& control, std::string_view name,
                                                      const std::optional<std::string>& value);

}  // namespace qauth::qmail
