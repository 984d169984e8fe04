// Exit statuses of qauth filters, after qmail-command conventions (DESIGN §3).
#pragma once

namespace qauth {

inline constexpr int kExitOk = 0;          ///< accepted; message on stdout
inline constexpr int kExitConsumed = 99;   ///< accepted and consumed; stop the chain
inline constexpr int kExitPermanent = 100; ///< refused; first stderr line is the SMTP reason
inline constexpr int kExitTemporary = 111; ///< DNS, I/O, resource, usage or config trouble

}  // namespace qauth
