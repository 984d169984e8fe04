// The one sequence every filter follows (DESIGN §2, §3): read the header,
// let a stage look at it, stream the body to the stage and to the spool (or,
// when the input is a regular file, read the body from it again for the
// output), then write the stage's fields and the message, or refuse, and map
// the outcome to an exit status. Programs supply the stage; the runner owns
// the reader, the spool, the writer and the exit status.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mail/header.hpp"
#include "qmail/status.hpp"
#include "util/result.hpp"

namespace qauth::filter {

/// How a stage decides on a message.
struct Verdict {
    /// Ok: write `prepend` and the message. Permanent: refuse; `reason` is the
    /// SMTP-ready first line on stderr ("5.7.1 ..."). Temporary: `reason` on
    /// stderr as "PROGRAM: fatal: reason". Consumed: write nothing, exit 99.
    qmail::FilterStatus status = qmail::FilterStatus::Ok;
    std::string reason;
    /// Header fields to put on top, each complete with the message's line end.
    std::vector<std::string> prepend;
    /// One line for stderr as "PROGRAM: warning: ..." (with any status).
    std::string warning;
};

/// A verdict that writes the message unchanged.
inline Verdict pass_unchanged(std::string warning = {}) { return Verdict{{}, {}, {}, std::move(warning)}; }
/// A permanent refusal with the SMTP-ready `reason`.
inline Verdict refuse(std::string reason) { return Verdict{qmail::FilterStatus::Permanent, std::move(reason), {}, {}}; }

/// One filter's logic. The runner calls begin(), then body() for every chunk
/// (unless begin() decided), then finish(). An error from begin() or finish()
/// is a temporary failure (exit 111).
class Stage {
public:
    virtual ~Stage() = default;

    /// Sees the header first. nullopt: go on with the body. A verdict: that
    /// is the outcome, and the body is copied without being looked at. The
    /// stage may change `header` (remove forged fields, say): what it leaves
    /// is what is written.
    virtual Result<std::optional<Verdict>> begin(mail::Header& header) = 0;

    /// The header reached the reader's limit (mail/reader.hpp) before its end,
    /// so fields below the limit are invisible to the stage: called instead of
    /// begin(). The default refuses the message (5.3.4), since a forged
    /// Authentication-Results field down there would otherwise survive.
    virtual Verdict oversized(const mail::Header& header);

    /// The next body bytes, in order; chunk boundaries fall anywhere.
    virtual void body(std::string_view chunk) = 0;

    /// The body has ended.
    virtual Result<Verdict> finish(const mail::Header& header) = 0;
};

/// The stage of a filter that is switched off: every message passes
/// unchanged, however large its header.
class PassStage : public Stage {
public:
    Result<std::optional<Verdict>> begin(mail::Header&) override { return pass_unchanged(); }
    Verdict oversized(const mail::Header&) override { return pass_unchanged(); }
    void body(std::string_view) override {}
    Result<Verdict> finish(const mail::Header&) override { return pass_unchanged(); }
};

struct RunOptions {
    /// --check: write nothing on stdout; answer by exit status only.
    bool check = false;
    /// Where the message comes from and goes to (tests use files).
    int input = 0, output = 1;
};

/// The field written between our fields and a message whose first line is a
/// continuation line (it starts with SP or TAB, RFC 5322 §2.2.3): that line
/// then continues this empty field instead of ours (DESIGN §7).
inline constexpr std::string_view kOrphanField = "X-Qauth-Orphan-Line:";

/// Runs `stage` on the message on options.input (fd 0), writing to
/// options.output (fd 1). An input that is a regular file (a `.qmail` line,
/// `prog <file`) is not spooled: the body is copied from it again, from
/// where it started at its offset on entry, which need not be 0.
/// Diagnostics go to stderr prefixed with `program`. Returns the exit status
/// (DESIGN §3): 0 written, 99 consumed, 100 refused, 111 on any failure (read
/// or write error, full spool, an input file that shrank before the body was
/// copied from it, stage error, standard output closed when the message must
/// be written). A partial message on stdout never comes with 0.
int run(std::string_view program, Stage& stage, const RunOptions& options);

}  // namespace qauth::filter
