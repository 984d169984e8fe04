// qauth-config: show and change the panel's switches (control files, DESIGN
// §5) and switch DKIM signing per domain. Options and wiring only; the work
// is in common/qmail/settings, common/qmail/control_write and
// common/dkim/domain_switch and domain_report.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <type_traits>
#include <vector>

#include "cli/cli.hpp"
#include "dkim/cli.hpp"
#include "dkim/domain_report.hpp"
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

/// NAME  SOURCE  VALUE for `name` (every setting when empty).
void show(const qmail::ControlDir& control, const std::string& name) {
    std::vector<const qmail::Setting*> chosen;
    if (!name.empty())
        chosen.push_back(&setting_named(name));
    else
        for (const auto& s : qmail::settings()) chosen.push_back(&s);
    auto table = checked(qmail::settings_table(chosen, control));
    for (const auto& w : table.warnings) cli::warn(kProg, w);
    checked(io::print_stdout(table.text));
}

void list() { checked(io::print_stdout(qmail::describe_settings())); }

void dkim_enable(const dkim::KeygenRequest& req) {
    auto done = checked(dkim::enable_signing(req, io::print_stdout));
    checked(io::print_stdout(dkim::enable_report(done, req.domain)));
}

}  // namespace

int main(int argc, char** argv) {
    cli::start(kProg);
    CLI::App app{"Show and change qauth's settings in the qmail control directory, and switch DKIM signing "
                 "per domain.",
                 kProg};
    app.fallthrough();
    std::string control_dir, name, value;
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
    cli::add_key_type(*enable, req.type, "type of a new key: rsa (default) or ed25519");
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
        dkim_enable(req);
    } else if (*dkim_show_cmd) {
        checked(io::print_stdout(dkim::show_report(checked(dkim::signing_domains(req.control_dir)))));
    } else if (*disable) {
        checked(io::print_stdout(dkim::disable_report(checked(dkim::disable_signing(req.control_dir, req.domain)), req.domain)));
    } else if (*list_cmd) {
        list();
    } else {
        auto control = checked(qmail::open_control_dir(control_dir));
        if (*set_cmd)
            checked(qmail::set_setting(control, setting_named(name), value,
                                       [](const std::string& w) { cli::warn(kProg, w); }));
        else if (*unset_cmd)
            checked(qmail::change_setting(control, setting_named(name), std::nullopt));
        else
            show(control, name);
    }
    return 0;
}
