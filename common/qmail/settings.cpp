#include "qmail/settings.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <sys/stat.h>

#include "dkim/keygen.hpp"
#include "filter/spf_check.hpp"
#include "spf/macro.hpp"
#include "spf/policy.hpp"
#include "spf/record.hpp"
#include "crypto/secret.hpp"
#include "srs/config.hpp"
#include "srs/hash.hpp"
#include "srs/timestamp.hpp"
#include "util/io.hpp"
#include "util/strings.hpp"

namespace qauth::qmail {
namespace {

using R = SettingRule;

// The defaults and ranges are those of the readers: filter/dkim_sign.cpp,
// filter/dkim_verify.cpp, filter/dmarc_check.cpp, filter/spf_check.cpp,
// srs/config.cpp. tests/unit/test_settings.cpp checks them against the
// readers' behaviour where it can.
constexpr std::array kSettings{
    Setting{"dkimsign", "1", R::Switch, 0, 0, "", "", "sign outgoing mail (qmail-dkimsign; per domain: a key in domainkeys/DOMAIN)"},
    Setting{"dkimverify", "1", R::Switch, 0, 0, "", "", "verify DKIM signatures of incoming mail (dkimverify; forced on while dmarc is on)"},
    Setting{"dmarc", "1", R::Switch, 0, 0, "", "", "check the DMARC policy of incoming mail (dmarccheck)"},
    Setting{"dmarcreject", "0", R::Switch, 0, 0, "", "", "refuse mail whose DMARC policy says reject or quarantine"},
    Setting{"spfbehavior", "1", R::Number, 0, 6, "SPFBEHAVIOR", "", "SPF check mode (spfcheck; 0 off, 1 add headers only, 2-6 also defer or refuse: man spfcheck)"},
    Setting{"spfrules", "", R::SpfLocal, 0, 0, "", "", "local SPF rules, tried before the sender's record's final all"},
    Setting{"spfguess", "", R::SpfGuess, 0, 0, "", "", "SPF guess rules, a record for domains without one"},
    Setting{"spfexp", filter::kDefaultExplanation, R::SpfExp, 0, 0, "", "", "SPF explanation for refused mail (macros allowed)"},
    Setting{"srs_domain", "", R::Domain, 0, 0, "", "", "SRS domain for forwarded mail (missing: SRS off)"},
    Setting{"srs_secrets", "", R::Secrets, 0, 0, "", "", "SRS secrets, one a line, the first signs (never shown)"},
    Setting{"srs_maxage", "21", R::Number, 1, srs::kTimeSlots - 1, "", "", "days an SRS address stays valid"},
    Setting{"srs_hashlength", "4", R::Number, 1, static_cast<long>(srs::kMaxHashLength), "", "", "length of the SRS hash written"},
    Setting{"srs_hashmin", "", R::Number, 1, static_cast<long>(srs::kMaxHashLength), "", "srs_hashlength", "shortest SRS hash accepted"},
    Setting{"srs_separator", "=", R::Separator, 0, 0, "", "", "separator after SRS0/SRS1"},
    Setting{"srs_alwaysrewrite", "0", R::Switch, 0, 0, "", "", "rewrite the sender of every forward, even one from our domains"},
};

std::string_view strip_newline(std::string_view v) {
    if (v.ends_with('\n')) v.remove_suffix(1);
    return v;
}

Result<long> to_number(std::string_view v) {
    long n = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (v.empty() || v.size() > 9 || ec != std::errc() || end != v.data() + v.size() || v.front() == '-')
        return fail("not a number");
    return n;
}

/// Lines joined by a space, as the SPF readers take a control file.
std::string join(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += (out.empty() ? "" : " ") + l;
    return out;
}

std::string joined_lines(std::string_view text) { return join(control_lines(text)); }

Result<void> check_spf(R rule, const std::string& text) {
    if (rule == R::SpfLocal) {
        if (auto r = spf::parse_local_rules(text); !r) return std::unexpected(r.error());
    } else if (rule == R::SpfGuess) {
        if (auto r = spf::parse_guess_rules(text); !r) return std::unexpected(r.error());
    } else if (auto r = spf::check_macro_string(text, spf::MacroUse::Explanation); !r) {
        return std::unexpected(r.error());
    }
    return {};
}

std::string mode_text(mode_t mode) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
    return buf;
}

Result<Effective> effective_secrets(const Setting& s, const ControlDir& control) {
    const std::string path = control.path(s.name);
    bool missing = false;
    auto text = io::read_file(path, srs::kMaxSecretsFile, &missing);
    if (!text) {
        if (missing) return Effective{"(none)", "default", "", std::nullopt};
        return std::unexpected(text.error());
    }
    crypto::SecretString file(std::move(*text));
    Effective e{"", "control/" + std::string(s.name), "", std::nullopt};
    auto lines = srs::secret_lines(file.view());
    std::size_t n = lines ? lines->size() : 0;
    e.value = std::to_string(n) + (n == 1 ? " secret" : " secrets");
    if (!lines) e.warning = path + ": " + lines.error().reason;
    struct stat st;
    if (::stat(path.c_str(), &st) == 0) {
        e.value += ", mode " + mode_text(st.st_mode);
        if (st.st_mode & S_IROTH) e.warning = path + " is readable by every user: chmod o-r it (mode 0600 or 0640)";
    }
    if (n == 0 && e.warning.empty()) e.warning = path + ": holds no secret (SRS needs one while srs_domain is set)";
    return e;
}

/// The setting's switch or number after a change to `value` (nullopt:
/// unset), else its effective number; nullopt when it is not a number.
Result<std::optional<long>> number_after(const ControlDir& control, std::string_view name, std::string_view changed,
                                         const std::optional<std::string>& value) {
    const Setting* s = find_setting(name);
    if (name == changed) {
        auto n = to_number(strip_newline(value.value_or(std::string(s->fallback))));
        if (!n) return std::optional<long>{};
        return std::optional<long>{*n};
    }
    auto e = effective(*s, control);
    if (!e) return std::unexpected(e.error());
    return e->number;
}

}  // namespace

