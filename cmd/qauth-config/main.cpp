// qauth-config: show and change the panel's switches (control files, DESIGN
// §5) and switch DKIM signing per domain. Options and wiring only; the work
// is in common/qmail/settings, common/qmail/control_write and
// common/dkim/domain_switch.
#include <cstdio>
#include <algorithm>
#include <cstdlib>
#include <string>
#include <type_traits>
#include <vector>

#include "cli/cli.hpp"
#include "dkim/domain_switch.hpp"
#include "qmail/control.hpp"
#include "qmail/control_write.hpp"
#include "qmail/settings.hpp"
#include "util/io.hpp"
#include "util/strings.hpp"

using namespace qauth;

namespace {
constexpr const char* kProg = "qauth-config";
constexpr int kRefused = 1;                  // a change refused: bad value, unknown name, the panel's rule
constexpr std::size_t kMaxInput = 1u << 20;  // a control file's bound (qmail/control.cpp)

/// Ends the program on `error`: a refusal (usage error) exits 1, anything else 111.
[[noreturn]] void finish(const Error& error) {
    if (!error.usage) cli::fatal(kProg, error.reason);
    std::fprintf(stderr, "%s: refused: %s\n", kProg, printable(error.reason, 1000).c_str());
    std::exit(kRefused);
}

template <typename T>
T checked(Result<T> r) {
    if (!r) finish(r.error());
    if constexpr (!std::is_void_v<T>) return std::move(*r);
}

const qmail::Setting& setting_named(const std::string& name) {
    const qmail::Setting* s = qmail::find_setting(name);
    if (!s) finish(Error{"no setting " + printable(name) + " (qauth-config list names them)", true});
    return *s;
}

std::string pad(std::string s, std::size_t width) { return s.size() < width ? s.append(width - s.size(), ' ') : s; }

Result<void> print(const std::string& text) {
    if (io::closed_at_start(1)) return fail("standard output is closed");  // cli::start put /dev/null there
    if (std::fputs(text.c_str(), stdout) < 0 || std::fflush(stdout) != 0)
        return fail("cannot write to standard output");
    return {};
}

/// NAME  SOURCE  VALUE, aligned, for `names` (all when empty).
void show(const qmail::ControlDir& control, const std::string& name) {
    std::vector<const qmail::Setting*> chosen;
    if (!name.empty())
        chosen.push_back(&setting_named(name));
    else
        for (const auto& s : qmail::settings()) chosen.push_back(&s);
    std::vector<qmail::Effective> values;
    std::size_t wname = 0, wsource = 0;
    for (const auto* s : chosen) {
        values.push_back(checked(qmail::effective(*s, control)));
        wname = std::max(wname, s->name.size());
        wsource = std::max(wsource, values.back().source.size());
    }
    std::string out;
    for (std::size_t i = 0; i < chosen.size(); ++i) {
        out += pad(std::string(chosen[i]->name), wname + 2) + pad(values[i].source, wsource + 2) +
               printable(values[i].value, 1000) + "\n";
        if (!values[i].warning.empty()) cli::warn(kProg, values[i].warning);
    }
    checked(print(out));
}

void list() { checked(print(qmail::describe_settings())); }

void set(const qmail::ControlDir& control, const std::string& name, const std::string& value) {
    const auto& s = setting_named(name);
    std::string text = value;
    if (s.multi_line() && value == "-") {
        text.clear();
        char buf[8192];
        while (auto n = checked(io::read_some(0, buf, sizeof buf))) {
            text.append(buf, n);
            if (text.size() > kMaxInput) finish(Error{"standard input: more than a control file holds"});
        }
    } else if (s.secret()) {
        finish(Error{"srs_secrets is read from standard input (set srs_secrets -): "
                     "a command line is visible to every user",
                     true});
    }
    checked(qmail::change_setting(control, s, checked(qmail::check_value(s, text))));
    if (!s.env.empty())
        if (const char* env = std::getenv(std::string(s.env).c_str()); env && *env)
            cli::warn(kProg, std::string(s.env) + " is set here and overrides control/" + name + " where it is set");
}

void dkim_enable(dkim::KeygenRequest req, const std::string& type) {
    req.type = type == "ed25519" ? crypto::KeyType::Ed25519 : crypto::KeyType::Rsa;
    auto done = checked(dkim::enable_signing(req, print));
    std::string notes;
    if (done.restored) notes += "; signing of " + req.domain + " restored from domainkeys/.disabled\n";
    if (!done.made_key) notes += "; existing key kept: " + done.key_file + "\n";
    for (const auto& a : done.linked)
        notes += "; " + a + " is signed with this key: domainkeys/" + a + " -> " + req.domain + "\n";
    checked(print(notes));
}

void dkim_disable(const std::string& control_dir, const std::string& domain) {
    auto done = checked(dkim::disable_signing(control_dir, domain));
    std::string out;
    if (!done.alias_of.empty())
        out = "DKIM signing of " + domain + " stopped: its link to " + done.alias_of + " is removed\n";
    else if (done.already)
        out = "DKIM signing of " + domain + " is off already; its keys are in " + done.parked + "\n";
    else
        out = "DKIM signing of " + domain + " stopped; its keys are kept in " + done.parked + "\n";
    for (const auto& a : done.aliases) out += "DKIM signing of its alias " + a + " stopped too\n";
    checked(print(out));
}

void dkim_show(const std::string& control_dir) {
    std::string out;
    for (const auto& d : checked(dkim::signing_domains(control_dir))) {
        using S = dkim::DomainState::State;
        std::string what = d.state == S::Alias      ? "alias of " + d.alias_of
                           : d.state == S::Disabled ? "disabled, selectors"
                                                    : "signing, selectors";
        for (const auto& s : d.selectors) what += " " + s;
        if (d.state == S::Alias && !d.signed_now) what += " (not signed: no such key directory)";
        out += d.domain + "  " + printable(what, 1000) + "\n";
    }
    checked(print(out));
}

}  // namespace

