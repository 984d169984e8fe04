// dkimkeygen: make a DKIM key for qmail-dkimsign and print its DNS records.
// Options and wiring only; the work is in common/dkim/keygen (DESIGN §8).
#include <string>

#include "cli/cli.hpp"
#include "dkim/cli.hpp"
#include "dkim/keygen.hpp"
#include "qmail/control.hpp"
#include "qmail/status.hpp"
#include "util/io.hpp"

using namespace qauth;

namespace {
constexpr const char* kProg = "dkimkeygen";
}  // namespace

int main(int argc, char** argv) {
    cli::start(kProg);
    CLI::App app{"Make a DKIM signing key in the qmail control directory and print its DNS records "
                 "(RFC 6376, RFC 8463).",
                 kProg};
    std::string control_dir;
    dkim::KeygenRequest req;
    auto* type_opt = cli::add_key_type(app, req.type, "key type: rsa (default) or ed25519");
    auto* bits = app.add_option("--bits", req.bits, "RSA modulus size, 1024 to 8192 (default 2048)")
                     ->check(CLI::Range(1024, 8192));
    app.add_option("--selector", req.selector, "selector (default: default)");
    app.add_option("--alias", req.aliases, "also print the records for this domain, same key (repeatable)")
        ->allow_extra_args(false)  // one domain per --alias: DOMAIN stays positional
        ->delimiter(',');
    cli::add_control_dir(app, control_dir);
    auto* force = app.add_flag("--force", req.replace, "replace an existing key of this selector");
    app.add_flag("--print", req.print_only, "print the records of the existing key; make nothing")
        ->excludes(force)
        ->excludes(type_opt)
        ->excludes(bits);
    app.add_option("domain", req.domain, "the signing domain (d=)")->required();
    cli::parse(app, argc, argv);

    if (req.type == crypto::KeyType::Ed25519 && bits->count() > 0) cli::usage(kProg, "--bits applies to rsa keys only");
    if (auto d = dkim::keygen_domain(req.domain); !d) cli::usage(kProg, d.error().reason);
    for (const auto& alias : req.aliases)
        if (auto d = dkim::keygen_domain(alias); !d) cli::usage(kProg, d.error().reason);
    if (auto s = dkim::keygen_selector(req.selector); !s) cli::usage(kProg, s.error().reason);
    if (req.type == crypto::KeyType::Rsa && req.bits < 2048)
        cli::warn(kProg, "RSA keys under 2048 bits are weak; RFC 8301 3.2 says signers SHOULD use at least 2048");
    req.control_dir = qmail::control_dir_from(control_dir);

    auto done = dkim::run_keygen(req, [](const std::string& records) { return io::print_stdout(records); });
    if (!done) cli::fatal(kProg, done.error().reason);
    return qmail::exit_code(qmail::FilterStatus::Ok);
}
