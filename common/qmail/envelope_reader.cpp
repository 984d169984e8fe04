#include "qmail/envelope_reader.hpp"

#include "util/io.hpp"

namespace qauth::qmail {

namespace {

std::unexpected<Error> format_error(const std::string& why) { return fail("envelope format error: " + why); }

// One NUL-terminated record at `pos`, without its NUL; moves `pos` past it.
Result<std::string_view> record(std::string_view bytes, std::size_t& pos, const std::string& what) {
    const std::size_t nul = bytes.find('\0', pos);
    if (nul == std::string_view::npos) return format_error(what + " has no terminating NUL (input ended early)");
    std::string_view r = bytes.substr(pos, nul - pos);
    pos = nul + 1;
    if (r.size() > kMaxQueueAddress + 1)
        return format_error(what + " is longer than " + std::to_string(kMaxQueueAddress) + " bytes");
    return r;
}

}  // namespace

Result<ReadEnvelope> parse_queue_envelope(std::string_view bytes) {
    if (bytes.size() > kMaxEnvelopeBytes)
        return format_error("longer than " + std::to_string(kMaxEnvelopeBytes) + " bytes");
    if (bytes.empty()) return format_error("empty (no sender record)");
    if (bytes[0] != 'F') return format_error("does not start with the sender record F");
    ReadEnvelope env;
    std::size_t pos = 0;
    auto sender = record(bytes, pos, "the sender record");
    if (!sender) return std::unexpected(sender.error());
    env.sender = std::string(sender->substr(1));
    for (;;) {
        if (pos >= bytes.size()) return format_error("no final NUL after the recipients (input ended early)");
        if (bytes[pos] == '\0') {
            ++pos;
            break;
        }
        const std::string what = "recipient record " + std::to_string(env.recipients.size() + 1);
        if (bytes[pos] != 'T') return format_error(what + " does not start with T");
        if (env.recipients.size() == kMaxQueueRecipients)
            return format_error("more than " + std::to_string(kMaxQueueRecipients) + " recipients");
        auto r = record(bytes, pos, what);
        if (!r) return std::unexpected(r.error());
        if (r->size() == 1) return format_error(what + " is empty");
        env.recipients.emplace_back(r->substr(1));
    }
    if (env.recipients.empty()) return format_error("no recipient");
    if (pos != bytes.size()) return format_error("bytes after the final NUL");
    env.bytes = std::string(bytes);
    return env;
}

Result<ReadEnvelope> read_queue_envelope(int fd) {
    std::string bytes;
    char buf[16384];
    while (bytes.size() <= kMaxEnvelopeBytes) {
        auto n = io::read_some(fd, buf, sizeof buf);
        if (!n) return fail("reading the envelope: " + n.error().reason);
        if (*n == 0) break;
        bytes.append(buf, *n);
    }
    return parse_queue_envelope(bytes);
}

}  // namespace qauth::qmail
