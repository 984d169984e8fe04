// How a QMAILQUEUE program tells its caller why it refused a message: the
// custom-error conventions of the qmail trees, as read in their qmail.c
// (qmail_close), selected by control file authqueue/customerror.
//   notqmail   exit 82, "D<text>" or "Z<text>" on fd 6 (at most 255 bytes,
//              copied raw into the SMTP reply: 554 for D, 451 otherwise)
//   sagredo    exit 88 (or 82), the same text on fd $ERROR_FD, default 4
//   indimail   exit 88, the same text on fd $ERROR_FD, default 2 (-1: none)
//   none       no text: exit 31 or 71 only
// The text is used only when the caller opened that descriptor; else the
// plain status (31 permanent, 71 temporary) is the answer.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "qmail/envelope.hpp"
#include "util/result.hpp"

namespace qauth::qmail {

enum class CustomErrorConvention { Notqmail, Sagredo, Indimail, None };

/// The convention named by `word` (a line of authqueue/customerror):
/// "notqmail" (also the default for ""), "sagredo", "indimail", "none".
/// An error naming the accepted words otherwise (a configuration error).
Result<CustomErrorConvention> parse_custom_error_convention(std::string_view word);

/// Where the text goes and with which exit status.
struct CustomErrorChannel {
    int fd = -1;    ///< the descriptor the caller reads
    int exit = 0;   ///< 82 (notqmail) or 88 (sagredo, indimail)
};

/// The channel of `convention` for this process: its descriptor (fd 6, or
/// $ERROR_FD as `env` gives it, else the tree's default) when `is_open`
/// says the caller opened it (fcntl F_GETFD in the program); nullopt for
/// None, an $ERROR_FD that is -1 or not a number, or a closed descriptor.
std::optional<CustomErrorChannel> custom_error_channel(CustomErrorConvention convention, const Environment& env,
                                                      bool (*is_open)(int fd));

/// The most bytes a caller reads (notqmail and sagredo: 255).
inline constexpr std::size_t kMaxCustomErrorText = 255;

/// The bytes to write: `kind` ('D' permanent, 'Z' temporary) and `reason`
/// as one line: CR, LF and TAB become spaces, other control and 8-bit bytes
/// are escaped (util/strings.hpp printable()), at most kMaxCustomErrorText
/// bytes in all, never empty after the kind (notqmail ignores fewer than 3
/// bytes). A reason that does not start with an RFC 3463 enhanced status
/// code of its class ("5.x.y " for D, "4.x.y " for Z) gets "5.7.1 " or
/// "4.3.0 " put in front, so the SMTP reply always carries one that agrees
/// with its 554 or 451.
std::string custom_error_text(char kind, std::string_view reason);

}  // namespace qauth::qmail