int main(int argc, char** argv) {
    cli::start(kProg);
    CLI::App app{"Show and change qauth's settings in the qmail control directory, and switch DKIM signing "
                 "per domain.",
                 kProg};
    app.fallthrough();
    std::string control_dir, name, value, type = "rsa";
    cli::add_control_dir(app, control_dir);
    auto* show_cmd = app.add_subcommand("show", "print every setting (or NAME) with its source and value (default)");
    show_cmd->add_option("name", name, "one setting");
    auto* list_cmd = app.add_subcommand("list", "print every setting's meaning, valid values and default");
    auto* set_cmd = app.add_subcommand("set", "check VALUE and write it as control/NAME (- : from standard input)");
    set_cmd->add_option("name", name, "the setting")->required();
    set_cmd->add_option("value", value, "the value")->required();
    auto* unset_cmd = app.add_subcommand("unset", "remove control/NAME: back to the default");
    unset_cmd->add_option("name", name, "the setting")->required();
    auto* dkim_cmd = app.add_subcommand("dkim", "switch DKIM signing of a domain on or off");
    dkim_cmd->require_subcommand(1);
    dkim::KeygenRequest req;
    auto* enable = dkim_cmd->add_subcommand("enable", "make or keep the key, link aliases, print the DNS records");
    enable->add_option("--alias", req.aliases, "an alias domain signed with the same key (repeatable)")
        ->allow_extra_args(false)
        ->delimiter(',');
    enable->add_option("--type", type, "type of a new key: rsa (default) or ed25519")
        ->check(CLI::IsMember({"rsa", "ed25519"}));
    enable->add_option("--selector", req.selector, "selector (default: default)");
    enable->add_flag("--new-key", req.replace, "replace an existing key of this selector");
    enable->add_option("domain", req.domain, "the signing domain")->required();
    auto* dkim_show_cmd = dkim_cmd->add_subcommand("show", "print each domain with keys: signing, alias or disabled");
    auto* disable = dkim_cmd->add_subcommand("disable", "stop signing; the key is kept");
    disable->add_option("domain", req.domain, "the signing domain")->required();
    app.require_subcommand(0, 1);
    cli::parse(app, argc, argv);

    req.control_dir = qmail::control_dir_from(control_dir);
    if (*enable) {
        if (auto s = dkim::keygen_selector(req.selector); !s) cli::usage(kProg, s.error().reason);
        dkim_enable(req, type);
    } else if (*dkim_show_cmd) {
        dkim_show(req.control_dir);
    } else if (*disable) {
        dkim_disable(req.control_dir, req.domain);
    } else if (*list_cmd) {
        list();
    } else {
        auto control = checked(qmail::open_control_dir(control_dir));
        if (*set_cmd)
            set(control, name, value);
        else if (*unset_cmd)
            checked(qmail::change_setting(control, setting_named(name), std::nullopt));
        else
            show(control, name);
    }
    return 0;
}
