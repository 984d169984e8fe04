#include "dns/cli.hpp"

#include "dns/ldns_resolver.hpp"

namespace qauth::cli {

void add_dns(CLI::App& app, dns::Options& opts) {
    // Checked here, so that a bad value is a usage error (DESIGN §3).
    CLI::Validator server([](std::string& spec) {
        auto ok = dns::check_server(spec);
        return ok ? std::string() : ok.error().reason;
    }, "IP[@PORT]");
    app.add_option("--dns-server", opts.servers, "DNS server IP[@PORT] to ask instead of /etc/resolv.conf")
        ->check(server);
    app.add_option("--dns-zone", opts.zones, "answer DNS offline from this RFC 1035 zone file (repeatable)");
    app.add_option("--dns-timeout", opts.timeout_seconds, "seconds to wait for one DNS answer (default 5)")
        ->check(CLI::Range(1, 60));
}

}  // namespace qauth::cli
