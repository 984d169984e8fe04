#include "qmail/queue_envelope.hpp"

#include <algorithm>

namespace qauth::qmail {

namespace {

// Why `address` cannot go into an envelope record, or "" when it can.
std::string address_problem(std::string_view what, std::string_view address) {
    if (address.find('\0') != std::string_view::npos)
        return std::string(what) + " contains a NUL byte (qmail-queue(8): NUL ends an envelope record)";
    if (address.size() > kMaxQueueAddress)
        return std::string(what) + " is longer than " + std::to_string(kMaxQueueAddress) + " bytes";
    return {};
}

}  // namespace

Result<QueueEnvelope> encode_envelope(std::string_view sender, std::span<const std::string> recipients) {
    if (recipients.empty()) return fail("qmail-queue envelope: no recipient");
    if (recipients.size() > kMaxQueueRecipients)
        return fail("qmail-queue envelope: more than " + std::to_string(kMaxQueueRecipients) + " recipients");
    if (auto p = address_problem("sender", sender); !p.empty()) return fail("qmail-queue envelope: " + p);
    std::size_t size = sender.size() + 3;
    for (std::size_t i = 0; i < recipients.size(); ++i) {
        const std::string what = "recipient " + std::to_string(i + 1);
        if (recipients[i].empty()) return fail("qmail-queue envelope: " + what + " is empty");
        if (auto p = address_problem(what, recipients[i]); !p.empty()) return fail("qmail-queue envelope: " + p);
        size += recipients[i].size() + 2;
    }
    std::string bytes;
    bytes.reserve(size);
    bytes += 'F';
    bytes += sender;
    bytes += '\0';
    for (const auto& r : recipients) {
        bytes += 'T';
        bytes += r;
        bytes += '\0';
    }
    bytes += '\0';
    return QueueEnvelope(std::move(bytes));
}

std::string delivered_to_line(std::string_view recipient) {
    std::string line = "Delivered-To: ";
    line += recipient;
    std::replace(line.begin(), line.end(), '\n', '_');
    line += '\n';
    return line;
}

std::string delivered_to_from(const Environment& env) {
    constexpr std::string_view kField = "Delivered-To: ";
    if (const char* dt = env("DTLINE"); dt && *dt) {
        const std::string_view line(dt);
        if (line.starts_with(kField) && line.find('\n') == line.size() - 1) return std::string(line);
    }
    if (const char* rcpt = env("RECIPIENT"); rcpt && *rcpt) return delivered_to_line(rcpt);
    return {};
}

}  // namespace qauth::qmail
