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

/// The qmail-queue exit statuses (qmail-queue(8), "EXIT CODES"): 11-40 are
/// permanent for qmail-smtpd, qmail-inject and qmail-local's forward (notqmail
/// qmail.c), everything else temporary. A wrapper answers with them; the
/// qmail-queue client (qmail/queue.hpp) reads them.
enum class QueueStatus : int {
    Ok = 0,
    AddressTooLong = 11,  ///< an envelope address is too long
    Refused = 31,         ///< the mail server permanently refuses the message
    OutOfMemory = 51,
    Timeout = 52,
    WriteError = 53,      ///< e.g. disk full
    ReadError = 54,       ///< cannot read the message or the envelope
    ConfigError = 55,     ///< cannot read a configuration file
    NetworkError = 56,    ///< cannot make a network connection from this host
    HomeError = 61,       ///< trouble with the qmail home directory
    QueueDirError = 62,   ///< trouble with the queue directory
    QueuePidError = 63,   ///< queue/pid
    QueueMessError = 64,  ///< queue/mess
    QueueIntdError = 65,  ///< queue/intd
    QueueTodoError = 66,  ///< queue/todo
    TempRefused = 71,     ///< the mail server temporarily refuses the message
    ConnTimeout = 72,     ///< connection to the mail server timed out
    ConnRefused = 73,     ///< connection to the mail server rejected
    CommError = 74,       ///< connected, but communication failed
    InternalBug = 81,
    CustomError = 82,     ///< notqmail: the reason was written to fd 6 (D... or Z...)
    EnvelopeError = 91,   ///< envelope format error
};

/// The process exit value of a status.
constexpr int exit_code(FilterStatus s) { return static_cast<int>(s); }
constexpr int exit_code(QueueStatus s) { return static_cast<int>(s); }

/// True for the qmail-queue exit values qmail-smtpd turns into a permanent
/// 5xx (11-40, qmail-queue(8)). 82 is neither: its fd 6 text decides.
constexpr bool is_permanent_queue_exit(int exit) { return exit >= 11 && exit <= 40; }
constexpr bool is_permanent(QueueStatus s) { return is_permanent_queue_exit(exit_code(s)); }

/// What qmail-queue(8) says a qmail-queue exit value means, in lower case
/// and without a final period ("mail server permanently refuses to send the
/// message to any recipients"); a generic "permanent error" or "temporary
/// error" for a value the table does not list, by its class.
constexpr const char* queue_exit_text(int exit) {
    switch (exit) {
        case 0: return "message queued";
        case 11: return "address too long";
        case 31: return "mail server permanently refuses to send the message to any recipients";
        case 51: return "out of memory";
        case 52: return "timeout";
        case 53: return "write error; e.g., disk full";
        case 54: return "unable to read the message or envelope";
        case 55: return "unable to read a configuration file";
        case 56: return "problem making a network connection from this host";
        case 61: return "problem with the qmail home directory";
        case 62: return "problem with the queue directory";
        case 63: return "problem with queue/pid";
        case 64: return "problem with queue/mess";
        case 65: return "problem with queue/intd";
        case 66: return "problem with queue/todo";
        case 71: return "mail server temporarily refuses to send the message to any recipients";
        case 72: return "connection to mail server timed out";
        case 73: return "connection to mail server rejected";
        case 74: return "connection to mail server succeeded, but communication failed";
        case 81: return "internal bug; e.g., segmentation fault";
        case 82: return "custom error without a reason on descriptor 6";
        case 91: return "envelope format error";
        default: return is_permanent_queue_exit(exit) ? "permanent error" : "temporary error";
    }
}

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
