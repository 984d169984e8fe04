// qmail-dkimsign: add DKIM-Signature fields to an outgoing message.
// Reads the message on stdin, writes it signed on stdout (DESIGN §2-§3).
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "cli/cli.hpp"
#include "dkim/keystore.hpp"
#include "dkim/sign.hpp"
#include "mail/output.hpp"
#include "mail/reader.hpp"
#include "qmail/control.hpp"
#include "qmail/exit.hpp"
#include "util/strings.hpp"

using namespace qauth;

namespace {

constexpr const char* kProg = "qmail-dkimsign";

// The envelope sender: --sender, else $SENDER, else $QMAILUSER@$QMAILHOST.
std::string envelope_sender(const std::string& option) {
    if (!option.empty()) return option;
    if (const char* s = std::getenv("SENDER")) return s;
    const char* u = std::getenv("QMAILUSER");
    const char* h = std::getenv("QMAILHOST");
    if (u && h) return std::string(u) + "@" + h;
    return {};
}

std::optional<dkim::Canon> canon_word(const std::string& w) {
    if (w == "relaxed") return dkim::Canon::Relaxed;
    if (w == "simple") return dkim::Canon::Simple;
    return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
    cli::ignore_sigpipe();
    CLI::App app{"Sign an outgoing message with DKIM (RFC 6376, RFC 8463).", kProg};
    std::string control_dir, domain, key_file, canon = "relaxed/relaxed", headers, identity, sender;
    std::vector<std::string> selectors;
    std::optional<std::uint64_t> expire, now;
    bool body_length = false;
    cli::add_control_dir(app, control_dir);
    app.add_option("--domain", domain, "sign for this d= domain instead of the From domain");
    app.add_option("--selector", selectors, "selector(s) to sign with (default: the domain's selector file)");
    app.add_option("--key", key_file, "private key file (with one --selector; default: from the control dir)");
    app.add_option("--canon", canon, "header/body canonicalization (default relaxed/relaxed)");
    app.add_option("--headers", headers, "colon-separated header names to sign (default: RFC 6376 5.4.1 set)");
    app.add_option("--expire", expire, "add x= this many seconds after t=");
    app.add_option("--identity", identity, "add i= (an address in the signing domain)");
    app.add_flag("--body-length", body_length, "add l= (body length limit; weakens the signature)");
    app.add_option("--sender", sender, "envelope sender, for the domain when From and Sender have none");
    cli::add_now(app, now);
    cli::parse(app, argc, argv);

    std::size_t slash = canon.find('/');
    auto hc = canon_word(canon.substr(0, slash));
    auto bc = slash == std::string::npos ? std::optional(dkim::Canon::Simple) : canon_word(canon.substr(slash + 1));
    if (!hc || !bc) cli::usage(kProg, "--canon must be simple or relaxed, optionally /simple or /relaxed");
    if (!key_file.empty() && selectors.size() != 1) cli::usage(kProg, "--key needs exactly one --selector");

    qmail::ControlDir control(qmail::control_dir_from(control_dir));
    auto enabled = control.number("dkimsign", 1);
    if (!enabled) cli::fatal(kProg, enabled.error().reason);

    mail::Reader reader(0);
    io::Writer out(1);
    auto header = reader.read_header();
    if (!header) cli::fatal(kProg, header.error().reason);

    std::vector<dkim::SigningKey> keys;
    if (*enabled) {
        dkim::SigningDomain sd{domain, ""};
        if (domain.empty()) sd = dkim::signing_domain(*header, envelope_sender(sender));
        if (!sd.warning.empty()) cli::warn(kProg, sd.warning);
        if (!sd.domain.empty()) {
            Result<std::vector<dkim::SigningKey>> loaded = std::vector<dkim::SigningKey>{};
            if (!key_file.empty()) {
                auto key = crypto::load_private_key(key_file);
                if (!key) cli::fatal(kProg, key.error().reason);
                loaded->push_back({selectors[0], std::move(*key)});
            } else {
                loaded = dkim::load_domain_keys(control, sd.domain, selectors);
            }
            if (!loaded) cli::fatal(kProg, loaded.error().reason);
            keys = std::move(*loaded);
            domain = sd.domain;
        }
    }

    if (keys.empty()) {  // nothing to sign with: pass the message through unchanged
        if (auto r = mail::write_header(out, {}, *header); !r) cli::fatal(kProg, r.error().reason);
        if (auto r = mail::copy_body(reader, out); !r) cli::fatal(kProg, r.error().reason);
        if (auto r = out.flush(); !r) cli::fatal(kProg, r.error().reason);
        return kExitOk;
    }

    std::vector<std::string> names;
    for (auto& n : split(headers, ':'))
        if (!n.empty()) names.push_back(std::move(n));
    std::vector<dkim::SignParams> params;
    for (const auto& k : keys) {
        dkim::SignParams p;
        p.domain = domain;
        p.selector = k.selector;
        p.key = &k.key;
        p.header_canon = *hc;
        p.body_canon = *bc;
        p.headers = names;
        if (!identity.empty()) p.identity = identity;
        p.expire_after = expire;
        p.body_length = body_length;
        p.now = cli::now_or_clock(now);
        params.push_back(std::move(p));
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
    if (auto r = mail::write_header(out, *fields, *header); !r) cli::fatal(kProg, r.error().reason);
    if (auto r = spool.copy_to(out); !r) cli::fatal(kProg, r.error().reason);
    if (auto r = out.flush(); !r) cli::fatal(kProg, r.error().reason);
    return kExitOk;
}
