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

/// Copies the rest of the message from `reader` to `out` unchanged: the
/// pass-through path, which needs no spool.
Result<void> copy_body(Reader& reader, io::Writer& out);

}  // namespace qauth::mail
