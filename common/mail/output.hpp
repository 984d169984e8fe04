// Writing a filtered message: our fields first, then the message as it came
// (DESIGN §2).
#pragma once

#include <string>
#include <vector>

#include "mail/header.hpp"
#include "mail/reader.hpp"
#include "util/io.hpp"
#include "util/result.hpp"

namespace qauth::mail {

/// Writes the fields in `prepend` (complete, with line ends), then every
/// field of `header` byte for byte, then its separator line.
Result<void> write_header(io::Writer& out, const std::vector<std::string>& prepend, const Header& header);

/// Writes `header` unchanged and copies the rest of the message from
/// `reader` to `out`, then flushes: the pass-through path, which needs no
/// spool. Fails on any read or write error.
Result<void> pass_through(Reader& reader, const Header& header, io::Writer& out);

/// Writes `prepend`, `header` and the spooled body, then flushes.
Result<void> write_message(io::Writer& out, const std::vector<std::string>& prepend, const Header& header,
                           io::Spool& body);

}  // namespace qauth::mail
