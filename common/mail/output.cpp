#include "mail/output.hpp"

namespace qauth::mail {

Result<void> write_header(io::Writer& out, const std::vector<std::string>& prepend, const Header& header) {
    for (const auto& f : prepend)
        if (auto r = out.write(f); !r) return r;
    for (const auto& f : header.fields)
        if (auto r = out.write(f.raw); !r) return r;
    return out.write(header.separator);
}

Result<void> copy_body(Reader& reader, io::Writer& out) {
    return reader.read_body([&](std::string_view chunk) { return out.write(chunk); });
}

}  // namespace qauth::mail
