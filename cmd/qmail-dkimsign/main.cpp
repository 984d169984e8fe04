// qmail-dkimsign: add DKIM-Signature fields to an outgoing message.
// Reads the message on stdin, writes it signed on stdout (DESIGN §2-§3).
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "cli/cli.hpp"
#include "dkim/keystore.hpp"
#include "dkim/sign.hpp"
#include "dkim/signature.hpp"
#include "dns/domain.hpp"
#include "mail/address.hpp"
#include "mail/output.hpp"
#include "mail/reader.hpp"
#include "qmail/control.hpp"
#include "qmail/exit.hpp"
#include "util/strings.hpp"

using namespace qauth;

namespace {

constexpr const char* kProg = "qmail-dkimsign";

struct Options {
    std::string control_dir, domain, key_file, canon = "relaxed/relaxed", headers, identity, sender;
    std::vector<std::string> selectors;
    std::optional<std::uint64_t> expire, now;
    bool body_length = false;
};

// The envelope sender: --sender, else $SENDER, else $QMAILUSER@$QMAILHOST.
std::string envelope_sender(const std::string& option) {
    if (!option.empty()) return option;
    if (const char* s = std::getenv("SENDER"); s && *s) return s;
    const char* u = std::getenv("QMAILUSER");
    const char* h = std::getenv("QMAILHOST");
    if (u && h) return std::string(u) + "@" + h;
    return {};
}

// The signing domain and its keys; no keys means "pass through unsigned".
std::pair<std::string, std::vector<dkim::SigningKey>> choose_keys(const Options& o, const qmail::ControlDir& control,
                                                                   const mail::Header& header) {
    dkim::SigningDomain sd{o.domain, ""};
    if (o.domain.empty()) sd = dkim::signing_domain(header, envelope_sender(o.sender));
    if (!sd.warning.empty()) cli::warn(kProg, sd.warning);
    if (sd.domain.empty()) return {};
    std::vector<dkim::SigningKey> keys;
    if (!o.key_file.empty()) {
        auto key = crypto::load_private_key(o.key_file);
        if (!key) cli::fatal(kProg, key.error().reason);
        keys.push_back({o.selectors[0], std::move(*key)});
    } else {
        auto loaded = dkim::load_domain_keys(control, sd.domain, o.selectors);
        if (!loaded) cli::fatal(kProg, loaded.error().reason);
        keys = std::move(*loaded);
    }
    // An admin who names the domain wants it signed: no key is a configuration error.
    if (keys.empty() && !o.domain.empty()) cli::fatal(kProg, control.path("domainkeys/" + o.domain) + ": no key");
    if (!o.identity.empty()) {
        auto idom = dns::Domain::parse(mail::address_domain(o.identity).value_or(""), dns::NameRules::Mail);
        auto sdom = dns::Domain::parse(sd.domain, dns::NameRules::Mail);
        if (!idom || !sdom || !idom->within(*sdom))
            cli::fatal(kProg, "--identity " + o.identity + " is not in the signing domain " + sd.domain);
    }
    return {sd.domain, std::move(keys)};
}

}  // namespace

int main(int argc, char** argv) {
    cli::start(kProg);
    CLI::App app{"Sign an outgoing message with DKIM (RFC 6376, RFC 8463).", kProg};
    Options o;
    cli::add_control_dir(app, o.control_dir);
    app.add_option("--domain", o.domain, "sign for this d= domain instead of the From domain");
    app.add_option("--selector", o.selectors, "selector(s) to sign with (default: the domain's selector file)");
    app.add_option("--key", o.key_file, "private key file (with one --selector; default: from the control dir)");
    app.add_option("--canon", o.canon, "header/body canonicalization (default relaxed/relaxed)");
    app.add_option("--headers", o.headers, "colon-separated header names to sign (default: RFC 6376 5.4.1 set)");
    app.add_option("--expire", o.expire, "add x= this many seconds after t=")
        ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{99999999999}));
    app.add_option("--identity", o.identity, "add i= (an address in the signing domain)");
    app.add_flag("--body-length", o.body_length, "add l= (body length limit; weakens the signature)");
    app.add_option("--sender", o.sender, "envelope sender, for the domain when From and Sender have none");
    cli::add_now(app, o.now);
    cli::parse(app, argc, argv);

    auto canon = dkim::parse_canon_pair(o.canon);
    if (!canon) cli::usage(kProg, "--canon must be simple or relaxed, optionally /simple or /relaxed");
    if (!o.key_file.empty() && o.selectors.size() != 1) cli::usage(kProg, "--key needs exactly one --selector");
    o.domain = lower(o.domain);
    if (!o.domain.empty() && !dns::Domain::parse(o.domain, dns::NameRules::Mail)) cli::usage(kProg, "--domain: not a domain name");
    std::vector<std::string> names;
    for (auto& n : split(o.headers, ':'))
        if (!n.empty()) names.push_back(std::move(n));
    bool has_from = names.empty();
    for (const auto& n : names) {
        has_from |= iequals(n, "from");
        for (char c : n)  // RFC 5322 3.6.8 field names; ';' would end the h= tag
            if (c < 33 || c > 126 || c == ';') cli::usage(kProg, "--headers: not a header field name: " + n);
    }
    if (!has_from) cli::usage(kProg, "--headers must include From (RFC 6376 5.4)");
    for (const auto& s : o.selectors)
        if (!dns::Domain::parse(s, dns::NameRules::Mail)) cli::usage(kProg, "--selector: bad selector name: " + s);
    for (char c : o.identity)  // a printable address; i= encodes ';' and '=' itself
        if (c < 33 || c > 126) cli::usage(kProg, "--identity: not an address");

    qmail::ControlDir control(qmail::control_dir_from(o.control_dir));
    auto enabled = control.number("dkimsign", 1);
    if (!enabled) cli::fatal(kProg, enabled.error().reason);

    mail::Reader reader(0);
    io::Writer out(1);
    auto header = reader.read_header();
    if (!header) cli::fatal(kProg, header.error().reason);

    auto [domain, keys] = *enabled ? choose_keys(o, control, *header)
                                   : std::pair<std::string, std::vector<dkim::SigningKey>>{};
    if (keys.empty()) {
        if (auto r = mail::pass_through(reader, *header, out); !r) cli::fatal(kProg, r.error().reason);
        return kExitOk;
    }

    std::vector<dkim::SignParams> params;
    for (const auto& k : keys) {
        params.push_back({domain, k.selector, &k.key, canon->first, canon->second, names,
                          o.identity.empty() ? std::nullopt : std::optional(o.identity), o.expire, o.body_length,
                          cli::now_or_clock(o.now)});
    }
    dkim::Signer signer(std::move(params));
    io::Spool spool;
    auto body = reader.read_body([&](std::string_view chunk) {
        signer.body(chunk);
        return spool.append(chunk);
    });
    if (!body) cli::fatal(kProg, body.error().reason);
    auto fields = signer.finish(*header, mail::eol(header->line_end));
    if (!fields) cli::fatal(kProg, fields.error().reason);
    if (auto r = mail::write_message(out, *fields, *header, spool); !r) cli::fatal(kProg, r.error().reason);
    return kExitOk;
}
