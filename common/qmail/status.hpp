// Exit statuses: those of a filter (qmail-command(8) conventions, DESIGN §3)
// and those of qmail-queue (qmail-queue(8)), which the QMAILQUEUE wrapper
// answers with, and the one mapping between them.
#pragma once

namespace qauth::qmail {

/// How a filter ends (DESIGN §3).
enum class FilterStatus : int {
    Ok = 0,           ///< accepted; message on stdout
    Consumed = 99,    ///< accepted and consumed (delivered or dropped on purpose); stop the chain
    Permanent = 100,  ///< refused; the first stderr line is the SMTP-ready reason
    Temporary = 111,  ///< DNS, I/O, resource, usage or configuration trouble: try later
};

/// The qmail-queue exit statuses a wrapper uses (qmail-queue(8)): 11-40 are
/// permanent for qmail-smtpd and qmail-inject, everything else temporary.
enum class QueueStatus : int {
    Ok = 0,
    Refused = 31,        ///< the mail server permanently refuses the message
    WriteError = 53,     ///< e.g. disk full
    ReadError = 54,      ///< cannot read the message or the envelope
    ConfigError = 55,    ///< cannot read a configuration file
    TempRefused = 71,    ///< the mail server temporarily refuses the message
    InternalBug = 81,
    CustomError = 82,    ///< notqmail: the reason was written to fd 6 (D... or Z...)
    EnvelopeError = 91,  ///< envelope format error
};

/// The process exit value of a status.
constexpr int exit_code(FilterStatus s) { return static_cast<int>(s); }
constexpr int exit_code(QueueStatus s) { return static_cast<int>(s); }

/// True for the statuses qmail-smtpd turns into a permanent 5xx (11-40).
constexpr bool is_permanent(QueueStatus s) { return exit_code(s) >= 11 && exit_code(s) <= 40; }

/// What a QMAILQUEUE wrapper answers for a filter that exited `filter_exit`
/// (DESIGN §3): 0 and 99 go on (Ok), 100 is Refused (31), 111 and anything
/// else, a crash included, TempRefused (71).
constexpr QueueStatus queue_status(int filter_exit) {
    switch (filter_exit) {
        case exit_code(FilterStatus::Ok):
        case exit_code(FilterStatus::Consumed): return QueueStatus::Ok;
        case exit_code(FilterStatus::Permanent): return QueueStatus::Refused;
        default: return QueueStatus::TempRefused;
    }
}

}  // namespace qauth::qmail
