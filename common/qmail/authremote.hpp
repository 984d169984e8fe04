// qmail-authremote: the QMAILREMOTE wrapper (issue 10). notqmail's
// qmail-send runs $QMAILREMOTE instead of qmail-remote when it is set; this
// program is called as qmail-remote is (qmail-remote(8): `host sender
// recip...`, the message on fd 0), runs the remote chain (default
// qmail-dkimsign) over the spooled message and execs the real qmail-remote
// with the same arguments and the signed message on fd 0. Every trouble of
// its own is qmail-remote's temporary message report "Z...\0" on fd 1 and
// exit 0: the message is never sent unsigned because something failed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mail/header.hpp"
#include "qmail/authqueue_chain.hpp"
#include "qmail/control.hpp"
#include "qmail/envelope.hpp"
#include "util/result.hpp"

namespace qauth::qmail {

/// The chain file under the control directory: one filter a line, as
/// authqueue/outgoing. Missing: kDefaultRemoteChain. The time limit and
/// spool directory are qmail-authqueue's (authqueue/timeout, authqueue/spooldir).
inline constexpr const char* kRemoteChainFile = "authremote/chain";
inline constexpr const char* kDefaultRemoteChain = "qmail-dkimsign";

struct AuthremoteOptions {
    /// qmail-remote's arguments: host, sender, recipients (at least one).
    std::vector<std::string> args;
    /// Where the qauth programs are (resolve_program()).
    std::string program_dir;
    /// The control directory; empty: control_dir_from("").
    std::string control_dir;
};

/// qmail-remote's report of a temporary failure of the whole delivery, as
/// qmail-remote itself writes it (temp_read() and the like in
/// qmail-remote.c): no recipient report, the message report
/// "Zqmail-authremote: REASON. (#4.3.0)\n" and its NUL. qmail-rspawn then
/// defers every recipient.
std::string temporary_report(std::string_view reason);

/// The next qmail-remote: $AUTHREMOTE_NEXT when set and not empty, else
/// qmail_home_from("")/bin/qmail-remote. Never $QMAILREMOTE (that is us).
std::string next_remote_program(const Environment& env = process_env);

/// A bounce's sender: "" (qmail-send's bounces) or "#@[]" (its double bounces).
bool is_null_sender(std::string_view sender);

/// The header at the start of `message` (up to its empty line, at most
/// kMaxRemoteHeader bytes are looked at). Errors name the read.
inline constexpr std::size_t kMaxRemoteHeader = 256 * 1024;
Result<mail::Header> read_message_header(int fd);

/// Whether the message was signed by this server already (the smtpd chain):
/// after qmail-queue's own "Received: (qmail ...)" lines, the first field is
/// a DKIM-Signature whose d= has a key directory under
/// `control`/domainkeys/.
bool signed_here(const mail::Header& header, const ControlDir& control);

/// The d= for a bounce: nullopt unless `sender` is a null sender and the
/// From domain (dkim::signing_domain()) has no key; then the first line of
/// control `bouncehost`, else `me`, lower-cased, when that domain has a key
/// (dkim::domain_selectors(): its key directory lists a selector; the key
/// itself is qmail-dkimsign's to load), else nullopt. Errors: a control file
/// or selector list that cannot be read, a bad selector name.
Result<std::optional<std::string>> bounce_domain(const mail::Header& header, std::string_view sender,
                                                 const ControlDir& control);

/// `chain` with "--domain DOMAIN" added to every qmail-dkimsign filter
/// (filter_name()) that has no --domain of its own.
FilterChain with_signing_domain(FilterChain chain, const std::string& domain);

/// Runs the wrapper. Returns only when it does not exec the next
/// qmail-remote: after writing temporary_report() on fd 1; the status is
/// then 0, as qmail-remote's always is.
int run_authremote(const AuthremoteOptions& options);

}  // namespace qauth::qmail
