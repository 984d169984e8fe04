#include "srs/dot_qmail.hpp"

#include <vector>

#include "srs/address.hpp"
#include "srs/guarded.hpp"
#include "util/strings.hpp"

namespace qauth::srs {

namespace {

/// `address` as qmail keeps it in an envelope: the local part raw (a
/// quoted-string's quotes and backslashes removed, qmail-remote quotes it
/// again when it sends), "" for the null sender "<>". Anything parse_address
/// refuses is passed as it is (a forward target was checked before).
std::string envelope_form(std::string_view address) {
    if (address == "<>") return {};
    if (is_null_sender(address)) return std::string(address);
    auto a = parse_address(address);
    if (!a) return std::string(address);
    return a->local + "@" + a->domain;
}

/// Queues `fd` from `sender` to `to` with $DTLINE on top; maps the outcome.
DotOutcome queue(std::string_view sender, std::span<const std::string> to, const qmail::QueueOptions& options,
                 int fd, const qmail::Environment& env) {
    std::vector<std::string> rcpts;
    rcpts.reserve(to.size());
    for (const auto& r : to) rcpts.push_back(envelope_form(r));
    auto envelope = qmail::encode_envelope(envelope_form(sender), rcpts);
    if (!envelope) return {qmail::FilterStatus::Temporary, "4.3.0 " + envelope.error().reason};
    auto out = qmail::queue_message(options, *envelope, qmail::delivered_to_from(env), fd);
    if (out.ok()) return {qmail::FilterStatus::Ok, {}};
    const bool permanent = out.status == qmail::FilterStatus::Permanent;
    return {out.status, (permanent ? "5.3.0 " : "4.3.0 ") + out.reason};
}

}  // namespace

std::string forward_target_problem(std::string_view address) {
    if (address.empty()) return "an empty forward address";
    if (address.size() > kMaxAddress)
        return "a forward address of " + std::to_string(address.size()) + " octets, over " +
               std::to_string(kMaxAddress);
    for (unsigned char c : address)
        if (c < 0x20 || c == 0x7f) return "a forward address with a control character: " + printable(address);
    return {};
}

std::optional<std::string> incoming_sender(const std::optional<std::string>& option, bool forward,
                                           const qmail::Environment& env) {
    if (option) return option;
    if (forward)
        if (const char* s = env("NEWSENDER")) return s;
    if (const char* s = env("SENDER")) return s;
    return std::nullopt;
}

std::optional<std::string> bounce_recipient(std::string_view srs_domain, const qmail::Environment& env) {
    std::string local;
    const char* def = env("DEFAULT");
    const char* ext2 = env("EXT2");
    const char* rcpt = env("RECIPIENT");
    if (def && *def) {
        local = def;
    } else if (ext2 && *ext2) {
        local = ext2;
    } else if (rcpt && *rcpt) {
        std::string_view r(rcpt);
        if (auto at = r.rfind('@'); at != std::string_view::npos) r = r.substr(0, at);
        // from the first "SRS0"/"SRS1" tag at the start or after a '-'
        std::size_t from = 0;
        for (std::size_t i = 0; i + 5 <= r.size(); ++i) {
            if ((i == 0 || r[i - 1] == '-') && iequals(r.substr(i, 3), "SRS") && (r[i + 3] == '0' || r[i + 3] == '1') &&
                (r[i + 4] == '=' || r[i + 4] == '+' || r[i + 4] == '-')) {
                from = i;
                break;
            }
        }
        local = r.substr(from);
    } else {
        return std::nullopt;
    }
    const char* host = env("HOST");
    return local + "@" + std::string(host && *host ? std::string_view(host) : srs_domain);
}

DotOutcome forward(const Params& p, std::string_view sender, std::span<const std::string> to,
                   const qmail::QueueOptions& options, int fd, std::int64_t now, const qmail::Environment& env) {
    auto r = rewrite(p, sender, now);
    if (!r) return {qmail::FilterStatus::Permanent, r.error().reason};
    return queue(r->address, to, options, fd, env);
}

DotOutcome return_bounce(const Params& p, std::string_view sender, std::string_view srs_address,
                         const qmail::QueueOptions& options, int fd, std::int64_t now,
                         const qmail::Environment& env) {
    if (!is_null_sender(sender))
        return {qmail::FilterStatus::Permanent,
                "5.7.1 SRS: an SRS address takes only bounces (null sender), not mail from " +
                    printable(sender, kMaxAddress)};
    auto original = reverse(p, srs_address, now);
    if (!original) return {qmail::FilterStatus::Permanent, original.error().reason};
    const std::string to[] = {*original};
    return queue("", to, options, fd, env);
}

}  // namespace qauth::srs
