// qauth-dnsrecords: print the SPF, DMARC and DKIM records a domain should
// publish, or (--check) lint what it publishes. Options and wiring only; the
// work is in common/dnsrecords (DESIGN §9).
#include <optional>
#include <string>

#include "cli/cli.hpp"
#include "dns/cli.hpp"
#include "dnsrecords/check.hpp"
#include "dnsrecords/expected.hpp"
#include "qmail/control.hpp"
#include "util/io.hpp"

using namespace qauth;

namespace {
constexpr const char* kProg = "qauth-dnsrecords";
/// Exit status of --check when something published is wrong (DESIGN §3 has
/// no word for it: this is an admin tool's answer, not a filter's).
constexpr int kFindings = 1;

void write_out(const std::string& text) {
    io::Writer out(1);
    auto ok = out.write(text);
    if (ok) ok = out.flush();
    if (!ok) cli::fatal(kProg, ok.error().reason);
}
}  // namespace

int main(int argc, char** argv) {
    cli::start(kProg);
    CLI::App app{"Print the SPF, DMARC and DKIM records a domain should publish (zone-file syntax), "
                 "or check what it publishes (RFC 7208, RFC 9989, RFC 6376).",
                 kProg};
    dnsrecords::Request req;
    std::string control_dir;
    dns::Options dns_opts;
    bool check = false;
    app.add_option("--alias", req.aliases, "also the records for this domain, same keys unless it has its own (repeatable)")
        ->allow_extra_args(false)
        ->delimiter(',');
    cli::add_optional(app, "--ip", req.ip, "the server's address, for <ip> in control/dnstemplate");
    cli::add_control_dir(app, control_dir);
    app.add_flag("--check", check, "ask DNS what is published and report one line per finding");
    cli::add_dns(app, dns_opts);
    app.add_option("domain", req.domain, "the domain")->required();
    cli::parse(app, argc, argv);

    auto control = qmail::open_control_dir(control_dir);
    if (!control) cli::fatal(kProg, control.error());
    auto expected = dnsrecords::expected_records(*control, req);
    if (!expected) cli::fatal(kProg, expected.error());
    if (!check) {
        write_out(dnsrecords::zone_text(*expected));
        return 0;
    }

    auto resolver = dns::make_resolver(dns_opts);
    if (!resolver) cli::fatal(kProg, resolver.error());
    dnsrecords::Lint lint = dnsrecords::check_records(**resolver, *expected);
    std::string out;
    for (const auto& f : lint.findings) out += dnsrecords::finding_line(f) + "\n";
    std::size_t checked = 0;
    for (const auto& r : *expected) checked += r.kind != dnsrecords::RecordKind::DkimPolicy;
    if (lint.findings.empty() && lint.trouble.empty())
        out = "ok: " + std::to_string(checked) + " records checked, no findings\n";
    write_out(out);
    for (const auto& t : lint.trouble) cli::warn(kProg, "DNS trouble: " + t);
    if (!lint.trouble.empty()) return qmail::exit_code(qmail::FilterStatus::Temporary);
    return lint.findings.empty() ? 0 : kFindings;
}