bool Setting::multi_line() const {
    return rule == R::SpfLocal || rule == R::SpfGuess || rule == R::SpfExp || rule == R::Secrets;
}

std::string Setting::valid_values() const {
    switch (rule) {
    case R::Switch: return "0 or 1";
    case R::Number: return std::to_string(min) + "-" + std::to_string(max);
    case R::Separator: return "= + or -";
    case R::Domain: return "a domain";
    case R::SpfLocal: return "SPF directives";
    case R::SpfGuess: return "an SPF record";
    case R::SpfExp: return "an SPF macro-string";
    case R::Secrets: return "one secret a line";
    }
    return "";
}

std::span<const Setting> settings() { return kSettings; }

const Setting* find_setting(std::string_view name) {
    for (const auto& s : kSettings)
        if (s.name == name) return &s;
    return nullptr;
}

Result<std::string> check_value(const Setting& s, std::string_view value) {
    const std::string name(s.name);
    if (value.find('\0') != std::string_view::npos) return usage_error(name + ": the value contains a NUL byte");
    if (!s.multi_line()) {
        value = strip_newline(value);
        if (value.find_first_of("\r\n") != std::string_view::npos)
            return usage_error(name + ": one line only, not " + quoted_string(value));
    }
    auto bad = [&](std::string why) {
        return usage_error(name + ": " + why + " (want " + s.valid_values() + ")");
    };
    if (s.multi_line() ? joined_lines(value).empty() : value.empty())
        return usage_error(name + ": empty value: unset it to go back to the default");
    switch (s.rule) {
    case R::Switch:
        if (value != "0" && value != "1") return bad("not 0 or 1: " + quoted_string(value));
        break;
    case R::Number: {
        auto n = to_number(value);
        if (!n) return bad("not a number: " + quoted_string(value));
        if (*n < s.min || *n > s.max) return bad(std::to_string(*n) + " is out of range");
        break;
    }
    case R::Separator:
        if (value != "=" && value != "+" && value != "-") return bad("not a separator: " + quoted_string(value));
        break;
    case R::Domain: {
        auto d = dkim::keygen_domain(value);
        if (!d) return usage_error(name + ": " + d.error().reason);
        return *d + "\n";
    }
    case R::SpfLocal:
    case R::SpfGuess:
    case R::SpfExp:
        if (auto ok = check_spf(s.rule, joined_lines(value)); !ok) return usage_error(name + ": " + ok.error().reason);
        break;
    case R::Secrets: {
        auto lines = srs::secret_lines(value);
        if (!lines) return usage_error(name + ": " + lines.error().reason);
        if (lines->empty()) return usage_error(name + ": no secret in the text (one a line; '#' lines are comments)");
        break;
    }
    }
    std::string out(value);
    if (!out.ends_with('\n')) out += '\n';
    return out;
}

