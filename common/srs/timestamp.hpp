// SRS timestamps as Mail::SRS (timestamp_create, timestamp_check) and libsrs2
// write and check them: the day number (Unix time / 86400, UTC) modulo 1024,
// as two base32 characters (A-Z, 2-7; RFC 4648 §6's alphabet), high digit
// first.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace qauth::srs {

/// Days a stamp can express: 32 * 32. Stamps repeat after this many days.
inline constexpr unsigned kTimeSlots = 1024;
inline constexpr std::int64_t kSecondsPerDay = 86400;

/// The two-character stamp of the day that contains `now` (Unix seconds; a
/// negative time counts back from slot 0, as floor division does).
std::string timestamp_encode(std::int64_t now);

/// The slot (0-1023) of a two-character stamp, case-insensitively
/// ("bq" = "BQ"); nullopt for any other length or a character outside the
/// alphabet (Mail::SRS counts such a character as 0; libsrs2 refuses it).
std::optional<unsigned> timestamp_decode(std::string_view stamp);

/// Checks that `stamp` was minted at most `maxage` days before the day of
/// `now`: valid on the day of minting and the `maxage` days after it,
/// Mail::SRS's `now <= then + MaxAge` with `now` moved up by 1024 while it is
/// below `then`. A stamp of a later day than today reads as one about 1024
/// days old, so it is refused: "in the future". Errors (permanent, for a
/// bounce address): "5.1.1 SRS: malformed timestamp", "... expired ...",
/// "... in the future".
Result<void> timestamp_check(std::string_view stamp, std::int64_t now, unsigned maxage);

}  // namespace qauth::srs
