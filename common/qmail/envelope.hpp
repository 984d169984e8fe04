// The SMTP envelope of a message as a filter sees it (DESIGN §4): options
// first, then what qmail-local, qmail-qfilter, tcpserver and qmail-smtpd put
// in the environment, then (when trusted) the Received: line our own
// qmail-smtpd wrote, then defaults.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mail/header.hpp"

namespace qauth::qmail {

/// What is known of the SMTP transaction.
struct Envelope {
    std::string sender;                   ///< MAIL FROM address; "" for the null sender <>
    std::vector<std::string> recipients;  ///< RCPT TO addresses, in order
    std::string client_ip;                ///< the SMTP client's address, as text
    std::string client_host;              ///< its name (TCPREMOTEHOST, or from Received:)
    std::string helo;                     ///< the HELO/EHLO argument
    bool relay_client = false;            ///< $RELAYCLIENT is set: a trusted relay client
    std::string auth_user;                ///< $SMTPAUTHUSER: the authenticated user, if any
    bool authenticated() const { return relay_client || !auth_user.empty(); }
};

/// The envelope's command-line options; empty means "not given".
struct EnvelopeOptions {
    std::optional<std::string> sender;
    std::vector<std::string> recipients;
    std::string ip, helo;
    /// --trust-received: take client IP, host and HELO from qmail-smtpd's
    /// Received: line: the one below qmail-queue's "(qmail PID invoked from
    /// network)" (passing over "invoked by alias" lines above it), or the
    /// topmost when qmail-queue has written none; none below a local
    /// injection's "invoked by uid N".
    bool trust_received = false;
};

/// Looks up one environment variable; nullptr when unset.
using Environment = std::function<const char*(const char*)>;

/// The process environment (std::getenv).
const char* process_env(const char* name);

/// Resolves each part of the envelope, first match wins (DESIGN §4):
/// - sender: option (may be "" for <>), $SENDER when not empty (qmail-local),
///   $QMAILUSER@$QMAILHOST (qmail-qfilter); else "" (the null sender, as an
///   empty $SENDER is for a bounce);
/// - recipients: options, $RECIPIENT (qmail-local), $QMAILRCPTS (qmail-qfilter, one per line);
/// - client IP: option, $TCPREMOTEIP, Received:; host: $TCPREMOTEHOST, Received:;
/// - HELO: option, $HELO, Received:;
/// - relay/authenticated: $RELAYCLIENT set, $SMTPAUTHUSER non-empty.
/// `header` is read only for trust_received.
Envelope resolve_envelope(const EnvelopeOptions& options, const mail::Header& header,
                          const Environment& env = process_env);

/// What the topmost Received: field says when qmail-smtpd wrote it
/// ("from HOST (HELO helo) (info@IP)\n  by ...", qmail's received.c; the
/// "(HELO ...)" part only when it differs from HOST, "info@" only with
/// TCPREMOTEINFO).
struct ReceivedInfo {
    std::string host, helo, ip;
};

/// Parses `field_value` (unfolded) in qmail-smtpd's Received: form; nullopt
/// for any other form. HELO is HOST when the "(HELO ...)" part is absent.
std::optional<ReceivedInfo> parse_qmail_received(std::string_view field_value);

}  // namespace qauth::qmail