Result<Effective> effective(const Setting& s, const ControlDir& control, const Environment& env) {
    if (s.rule == R::Secrets) return effective_secrets(s, control);
    Effective e;
    if (const char* v = s.env.empty() ? nullptr : env(std::string(s.env).c_str()); v && *v) {
        e.value = v;
        e.source = "env " + std::string(s.env);
    } else {
        auto lines = control.lines(s.name);
        if (!lines) return std::unexpected(lines.error());
        if (*lines && !(*lines)->empty()) {
            e.value = s.multi_line() ? join(**lines) : (**lines)[0];
            e.source = "control/" + std::string(s.name);
        }
    }
    if (e.source.empty()) {
        e.source = "default";
        if (!s.default_of.empty()) {
            auto of = effective(*find_setting(s.default_of), control, env);
            if (!of) return of;
            e.value = of->value;
            e.source = "default (" + std::string(s.default_of) + ")";
        } else {
            e.value = s.fallback;
        }
    } else if (auto ok = check_value(s, e.value); !ok) {
        std::string why = ok.error().reason;  // "NAME: ...": the file or variable is named instead
        if (why.starts_with(std::string(s.name) + ": ")) why.erase(0, s.name.size() + 2);
        e.warning = (e.source.starts_with("env") ? e.source : control.path(s.name)) + ": " + why +
                    " (set would refuse it; the programs may too)";
    }
    if (s.rule == R::Switch || s.rule == R::Number)
        if (auto n = to_number(e.value)) e.number = *n;
    if (e.value.empty()) e.value = "(none)";
    return e;
}

Result<SettingsTable> settings_table(std::span<const Setting* const> chosen, const ControlDir& control,
                                     const Environment& env) {
    std::vector<Effective> values;
    std::size_t wname = 0, wsource = 0;
    for (const auto* s : chosen) {
        auto e = effective(*s, control, env);
        if (!e) return std::unexpected(e.error());
        values.push_back(std::move(*e));
        wname = std::max(wname, s->name.size());
        wsource = std::max(wsource, values.back().source.size());
    }
    auto pad = [](std::string text, std::size_t width) { return text.append(width - text.size(), ' '); };
    SettingsTable table;
    for (std::size_t i = 0; i < chosen.size(); ++i) {
        table.text += pad(std::string(chosen[i]->name), wname + 2) + pad(values[i].source, wsource + 2) +
                      printable(values[i].value, 1000) + "\n";
        if (!values[i].warning.empty()) table.warnings.push_back(std::move(values[i].warning));
    }
    return table;
}

Result<std::optional<std::string>> panel_rule_refusal(const ControlDir& control, std::string_view name,
                                                      const std::optional<std::string>& value) {
    if (name != "dkimverify" && name != "dmarc") return std::optional<std::string>{};
    auto verify = number_after(control, "dkimverify", name, value);
    if (!verify) return std::unexpected(verify.error());
    auto dmarc = number_after(control, "dmarc", name, value);
    if (!dmarc) return std::unexpected(dmarc.error());
    if (!*verify || !*dmarc || **verify != 0 || **dmarc == 0) return std::optional<std::string>{};
    if (name == "dkimverify")
        return std::optional<std::string>{"DKIM verification stays on while DMARC is on (dmarc is " +
                                          std::to_string(**dmarc) + "): set dmarc 0 first"};
    return std::optional<std::string>{"DMARC needs DKIM verification, which is off (dkimverify is 0): "
                                      "set dkimverify 1 first"};
}

std::string describe_settings() {
    std::string out;
    for (const auto& s : settings()) {
        std::string dflt = !s.default_of.empty() ? "= " + std::string(s.default_of)
                           : s.fallback.empty()   ? "none"
                                                  : std::string(s.fallback);
        out += std::string(s.name) + ": " + std::string(s.description) + "; " + s.valid_values() +
               ", default " + dflt + (s.env.empty() ? "" : ", env " + std::string(s.env) + " overrides") + "\n";
    }
    return out;
}

}  // namespace qauth::qmail
