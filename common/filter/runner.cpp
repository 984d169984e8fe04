#include "filter/runner.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include "mail/reader.hpp"
#include "util/diag.hpp"
#include "util/io.hpp"

namespace qauth::filter {

using qmail::FilterStatus;

Verdict Stage::oversized(const mail::Header&) {
    return refuse("5.3.4 message header exceeds " + std::to_string(mail::kMaxHeaderLines) + " lines or " +
                  std::to_string(mail::kMaxHeaderBytes >> 20) + " MiB");
}

namespace {

int temporary(std::string_view program, const Error& why) {
    report(program, why);
    return qmail::exit_code(FilterStatus::Temporary);
}

int temporary(std::string_view program, std::string why) { return temporary(program, Error{std::move(why)}); }

// Our fields, the orphan guard when the message starts with a continuation
// line, then the header as it came.
Result<void> write_header(io::Writer& out, const std::vector<std::string>& prepend, const mail::Header& header) {
    for (const auto& f : prepend) out.write(f);
    const auto& fields = header.fields;
    if (!prepend.empty() && !fields.empty() && (fields[0].raw.starts_with(' ') || fields[0].raw.starts_with('\t'))) {
        out.write(kOrphanField);
        out.write(mail::eol(header.line_end));
    }
    for (const auto& f : fields) out.write(f.raw);
    return out.write(header.separator);  // errors are sticky: one check covers every write
}

// A regular-file input that can be read again for the output instead of
// spooling the body (qmail-local, `prog <file`): where it was at the start,
// and its stat then, to see afterwards that nobody changed it.
struct Reread {
    off_t start;
    struct stat before;
};

bool same_stat(const struct stat& a, const struct stat& b) {
    return a.st_size == b.st_size && a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec &&
           a.st_ctim.tv_sec == b.st_ctim.tv_sec && a.st_ctim.tv_nsec == b.st_ctim.tv_nsec;
}

// nullopt for a pipe, socket or device, and for an input that is the output
// file too (`<f 1<>f`): our header would overwrite the body before it is
// read again, so that case keeps the spool.
std::optional<Reread> reread_input(int in, int out) {
    struct stat st, os;
    if (::fstat(in, &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
    if (::fstat(out, &os) == 0 && os.st_dev == st.st_dev && os.st_ino == st.st_ino) return std::nullopt;
    const off_t at = ::lseek(in, 0, SEEK_CUR);
    if (at < 0) return std::nullopt;
    return Reread{at, st};
}

// After the second read: a file rewritten in place meanwhile (same length)
// would make the output differ from what the stage judged.
Result<void> unchanged(int in, const Reread& r) {
    struct stat now;
    if (::fstat(in, &now) != 0 || !same_stat(now, r.before))
        return fail("standard input: the file changed while it was read; try again");
    return {};
}

}  // namespace

int run(std::string_view program, Stage& stage, const RunOptions& options) {
    if (!options.check && io::closed_at_start(options.output))
        return temporary(program, "standard output is closed");
    const auto reread = options.check ? std::nullopt : reread_input(options.input, options.output);
    mail::Reader reader(options.input);
    auto header = reader.read_header();
    if (!header) return temporary(program, header.error());
    const std::uint64_t header_bytes = reader.consumed();

    std::optional<Verdict> verdict;
    if (header->truncated) {
        verdict = stage.oversized(*header);
    } else {
        auto early = stage.begin(*header);
        if (!early) return temporary(program, early.error());
        verdict = std::move(*early);
    }
    // A verdict from the header alone copies the body straight through; else
    // the stage sees the body while the spool keeps it for the output, unless
    // the input is a regular file, which is read again instead.
    const bool streaming = verdict.has_value();
    io::Spool spool;
    if (!streaming) {
        auto body = reader.read_body([&](std::string_view chunk) -> Result<void> {
            stage.body(chunk);
            if (options.check || reread) return {};
            return spool.append(chunk);
        });
        if (!body) return temporary(program, body.error());
        auto done = stage.finish(*header);
        if (!done) return temporary(program, done.error());
        verdict = std::move(*done);
    }

    if (!verdict->warning.empty()) diag(program, "warning", verdict->warning);
    switch (verdict->status) {
        case FilterStatus::Permanent:
            diag(program, "", verdict->reason);
            return qmail::exit_code(FilterStatus::Permanent);
        case FilterStatus::Temporary: return temporary(program, verdict->reason);
        case FilterStatus::Consumed: return qmail::exit_code(FilterStatus::Consumed);
        case FilterStatus::Ok: break;
    }
    if (options.check) return qmail::exit_code(FilterStatus::Ok);

    io::Writer out(options.output);
    auto written = write_header(out, verdict->prepend, *header);
    if (written && streaming)
        written = reader.read_body([&](std::string_view chunk) { return out.write(chunk); });
    else if (written && reread)  // exactly the body the stage saw, from an unchanged file
        written = out.copy_range(options.input, "standard input", reread->start + static_cast<off_t>(header_bytes),
                                 reader.consumed() - header_bytes);
    else if (written)
        written = spool.copy_to(out);
    if (written) written = out.flush();
    if (written && reread && !streaming) written = unchanged(options.input, *reread);
    if (!written) return temporary(program, written.error());
    return qmail::exit_code(FilterStatus::Ok);
}

}  // namespace qauth::filter
