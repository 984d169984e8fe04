// dkimverify: verify every DKIM-Signature of an incoming message and prepend
// one Authentication-Results field (RFC 6376 §6, RFC 8601).
#include <cstdio>
#include <optional>
#include <string>
#include <unistd.h>

#include "authres/authres.hpp"
#include "cli/cli.hpp"
#include "dkim/verify.hpp"
#include "util/strings.hpp"
#include "mail/output.hpp"
#include "mail/reader.hpp"
#include "qmail/control.hpp"
#include "qmail/exit.hpp"

using namespace qauth;

namespace {

constexpr const char* kProg = "dkimverify";

// The authserv-id: --authserv-id, else control/me, else the host name. It
// goes into every A-R field as a bare token (RFC 8601 2.2), so anything else
// is a configuration error.
std::string authserv_id(const std::string& option, const qmail::ControlDir& control) {
    std::string id = option, from = "--authserv-id";
    if (id.empty()) {
        auto me = control.value("me", "");
        if (!me) cli::fatal(kProg, me.error().reason);
        id = *me;
        from = control.path("me");
    }
    if (id.empty()) {
        char host[256] = {};
        ::gethostname(host, sizeof host - 1);
        id = host[0] ? host : "localhost";
        from = "host name";
    }
    if (!authres::valid_authserv_id(id)) cli::fatal(kProg, from + ": not a valid authserv-id: " + id);
    return id;
}

}  // namespace

int main(int argc, char** argv) {
    cli::start(kProg);
    CLI::App app{"Verify the DKIM signatures of a message and prepend Authentication-Results (RFC 6376, RFC 8601).",
                 kProg};
    std::string control_dir, id;
    dns::Options dns_opts;
    std::optional<std::uint64_t> now;
    dkim::VerifyOptions vopt;
    bool check = false;
    cli::add_control_dir(app, control_dir);
    app.add_option("--authserv-id", id, "authserv-id for Authentication-Results (default: control/me)");
    cli::add_dns(app, dns_opts);
    cli::add_now(app, now);
    app.add_flag("--allow-sha1", vopt.allow_sha1, "let rsa-sha1 signatures pass (RFC 8301 forbids it)");
    app.add_option("--max-signatures", vopt.max_signatures, "evaluate at most this many signatures (default 10)")
        ->check(CLI::Range(1, 100));
    app.add_option("--min-rsa-bits", vopt.min_rsa_bits, "shortest RSA key that may pass (default 1024, RFC 8301)")
        ->check(CLI::Range(512, 4096));
    app.add_flag("--check", check, "write nothing; exit 0 if a signature passes, 100 if none does, 111 on DNS trouble");
    cli::parse(app, argc, argv);

    qmail::ControlDir control(qmail::control_dir_from(control_dir));
    // Verification is off only when DMARC, which needs it, is off too (DESIGN §5);
    // control/dmarc is read only in that rare case.
    auto enabled = control.number("dkimverify", 1);
    if (!enabled) cli::fatal(kProg, enabled.error().reason);
    bool verify = *enabled != 0;
    if (!verify) {
        auto dmarc = control.number("dmarc", 1);
        if (!dmarc) cli::fatal(kProg, dmarc.error().reason);
        verify = *dmarc != 0;
    }
    const std::string authserv = authserv_id(id, control);
    vopt.now = cli::now_or_clock(now);

    mail::Reader reader(0);
    io::Writer out(1);
    auto header = reader.read_header();
    if (!header) cli::fatal(kProg, header.error().reason);

    if (!verify) {
        if (check) return kExitOk;
        if (auto r = mail::pass_through(reader, *header, out); !r) cli::fatal(kProg, r.error().reason);
        return kExitOk;
    }

    auto resolver = dns::make_resolver(dns_opts);
    if (!resolver) cli::fatal(kProg, resolver.error().reason);
    dkim::Verifier verifier(**resolver, vopt);
    verifier.begin(*header);
    authres::remove_forged(*header, authserv);

    io::Spool spool;
    auto body = reader.read_body([&](std::string_view chunk) -> Result<void> {
        verifier.body(chunk);
        if (check) return {};
        return spool.append(chunk);
    });
    if (!body) cli::fatal(kProg, body.error().reason);
    auto results = verifier.finish();

    if (check) {
        auto best = dkim::best_result(results);
        if (best == authres::AuthResult::Pass) return kExitOk;
        if (best == authres::AuthResult::TempError) cli::fatal(kProg, "DKIM key lookup failed; try again later");
        std::string why = "no DKIM signature";
        for (const auto& r : results)
            if (r.result == best) {
                why = r.reason;
                break;
            }
        std::fprintf(stderr, "5.7.1 DKIM %s: %s\n", std::string(authres::result_name(best)).c_str(),
                     printable(why).c_str());
        return kExitPermanent;
    }
    std::string ar = authres::format(authserv, dkim::to_authres(results), mail::eol(header->line_end));
    if (auto r = mail::write_message(out, {ar}, *header, spool); !r) cli::fatal(kProg, r.error().reason);
    return kExitOk;
}
