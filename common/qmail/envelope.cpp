#include "qmail/envelope.hpp"

#include <cstdlib>

#include "dns/address.hpp"
#include "util/strings.hpp"

namespace qauth::qmail {

const char* process_env(const char* name) { return std::getenv(name); }

namespace {

// "(TEXT)" at the start of `s`: TEXT, with `s` moved past it and the blank after it.
std::optional<std::string_view> paren(std::string_view& s) {
    if (!s.starts_with('(')) return std::nullopt;
    std::size_t close = s.find(')');
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view inner = s.substr(1, close - 1);
    s.remove_prefix(close + 1);
    while (s.starts_with(' ') || s.starts_with('\t')) s.remove_prefix(1);  // folding, unfolded
    return inner;
}

}  // namespace

std::optional<ReceivedInfo> parse_qmail_received(std::string_view v) {
    if (!v.starts_with("from ")) return std::nullopt;
    v.remove_prefix(5);
    std::size_t sp = v.find(' ');
    if (sp == std::string_view::npos || sp == 0) return std::nullopt;
    ReceivedInfo r;
    r.host = std::string(v.substr(0, sp));
    r.helo = r.host;
    v.remove_prefix(sp + 1);
    if (v.starts_with("(HELO ")) {
        auto helo = paren(v);
        if (!helo) return std::nullopt;
        r.helo = std::string(helo->substr(5));
    }
    auto info = paren(v);
    if (!info || !v.starts_with("by ")) return std::nullopt;
    std::string_view ip = info->substr(info->rfind('@') == std::string_view::npos ? 0 : info->rfind('@') + 1);
    if (!dns::IpAddress::parse(ip)) return std::nullopt;  // qmail writes the bare address; others [IP] or more
    r.ip = std::string(ip);
    return r;
}

Envelope resolve_envelope(const EnvelopeOptions& o, const mail::Header& header, const Environment& env) {
    auto get = [&](const char* name) -> std::optional<std::string> {
        const char* v = env(name);
        if (!v) return std::nullopt;
        return std::string(v);
    };
    auto first = [](std::initializer_list<std::optional<std::string>> choices) {
        for (const auto& c : choices)
            if (c && !c->empty()) return *c;
        return std::string();
    };
    Envelope e;
    if (o.sender) {
        // "<>" is how an admin writes the null sender (MAIL FROM:<>, RFC 5321
        // 4.5.5); qmail's $SENDER for it is empty.
        e.sender = *o.sender == "<>" ? std::string() : *o.sender;
    } else if (auto s = get("SENDER"); s && !s->empty()) {
        e.sender = *s;
    } else if (auto u = get("QMAILUSER"), h = get("QMAILHOST"); u && h && !(u->empty() && h->empty())) {
        e.sender = *u + "@" + *h;
    }

    e.recipients = o.recipients;
    if (e.recipients.empty()) {
        if (auto r = get("RECIPIENT"); r && !r->empty()) e.recipients.push_back(*r);
        else if (auto q = get("QMAILRCPTS"))
            for (auto& line : split(*q, '\n'))
                if (!line.empty()) e.recipients.push_back(std::move(line));
    }

    std::optional<ReceivedInfo> received;
    if (o.trust_received) {
        // qmail-queue writes "(qmail PID invoked from network)" on top of a
        // message qmail-smtpd gave it, "(qmail PID invoked by alias)" when a
        // .qmail forwards it, "(qmail PID invoked by uid N)" for a local
        // user's: only below a "from network" line (or, ahead of qmail-queue,
        // at the top) is qmail-smtpd's line; below a local user's there is
        // only what the user wrote.
        const auto idx = header.find_all("Received");
        auto value = [&](std::size_t k) { return header.fields[idx[k]].unfolded_value(); };
        for (std::size_t k = 0; k < idx.size(); ++k) {
            const std::string v = value(k);
            if (!v.starts_with("(qmail ")) {
                received = parse_qmail_received(v);
                break;
            }
            if (v.find(" invoked by alias)") != std::string::npos) continue;
            // Anything but "from network" is a local injection: no client.
            if (v.find(" invoked from network)") != std::string::npos && k + 1 < idx.size())
                received = parse_qmail_received(value(k + 1));
            break;
        }
    }
    auto from_received = [&](std::string ReceivedInfo::*part) -> std::optional<std::string> {
        if (!received) return std::nullopt;
        return (*received).*part;
    };
    e.client_ip = first({o.ip, get("TCPREMOTEIP"), from_received(&ReceivedInfo::ip)});
    e.client_host = first({get("TCPREMOTEHOST"), from_received(&ReceivedInfo::host)});
    e.helo = first({o.helo, get("HELO"), from_received(&ReceivedInfo::helo)});
    e.relay_client = get("RELAYCLIENT").has_value();
    e.auth_user = get("SMTPAUTHUSER").value_or("");
    return e;
}

}  // namespace qauth::qmail
