#include "mail/reader.hpp"

#include <memory>

#include "util/io.hpp"

namespace qauth::mail {

namespace {
constexpr std::size_t kChunk = 64 * 1024;
}

Result<Header> Reader::read_header() {
    Header h;
    std::string buf;
    std::size_t line_start = 0;  // start of the first line not yet checked
    std::size_t scan = 0;        // where the search for the next LF resumes
    std::size_t lines = 0;
    bool eof = false, le_known = false;
    std::size_t header_end = std::string::npos, body_start = 0;

    while (header_end == std::string::npos) {
        // Check every complete line for the empty separator line.
        std::size_t nl;
        while ((nl = buf.find('\n', scan)) != std::string::npos) {
            if (!le_known) {
                h.line_end = (nl > 0 && buf[nl - 1] == '\r') ? LineEnd::CrLf : LineEnd::Lf;
                le_known = true;
            }
            std::size_t len = nl + 1 - line_start;
            if (len == 1 || (len == 2 && buf[line_start] == '\r')) {
                header_end = line_start;
                body_start = nl + 1;
                h.separator = buf.substr(line_start, len);
                break;
            }
            if (lines == kMaxHeaderLines) {
                header_end = body_start = line_start;
                h.truncated = true;
                break;
            }
            ++lines;
            line_start = scan = nl + 1;
        }
        scan = buf.size();
        if (header_end != std::string::npos) break;
        if (eof) {
            header_end = body_start = buf.size();
            break;
        }
        if (buf.size() >= max_header_) {
            // Cut at the last complete line; a single giant line is cut at the limit.
            header_end = body_start = line_start > 0 ? line_start : max_header_;
            h.truncated = true;
            break;
        }
        // resize_and_overwrite: the new room is read into, not zeroed first.
        std::size_t old = buf.size();
        Result<std::size_t> n = 0;
        buf.resize_and_overwrite(old + kChunk, [&](char* p, std::size_t) {
            n = io::read_some(fd_, p + old, kChunk);
            return old + (n ? *n : 0);
        });
        if (!n) return fail("standard input: " + n.error().reason);
        read_ += *n;
        eof = (*n == 0);
    }
    pending_ = buf.substr(body_start);
    buf.resize(header_end);
    h.bytes = header_end;
    h.lines = lines;
    parse_fields(buf, h.fields);
    return h;
}

Result<void> Reader::read_body(const BodySink& sink) {
    if (!pending_.empty()) {
        if (auto r = sink(pending_); !r) return r;
        std::string().swap(pending_);
    }
    auto buf = std::make_unique_for_overwrite<char[]>(kChunk);  // not zeroed: read into
    for (;;) {
        auto n = io::read_some(fd_, buf.get(), kChunk);
        if (!n) return fail("standard input: " + n.error().reason);
        if (*n == 0) return {};
        read_ += *n;
        if (auto r = sink(std::string_view(buf.get(), *n)); !r) return r;
    }
}

}  // namespace qauth::mail
