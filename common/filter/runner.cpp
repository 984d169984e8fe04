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

// The offset of `fd` when it is a regular file, which can then be read again
// for the output instead of spooling the body (qmail-local, `prog <file`);
// nullopt for a pipe, socket or device.
std::optional<off_t> file_offset(int fd) {
    struct stat st;
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
    const off_t at = ::lseek(fd, 0, SEEK_CUR);
    if (at < 0) return std::nullopt;
    return at;
}

}  // namespace

int run(std::string_view program, Stage& stage, const RunOptions& options) {
    if (!options.check && io::closed_at_start(options.output))
        return temporary(program, "standard output is closed");
    const auto start = options.check ? std::nullopt : file_offset(options.input);
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
            if (options.check || start) return {};
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
    else if (written && start)  // exactly the body the stage saw
        written = out.copy_range(options.input, "standard input", *start + static_cast<off_t>(header_bytes),
                                 reader.consumed() - header_bytes);
    else if (written)
        written = spool.copy_to(out);
    if (written) written = out.flush();
    if (!written) return temporary(program, written.error());
    return qmail::exit_code(FilterStatus::Ok);
}

}  // namespace qauth::filter
