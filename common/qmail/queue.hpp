// The qmail-queue client: queues a message with a given envelope through
// qmail-queue (or $QMAILQUEUE) the way notqmail's qmail.c does for
// qmail-local's forward and qmail-inject: message on the program's fd 0,
// envelope on its fd 1 (qmail-queue(8)), optionally notqmail's custom error
// text on its fd 6, and its exit status mapped to a filter status.
//
//   auto env = qmail::encode_envelope(new_sender, recipients);   // validate first
//   auto out = qmail::queue_message({}, *env, qmail::delivered_to_line(rcpt), 0);
//   if (!out.ok()) { diag(...out.reason...); return exit_code(out.status); }
//
// Used by srsfilter forward/reverse (re-queueing with a new envelope) and by
// the QMAILQUEUE wrapper (handing the filtered message to the real
// qmail-queue). Memory stays bounded whatever the message size; every
// descriptor is close-on-exec and owned; the child is always reaped.
#pragma once

#include <string>
#include <string_view>
#include <sys/types.h>

#include "qmail/envelope.hpp"
#include "qmail/queue_envelope.hpp"
#include "qmail/status.hpp"
#include "util/io.hpp"
#include "util/result.hpp"

namespace qauth::qmail {

/// The program that queues: $QMAILQUEUE when it is set and not empty (the
/// rule of every qmail program that invokes qmail-queue, qmail-queue(8)),
/// else `home`/bin/qmail-queue. `env` looks the variable up (tests pass
/// their own).
std::string queue_program(std::string_view home, const Environment& env = process_env);

/// Where and how to run it.
struct QueueOptions {
    /// The program to run, which overrides queue_program() (a wrapper names
    /// the real qmail-queue here, never $QMAILQUEUE itself). Empty:
    /// queue_program(home).
    std::string program;
    /// The qmail home, empty: qmail_home_from("") (control.hpp). The program
    /// runs with it as working directory, as qmail.c chdir's to auto_qmail
    /// (so a relative $QMAILQUEUE is relative to it, as in qmail).
    std::string home;
    /// Open a pipe on the program's fd 6 and read notqmail's custom error
    /// text from it (exit 82). False: fd 6 is closed in the program.
    bool custom_error = true;
};

/// How the queueing ended.
struct QueueOutcome {
    /// Ok (queued), Permanent (qmail-queue refused for good: exit 11-40, or
    /// 82 with a "D" text) or Temporary (everything else).
    FilterStatus status = FilterStatus::Temporary;
    /// Why, when not Ok: one line of printable ASCII (util/strings.hpp
    /// printable(): no CR, LF or other control bytes), at most 400 bytes,
    /// naming the program ("qmail-queue exited 31: mail server permanently
    /// refuses to send the message to any recipients").
    std::string reason;
    /// The program's exit value; -1 when it did not exit (killed by a signal,
    /// or it could not be started).
    int exit = -1;
    /// With exit 82 and at least 3 bytes on fd 6 (what notqmail requires):
    /// "D" or "Z" and the text after its first byte, made printable, at most
    /// 255 bytes: what a wrapper passes on to its own fd 6. A first byte
    /// other than 'D' becomes 'Z' (notqmail answers 451 for it too, with that
    /// byte stripped). Empty otherwise.
    std::string custom_error;

    bool ok() const { return status == FilterStatus::Ok; }
};

/// A running qmail-queue with its message and envelope pipes.
///
/// start(), then write() and copy_from() in the message's order, then
/// finish(envelope) exactly once. A write error (the program closed fd 0:
/// EPIPE, which never raises SIGPIPE here) makes every later write fail and
/// keeps the envelope from being sent, so the program sees an envelope
/// without its final NUL and queues nothing (qmail-queue(8): "it aborts
/// without placing the message into the queue"). A client destroyed before
/// finish() does the same: it closes both pipes without an envelope and
/// waits for the program to exit. Not thread-safe; one client at a time
/// per thread.
class QueueClient {
public:
    /// Starts options.program (or queue_program(home)) with pipes on fd 0
    /// and 1 (and 6), in the qmail home, with this process's environment.
    /// Errors (all temporary for the caller): pipe or fork failure, the
    /// home cannot be entered, the program cannot be executed (missing, not
    /// executable: the errno text from execv, e.g. "cannot run
    /// /x/qmail-queue: No such file or directory").
    static Result<QueueClient> start(const QueueOptions& options);

    QueueClient(QueueClient&&) noexcept = default;
    QueueClient& operator=(QueueClient&&) = delete;
    ~QueueClient();

    /// Appends `data` to the message (buffered). Errors name the program and
    /// the errno text; they are sticky.
    Result<void> write(std::string_view data);

    /// Appends everything that can be read from `fd` from its current
    /// offset to its end (a spool file, standard input), through a fixed
    /// buffer. `fd_name` names it in a read error. A read error is ours,
    /// not the program's: finish() then answers Temporary whatever the
    /// program does. Write errors as write().
    Result<void> copy_from(int fd, std::string_view fd_name);

    /// Ends the message (closes fd 0), writes `envelope` on fd 1 unless a
    /// write or read failed before, closes it, reads at most 255 bytes of
    /// fd 6 (until the program closes it), waits for the program and maps
    /// the outcome the way notqmail's qmail.c (qmail_close) does:
    /// - exit 0: Ok, unless something could not be written (then Temporary:
    ///   the program said it queued a message it did not get whole);
    /// - exit 11-40: Permanent, with qmail-queue(8)'s text for the value;
    /// - exit 82 with at least 3 bytes on fd 6: Permanent for "D<text>",
    ///   Temporary for "Z<text>" or any other first byte, with the text;
    /// - any other exit (82 with less text included), death by a signal, a
    ///   read error on our input: Temporary.
    /// A second call answers Temporary ("already finished").
    QueueOutcome finish(const QueueEnvelope& envelope);

    /// The program's name in reasons (the last part of its path).
    const std::string& name() const { return name_; }

private:
    // The child process, reaped when its owner goes (after the pipes close:
    // members are destroyed in reverse order).
    struct Child {
        pid_t pid = -1;
        Child() = default;
        explicit Child(pid_t p) : pid(p) {}
        Child(Child&& o) noexcept : pid(o.pid) { o.pid = -1; }
        Child& operator=(Child&&) = delete;
        ~Child();
        /// Waits for the child; its wait status, or -1 when waitpid fails.
        int wait();
    };

    QueueClient(Child child, int message, int envelope, int errors, std::string name);

    Child child_;
    io::Fd message_, envelope_, errors_;
    io::Writer out_;
    std::string name_;
    std::string local_error_;  // a read error of our own input
    bool finished_ = false;
};

/// Queues a message in one call: starts the program (options), writes
/// `prefix` (Delivered-To lines, a whole message held in memory), then, when
/// `fd` is not -1, the rest of `fd` to its end (copy_from), and finishes
/// with `envelope`. A failure to start is a Temporary outcome with its
/// reason. The outcome is finish()'s.
QueueOutcome queue_message(const QueueOptions& options, const QueueEnvelope& envelope, std::string_view prefix,
                           int fd = -1);

}  // namespace qauth::qmail
