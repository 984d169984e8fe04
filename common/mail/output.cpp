#include "mail/output.hpp"

namespace qauth::mail {

Result<void> write_header(io::Writer& out, const std::vector<std::string>& prepend, const Header& header) {
    for (const auto& f : prepend)
        if (auto r = out.write(f); !r) return r;
    for (const auto& f : header.fields)
        if (auto r = out.write(f.raw); !r) return r;
    return out.write(header.separator);
}

Result<void> pass_through(Reader& reader, const Header& header, io::Writer& out) {
    if (auto r = write_header(out, {}, header); !r) return r;
    if (auto r = reader.read_body([&](std::string_view chunk) { return out.write(chunk); }); !r) return r;
    return out.flush();
}

Result<void> write_message(io::Writer& out, const std::vector<std::string>& prepend, const Header& header,
                           io::Spool& body) {
    if (auto r = write_header(out, prepend, header); !r) return r;
    if (auto r = body.copy_to(out); !r) return r;
    return out.flush();
}

}  // namespace qauth::mail
