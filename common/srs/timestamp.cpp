#include "srs/timestamp.hpp"

namespace qauth::srs {

namespace {

constexpr char kBase32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// The day slot of `now`, 0-1023.
unsigned day_slot(std::int64_t now) {
    std::int64_t day = now / kSecondsPerDay;
    if (now % kSecondsPerDay < 0) --day;  // floor, for times before 1970
    return static_cast<unsigned>(((day % kTimeSlots) + kTimeSlots) % kTimeSlots);
}

std::optional<unsigned> digit(char c) {
    if (c >= 'A' && c <= 'Z') return static_cast<unsigned>(c - 'A');
    if (c >= 'a' && c <= 'z') return static_cast<unsigned>(c - 'a');
    if (c >= '2' && c <= '7') return static_cast<unsigned>(c - '2' + 26);
    return std::nullopt;
}

std::string days(unsigned n) { return std::to_string(n) + (n == 1 ? " day" : " days"); }

}  // namespace

std::string timestamp_encode(std::int64_t now) {
    unsigned slot = day_slot(now);
    return {kBase32[slot >> 5], kBase32[slot & 31]};
}

std::optional<unsigned> timestamp_decode(std::string_view stamp) {
    if (stamp.size() != 2) return std::nullopt;
    auto hi = digit(stamp[0]), lo = digit(stamp[1]);
    if (!hi || !lo) return std::nullopt;
    return *hi << 5 | *lo;
}

Result<void> timestamp_check(std::string_view stamp, std::int64_t now, unsigned maxage) {
    auto then = timestamp_decode(stamp);
    if (!then) return fail("5.1.1 SRS: malformed timestamp (two base32 characters expected)");
    unsigned age = (day_slot(now) + kTimeSlots - *then) % kTimeSlots;
    if (age <= maxage) return {};
    // Mail::SRS and libsrs2 cannot tell a stamp from the future from an old
    // one; for the message, one from the later half of the cycle is "future".
    if (age > kTimeSlots / 2)
        return fail("5.1.1 SRS: timestamp is " + days(kTimeSlots - age) + " in the future");
    return fail("5.1.1 SRS: timestamp expired: minted " + days(age) + " ago (srs_maxage is " +
                std::to_string(maxage) + ")");
}

}  // namespace qauth::srs
